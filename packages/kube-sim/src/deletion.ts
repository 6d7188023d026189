// DELETE semantics as the API server's generic registry has them (k8s.io/apiserver
// registry/generic/registry/store.go, registry/rest/delete.go): preconditions, graceful deletion of
// pods, the garbage collector's finalizers (`orphan`, `foregroundDeletion`) set from the
// propagation policy, other finalizers holding the object, and namespace termination. The
// garbage collector (controllers/gc.ts) does the orphaning and the cascading.
import { conflict, SimError } from './errors.ts';
import { clone, nowIso } from './meta.ts';
import type { ObjectApi } from './object-api.ts';
import { deepEqual } from './patch.ts';
import { typeKey, type StoredObject, type ResourceType } from './types.ts';

export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

export interface DeleteOptions {
  propagationPolicy?: PropagationPolicy;
  orphanDependents?: boolean;
  /** Pods only: how long the kubelet may take (default: the pod's terminationGracePeriodSeconds). */
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export const FOREGROUND = 'foregroundDeletion';
export const ORPHAN = 'orphan';

/**
 * Kinds whose storage answers a DELETE with the deleted object (`ReturnDeletedObject` in the API
 * server's registries); the others answer an immediate deletion with a `Status` of Success.
 */
const RETURNS_DELETED_OBJECT = new Set([
  '/pods',
  '/services',
  '/namespaces',
  '/serviceaccounts',
  '/persistentvolumeclaims',
  '/persistentvolumes',
  '/resourcequotas',
  '/podtemplates',
  'storage.k8s.io/storageclasses',
  'storage.k8s.io/csidrivers',
  'storage.k8s.io/csinodes',
  'storage.k8s.io/volumeattachments',
  'storage.k8s.io/volumeattributesclasses',
]);

/**
 * What a DELETE answers: the object while it is still there (held by finalizers or a grace
 * period), otherwise the deleted object or a `Status`, as the kind's storage does.
 */
export function deleteAnswer(api: ObjectApi, type: ResourceType, result: StoredObject): unknown {
  const key = typeKey(type);
  const still = api.store.get(key, result.metadata.namespace ?? '', result.metadata.name ?? '');
  if (still?.metadata.uid === result.metadata.uid || RETURNS_DELETED_OBJECT.has(key)) return result;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: {
      name: result.metadata.name,
      ...(type.group ? { group: type.group } : {}),
      kind: type.plural,
      uid: result.metadata.uid,
    },
  };
}

/** The finalizers after a DELETE with these options: `orphan` or `foregroundDeletion` as asked. */
function gcFinalizers(existing: string[], opts: DeleteOptions): string[] {
  const has = (f: string) => existing.includes(f);
  let orphan: boolean;
  let foreground: boolean;
  if (opts.orphanDependents !== undefined) {
    orphan = opts.orphanDependents;
    foreground = false;
  } else if (opts.propagationPolicy) {
    orphan = opts.propagationPolicy === 'Orphan';
    foreground = opts.propagationPolicy === 'Foreground';
  } else {
    const first = existing.find((f) => f === ORPHAN || f === FOREGROUND);
    orphan = first === ORPHAN;
    foreground = first === FOREGROUND;
  }
  const kept = existing.filter((f) => f !== ORPHAN && f !== FOREGROUND);
  const next = [...kept, ...(orphan ? [ORPHAN] : []), ...(foreground ? [FOREGROUND] : [])];
  const same = next.length === existing.length && next.every(has);
  return same ? existing : next;
}

const secondsFrom = (iso: string, seconds: number) =>
  new Date(Date.parse(iso) + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface Graceful {
  /** The object is already being deleted gracefully: nothing changes. */
  pending: boolean;
  /** The grace period set on the object (graceful kinds only), undefined for the others. */
  period: number | undefined;
}

/**
 * Pods are deleted gracefully (registry/rest/delete.go BeforeDelete and the pod strategy's
 * CheckGracefulDelete): deletionTimestamp is now + the grace period; a second DELETE may only
 * shorten it.
 */
function beginGraceful(current: StoredObject, next: StoredObject, opts: DeleteOptions): Graceful {
  const meta = next.metadata;
  const asked =
    opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0 ? 1 : opts.gracePeriodSeconds;
  const now = nowIso();
  if (meta.deletionTimestamp) {
    const existing = meta.deletionGracePeriodSeconds;
    if (existing === undefined || existing === 0) return { pending: false, period: undefined };
    if (asked === undefined || asked >= existing) return { pending: true, period: undefined };
    let period = asked;
    let at = secondsFrom(secondsFrom(meta.deletionTimestamp, -existing), period);
    if (Date.parse(at) < Date.parse(now)) {
      at = now;
      if (period !== 0) period = 1;
    }
    meta.deletionTimestamp = at;
    meta.deletionGracePeriodSeconds = period;
    return { pending: false, period };
  }
  let period = asked ?? (current.spec?.terminationGracePeriodSeconds as number | undefined) ?? 30;
  if (!current.spec?.nodeName) period = 0;
  if (current.status?.phase === 'Failed' || current.status?.phase === 'Succeeded') period = 0;
  if (period < 0) period = 1;
  meta.deletionTimestamp = secondsFrom(now, period);
  meta.deletionGracePeriodSeconds = period;
  if ((meta.generation ?? 0) > 0) meta.generation = (meta.generation ?? 0) + 1;
  return { pending: false, period };
}

export function deleteObject(
  api: ObjectApi,
  type: ResourceType,
  namespace: string,
  name: string,
  opts: DeleteOptions,
): StoredObject {
  const current = api.get(type, namespace, name);
  const pre = opts.preconditions;
  if (pre?.uid && pre.uid !== current.metadata.uid) {
    throw conflict(
      type,
      name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`,
    );
  }
  if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
    throw conflict(
      type,
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
    );
  }
  if (opts.propagationPolicy && !['Orphan', 'Background', 'Foreground'].includes(opts.propagationPolicy)) {
    throw new SimError(
      422,
      'Invalid',
      `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan", "nil"`,
    );
  }
  if (opts.dryRun) return current;
  const key = typeKey(type);
  const next = clone(current);
  const meta = next.metadata;
  if (key === '/namespaces') {
    if (meta.deletionTimestamp) return current;
    meta.deletionTimestamp = nowIso();
    meta.deletionGracePeriodSeconds = 0;
    next.status = { ...(next.status ?? {}), phase: 'Terminating' };
    return clone(api.store.put(key, next));
  }
  const graceful =
    key === '/pods' ? beginGraceful(current, next, opts) : { pending: false, period: undefined };
  if (graceful.pending) return current;
  const finalizers = gcFinalizers(meta.finalizers ?? [], opts);
  if (finalizers.length > 0) meta.finalizers = finalizers;
  else delete meta.finalizers;
  if (graceful.period === undefined) {
    if (finalizers.length === 0) return api.removeStored(type, current);
    // markAsDeleting: held by finalizers, with a zero grace period.
    if (!meta.deletionTimestamp && (meta.generation ?? 0) > 0) meta.generation = (meta.generation ?? 0) + 1;
    const now = nowIso();
    if (!meta.deletionTimestamp || Date.parse(meta.deletionTimestamp) > Date.parse(now))
      meta.deletionTimestamp = now;
    meta.deletionGracePeriodSeconds = 0;
    if (deepEqual(next, current)) return current;
    return clone(api.store.put(key, next));
  }
  const stored = clone(api.store.put(key, next));
  if (finalizers.length > 0 || graceful.period > 0) return stored;
  // A zero grace period: marked, then removed at once (a MODIFIED, then a DELETED event).
  return api.removeStored(type, stored);
}
