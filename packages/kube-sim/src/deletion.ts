// DELETE semantics: preconditions, finalizers (deletionTimestamp, object stays), propagation
// policies (Orphan, Background, Foreground) and namespace termination.
import { conflict, SimError } from './errors.ts';
import { clone, nowIso } from './meta.ts';
import type { ObjectApi } from './object-api.ts';
import { typeKey, type StoredObject, type ResourceType } from './types.ts';

export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

export interface DeleteOptions {
  propagationPolicy?: PropagationPolicy;
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export const FOREGROUND = 'foregroundDeletion';
export const ORPHAN = 'orphan';

/** Objects whose ownerReferences name `owner` (same namespace, or any for cluster-scoped owners). */
export function dependentsOf(
  api: ObjectApi,
  owner: StoredObject,
): { type: ResourceType; object: StoredObject }[] {
  const out: { type: ResourceType; object: StoredObject }[] = [];
  const uid = owner.metadata.uid;
  for (const { typeKey: key, object } of api.store.entries()) {
    if (!(object.metadata.ownerReferences ?? []).some((r) => r.uid === uid)) continue;
    if (owner.metadata.namespace && object.metadata.namespace !== owner.metadata.namespace) continue;
    const type = api.registry.get(key);
    if (type) out.push({ type, object });
  }
  return out;
}

/** Remove the owner's references from its dependents (the Orphan policy). */
export function orphanDependents(api: ObjectApi, owner: StoredObject): void {
  for (const { type, object } of dependentsOf(api, owner)) {
    const next = clone(object);
    next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter(
      (r) => r.uid !== owner.metadata.uid,
    );
    if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
    api.commit(type, clone(object), next, {}, (o) => o.metadata.managedFields);
  }
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
  const policy: PropagationPolicy =
    opts.propagationPolicy ?? (opts.orphanDependents ? 'Orphan' : 'Background');
  if (opts.dryRun) return current;
  const next = clone(current);
  const meta = next.metadata;
  if (type.kind === 'Namespace' && !type.group) {
    if (meta.deletionTimestamp) return current;
    meta.deletionTimestamp = nowIso();
    meta.deletionGracePeriodSeconds = 0;
    next.status = { ...(next.status ?? {}), phase: 'Terminating' };
    return clone(api.store.put(typeKey(type), next));
  }
  const finalizers = [...(meta.finalizers ?? [])];
  if (policy === 'Orphan') orphanDependents(api, current);
  if (
    policy === 'Foreground' &&
    !meta.deletionTimestamp &&
    dependentsOf(api, current).length > 0 &&
    !finalizers.includes(FOREGROUND)
  ) {
    finalizers.push(FOREGROUND);
  }
  if (finalizers.length > 0) {
    if (meta.deletionTimestamp && deepSame(finalizers, meta.finalizers ?? [])) return current;
    meta.finalizers = finalizers;
    meta.deletionTimestamp ??= nowIso();
    meta.deletionGracePeriodSeconds ??= 0;
    return clone(api.store.put(typeKey(type), next));
  }
  return api.removeStored(type, current);
}

function deepSame(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
