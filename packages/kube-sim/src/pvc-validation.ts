// What kube-apiserver allows a PersistentVolumeClaim update to change
// (pkg/apis/core/validation ValidatePersistentVolumeClaimUpdate): nothing in its spec but
// `volumeName` once (the binder's), a storage class where there was none, and, once the claim is
// bound, `resources.requests.storage` and `volumeAttributesClassName`. The refusal carries the
// unified diff of the two specs as the server prints them (its internal types as indented JSON,
// k8s.io/apimachinery/pkg/util/diff), so a person sees what they tried to change.
import { structuredPatch } from 'diff';
import { forbiddenField, invalidValue } from './causes.ts';
import type { StatusCause } from './errors.ts';
import { parseQuantity } from './quantity.ts';
import type { StoredObject } from './types.ts';

type Spec = Record<string, unknown>;
const BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';
const IMMUTABLE =
  'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';

const sortedMap = (m: unknown) =>
  m && typeof m === 'object'
    ? Object.fromEntries(Object.entries(m as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
    : null;
const orNull = <T>(v: T | undefined) => (v === undefined ? null : v);

/** A label selector as its Go type marshals it (json tags, omitempty, map keys sorted). */
const selectorJson = (s: unknown) => {
  if (!s || typeof s !== 'object') return null;
  const { matchLabels, matchExpressions } = s as { matchLabels?: unknown; matchExpressions?: unknown[] };
  return {
    ...(matchLabels && Object.keys(matchLabels).length > 0 ? { matchLabels: sortedMap(matchLabels) } : {}),
    ...(Array.isArray(matchExpressions) && matchExpressions.length > 0
      ? {
          matchExpressions: matchExpressions.map((e) => {
            const { key, operator, values } = e as { key?: string; operator?: string; values?: string[] };
            return { key, operator, ...(values && values.length > 0 ? { values } : {}) };
          }),
        }
      : {}),
  };
};

const reference = (r: unknown, withNamespace: boolean) => {
  if (!r || typeof r !== 'object') return null;
  const { apiGroup, kind, name, namespace } = r as Record<string, string | undefined>;
  return {
    APIGroup: orNull(apiGroup),
    Kind: kind ?? '',
    Name: name ?? '',
    ...(withNamespace ? { Namespace: orNull(namespace) } : {}),
  };
};

/** The spec as core.PersistentVolumeClaimSpec marshals: Go field names, in their order. */
const internalSpec = (spec: Spec) => {
  const resources = (spec.resources ?? {}) as { limits?: unknown; requests?: unknown };
  return {
    AccessModes: orNull(spec.accessModes as string[] | undefined),
    Selector: selectorJson(spec.selector),
    Resources: { Limits: sortedMap(resources.limits), Requests: sortedMap(resources.requests) },
    VolumeName: (spec.volumeName as string | undefined) ?? '',
    StorageClassName: orNull(spec.storageClassName as string | undefined),
    VolumeMode: orNull(spec.volumeMode as string | undefined),
    DataSource: reference(spec.dataSource, false),
    DataSourceRef: reference(spec.dataSourceRef, true),
    VolumeAttributesClassName: orNull(spec.volumeAttributesClassName as string | undefined),
  };
};

/** apimachinery's Semantic.DeepEqual: quantities by value, nil and empty lists and maps alike. */
const semantic = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.length === 0 ? null : v.map(semantic);
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) return null;
    return Object.fromEntries(entries.map(([k, x]) => [k, semantic(x)]));
  }
  if (typeof v === 'string' && /^\d/.test(v)) return parseQuantity(v) ?? v;
  return v;
};

/** go-difflib's unified diff without file headers, three lines of context. */
export function unifiedDiff(before: string, after: string): string {
  const { hunks } = structuredPatch('', '', before, after, undefined, undefined, { context: 3 });
  const range = (start: number, lines: number) => (lines === 1 ? `${start}` : `${start},${lines}`);
  return hunks
    .map(
      (h) =>
        `@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@\n${h.lines.map((l) => `${l}\n`).join('')}`,
    )
    .join('');
}

export function pvcUpdateCauses(obj: StoredObject, old: StoredObject): StatusCause[] {
  const spec = (obj.spec ?? {}) as Spec;
  const before = (old.spec ?? {}) as Spec;
  const oldClone = internalSpec(before);
  const newClone = internalSpec(spec);
  // The binder sets volumeName once.
  if (!before.volumeName) oldClone.VolumeName = newClone.VolumeName;
  // A class where there was none (the default class, set afterwards) is allowed.
  if (
    !old.metadata.annotations?.[BETA_STORAGE_CLASS] &&
    before.storageClassName === undefined &&
    spec.storageClassName !== undefined
  )
    newClone.StorageClassName = oldClone.StorageClassName;
  // A bound claim may grow (and change its attributes class); a pending one may not.
  const bound = (old.status as { phase?: string } | undefined)?.phase === 'Bound';
  if (bound) {
    if (newClone.Resources.Requests)
      newClone.Resources.Requests = {
        ...newClone.Resources.Requests,
        storage: (oldClone.Resources.Requests as Record<string, unknown> | null)?.storage,
      };
    newClone.VolumeAttributesClassName = oldClone.VolumeAttributesClassName;
  }
  const causes: StatusCause[] = [];
  if (JSON.stringify(semantic(oldClone)) !== JSON.stringify(semantic(newClone))) {
    const diff = unifiedDiff(
      `${JSON.stringify(oldClone, null, 1)}\n`,
      `${JSON.stringify(newClone, null, 1)}\n`,
    );
    causes.push(forbiddenField('spec', `${IMMUTABLE}\n${diff}`));
  }
  const size = (s: Spec) =>
    parseQuantity(String((s.resources as { requests?: { storage?: unknown } })?.requests?.storage ?? 0)) ?? 0;
  const capacity =
    parseQuantity(
      String((old.status as { capacity?: { storage?: unknown } } | undefined)?.capacity?.storage ?? 0),
    ) ?? 0;
  // RecoverVolumeExpansionFailure (GA): a request may come back down, but not to the capacity.
  if (size(spec) < size(before) && size(spec) <= capacity)
    causes.push(
      forbiddenField('spec.resources.requests.storage', 'field can not be less than status.capacity'),
    );
  if ((spec.volumeMode ?? null) !== (before.volumeMode ?? null))
    causes.push(invalidValue('volumeMode', spec.volumeMode ?? null, 'field is immutable'));
  return causes;
}
