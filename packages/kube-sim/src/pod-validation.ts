// Validation of pods and pod templates as the API server's Go code does it (ValidatePodSpec,
// ValidatePodUpdate): requests no greater than limits, and a pod's spec immutable on update apart
// from the few fields the real server lets change.
import { forbiddenField, invalidValue } from './causes.ts';
import type { StatusCause } from './errors.ts';
import { clone } from './meta.ts';
import { deepEqual } from './patch.ts';
import { parseQuantity } from './quantity.ts';

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };
type Container = { name?: string; image?: string; resources?: Resources };

/** Native resources other than hugepages may have a request below the limit; the rest must be equal. */
const OVERCOMMIT = (r: string) =>
  (!r.includes('/') || r.includes('kubernetes.io/')) && !r.startsWith('hugepages-');

/** Each container's requests against its limits (`field` is `spec.containers` or a template's). */
export function resourceCauses(containers: unknown, field: string): StatusCause[] {
  if (!Array.isArray(containers)) return [];
  const causes: StatusCause[] = [];
  (containers as Container[]).forEach((c, i) => {
    const { requests = {}, limits = {} } = c?.resources ?? {};
    for (const [r, q] of Object.entries(requests)) {
      const limit = limits[r];
      if (limit === undefined) continue;
      const req = parseQuantity(q) ?? 0;
      const lim = parseQuantity(limit) ?? 0;
      const path = `${field}[${i}].resources.requests`;
      if (!OVERCOMMIT(r) && req !== lim)
        causes.push(invalidValue(path, String(q), `must be equal to ${r} limit of ${limit}`));
      else if (req > lim)
        causes.push(invalidValue(path, String(q), `must be less than or equal to ${r} limit of ${limit}`));
    }
  });
  return causes;
}

/** Duplicate container names across a pod spec's containers (a second one is the duplicate). */
export function duplicateNameCauses(containers: unknown, field: string): StatusCause[] {
  if (!Array.isArray(containers)) return [];
  const seen = new Set<string>();
  const causes: StatusCause[] = [];
  (containers as Container[]).forEach((c, i) => {
    if (!c?.name) return;
    if (seen.has(c.name))
      causes.push({
        reason: 'FieldValueDuplicate',
        field: `${field}[${i}].name`,
        message: `Duplicate value: ${JSON.stringify(c.name)}`,
      });
    seen.add(c.name);
  });
  return causes;
}

const POD_UPDATE_RULE =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,' +
  '`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),' +
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** ValidatePodUpdate's rule: the new spec, with the mutable fields taken from the old, must equal it. */
export function podUpdateCauses(
  oldSpec: Record<string, unknown>,
  newSpec: Record<string, unknown>,
): StatusCause[] {
  const munged = clone(newSpec);
  const withImagesOf = (list: unknown, from: unknown) => {
    if (!Array.isArray(list) || !Array.isArray(from) || list.length !== from.length) return;
    (list as Container[]).forEach((c, i) => {
      const before = (from as Container[])[i];
      if (c && before) c.image = before.image;
    });
  };
  withImagesOf(munged.containers, oldSpec.containers);
  withImagesOf(munged.initContainers, oldSpec.initContainers);
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  const oldTolerations = (oldSpec.tolerations as unknown[] | undefined) ?? [];
  const newTolerations = (newSpec.tolerations as unknown[] | undefined) ?? [];
  // Additions only: every old toleration is still there.
  if (oldTolerations.every((t) => newTolerations.some((n) => deepEqual(n, t))))
    munged.tolerations = oldSpec.tolerations;
  const oldGrace = oldSpec.terminationGracePeriodSeconds as number | undefined;
  if (oldGrace !== undefined && oldGrace < 0 && newSpec.terminationGracePeriodSeconds === 1)
    munged.terminationGracePeriodSeconds = oldGrace;
  for (const k of Object.keys(munged)) if (munged[k] === undefined) delete munged[k];
  return deepEqual(munged, oldSpec) ? [] : [forbiddenField('spec', POD_UPDATE_RULE)];
}
