// The garbage collector: dependents of a deleted owner are deleted (Background), and an owner
// deleted in the Foreground keeps its finalizer until its dependents are gone.
import { dependentsOf, FOREGROUND } from '../deletion.ts';
import type { ObjectApi } from '../object-api.ts';
import type { StoredObject } from '../types.ts';
import { objKey, splitKey, type Controller } from './manager.ts';
import { deleteIgnoringMissing } from './util.ts';

function findByUid(api: ObjectApi, uid: string): { typeKey: string; object: StoredObject } | undefined {
  for (const entry of api.store.entries()) if (entry.object.metadata.uid === uid) return entry;
  return undefined;
}

function collect(
  api: ObjectApi,
  typeKey: string,
  namespace: string,
  name: string,
  uid: string,
): { requeueSteps: number } | void {
  const type = api.registry.get(typeKey);
  const current = type ? api.find(type, namespace, name) : undefined;
  if (current && current.metadata.uid !== uid) return;
  if (current && !(current.metadata.finalizers ?? []).includes(FOREGROUND)) return;
  const owner: StoredObject = current ?? {
    apiVersion: '',
    kind: '',
    metadata: { uid, namespace: namespace || undefined },
  };
  for (const d of dependentsOf(api, owner)) {
    const otherOwners = (d.object.metadata.ownerReferences ?? []).filter(
      (r) => r.uid !== uid && findByUid(api, r.uid),
    );
    if (otherOwners.length === 0 && !d.object.metadata.deletionTimestamp)
      deleteIgnoringMissing(api, d.type, d.object);
  }
  if (!current || !type) return;
  if (dependentsOf(api, owner).length > 0) return { requeueSteps: 1 };
  const finalizers = (current.metadata.finalizers ?? []).filter((f) => f !== FOREGROUND);
  api.update(type, namespace, name, { ...current, metadata: { ...current.metadata, finalizers } });
}

export const garbageCollector: Controller = {
  name: 'garbagecollector',
  keysFor(e) {
    const meta = e.object.metadata;
    const keys: string[] = [];
    if (e.type === 'DELETED' || (meta.finalizers ?? []).includes(FOREGROUND))
      keys.push(`${objKey(e.typeKey, meta.namespace, meta.name)}|${meta.uid}`);
    if (e.type === 'DELETED') for (const ref of meta.ownerReferences ?? []) keys.push(`owner|${ref.uid}`);
    return keys;
  },
  reconcile(key, { api }) {
    if (key.startsWith('owner|')) {
      const owner = findByUid(api, key.slice('owner|'.length));
      if (owner && (owner.object.metadata.finalizers ?? []).includes(FOREGROUND)) {
        const m = owner.object.metadata;
        return collect(api, owner.typeKey, m.namespace ?? '', m.name ?? '', m.uid ?? '');
      }
      return;
    }
    const { typeKey, namespace, name } = splitKey(key);
    return collect(api, typeKey, namespace, name, key.split('|')[3] ?? '');
  },
};
