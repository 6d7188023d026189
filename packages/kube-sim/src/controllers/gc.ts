// The garbage collector, after kube-controller-manager's: dependents whose owners are all gone are
// deleted (Background); an owner deleted in the Foreground keeps `foregroundDeletion` until its
// blocking dependents are gone, and its dependents that have dependents of their own are deleted
// in the Foreground too, so every level empties before the one above it; an owner deleted with
// `orphan` has its dependents' references to it removed, then goes.
//
// Owners and dependents are found through an index kept from the store's events (owner uid →
// dependents, uid → object), never by scanning the store.
import { FOREGROUND, ORPHAN, type PropagationPolicy } from '../deletion.ts';
import { clone } from '../meta.ts';
import type { ObjectApi } from '../object-api.ts';
import type { StoreEvent } from '../store.ts';
import type { StoredObject } from '../types.ts';
import { objKey, splitKey, type Controller } from './manager.ts';

class OwnerIndex {
  private readonly byUid = new Map<string, string>();
  private readonly dependents = new Map<string, Set<string>>();

  observe(e: StoreEvent): void {
    const m = e.object.metadata;
    const key = objKey(e.typeKey, m.namespace, m.name);
    const refs = e.type === 'DELETED' ? [] : (m.ownerReferences ?? []).map((r) => r.uid);
    for (const r of e.previous?.metadata.ownerReferences ?? [])
      if (!refs.includes(r.uid)) this.unlink(r.uid, key);
    for (const uid of refs) {
      let set = this.dependents.get(uid);
      if (!set) this.dependents.set(uid, (set = new Set()));
      set.add(key);
    }
    if (!m.uid) return;
    if (e.type === 'DELETED') {
      if (this.byUid.get(m.uid) === key) this.byUid.delete(m.uid);
    } else this.byUid.set(m.uid, key);
  }

  private unlink(uid: string, key: string): void {
    const set = this.dependents.get(uid);
    set?.delete(key);
    if (set?.size === 0) this.dependents.delete(uid);
  }

  /** The live object with this uid. */
  find(api: ObjectApi, uid: string): { typeKey: string; object: StoredObject } | undefined {
    const key = this.byUid.get(uid);
    if (!key) return undefined;
    const { typeKey, namespace, name } = splitKey(key);
    const object = api.store.get(typeKey, namespace, name);
    return object?.metadata.uid === uid ? { typeKey, object } : undefined;
  }

  hasDependents(uid: string | undefined): boolean {
    return !!uid && (this.dependents.get(uid)?.size ?? 0) > 0;
  }

  /** Objects that reference `uid` as an owner (in the owner's namespace when it has one). */
  dependentsOf(
    api: ObjectApi,
    uid: string,
    namespace: string | undefined,
  ): { typeKey: string; object: StoredObject }[] {
    const out: { typeKey: string; object: StoredObject }[] = [];
    for (const key of this.dependents.get(uid) ?? []) {
      const { typeKey, namespace: ns, name } = splitKey(key);
      const object = api.store.get(typeKey, ns, name);
      if (!object || !(object.metadata.ownerReferences ?? []).some((r) => r.uid === uid)) continue;
      if (namespace && ns !== namespace) continue;
      out.push({ typeKey, object });
    }
    return out;
  }
}

const has = (o: StoredObject, finalizer: string) => (o.metadata.finalizers ?? []).includes(finalizer);
const deletingInForeground = (o: StoredObject) => !!o.metadata.deletionTimestamp && has(o, FOREGROUND);

/** Delete a dependent unless an owner still stands (attemptToDeleteItem). */
function attemptToDelete(api: ObjectApi, index: OwnerIndex, typeKey: string, dependent: StoredObject): void {
  if (dependent.metadata.deletionTimestamp) return;
  const owners = (dependent.metadata.ownerReferences ?? []).map((r) => index.find(api, r.uid)?.object);
  if (owners.some((o) => o && !deletingInForeground(o))) return;
  const waiting = owners.some((o) => o && deletingInForeground(o));
  let policy: PropagationPolicy = 'Background';
  if (waiting && index.hasDependents(dependent.metadata.uid)) policy = 'Foreground';
  else if (has(dependent, ORPHAN)) policy = 'Orphan';
  else if (has(dependent, FOREGROUND)) policy = 'Foreground';
  const type = api.registry.get(typeKey);
  if (!type) return;
  try {
    api.delete(type, dependent.metadata.namespace ?? '', dependent.metadata.name ?? '', {
      propagationPolicy: policy,
      preconditions: { uid: dependent.metadata.uid },
    });
  } catch {
    // Gone or replaced meanwhile: its own events bring it back here if it still matters.
  }
}

function withoutFinalizer(api: ObjectApi, typeKey: string, owner: StoredObject, finalizer: string): void {
  const type = api.registry.get(typeKey);
  if (!type) return;
  const finalizers = (owner.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  api.update(type, owner.metadata.namespace ?? '', owner.metadata.name ?? '', {
    ...clone(owner),
    metadata: { ...clone(owner.metadata), finalizers },
  });
}

/** A garbage collector of its own for each simulated cluster (its index follows that cluster's store). */
export function createGarbageCollector(): Controller {
  const index = new OwnerIndex();
  return {
    name: 'garbagecollector',
    keysFor(e) {
      index.observe(e);
      const m = e.object.metadata;
      const keys: string[] = [];
      // Its dependents lost an owner, or it now waits for them.
      if (
        e.type === 'DELETED' ||
        (m.deletionTimestamp && (has(e.object, FOREGROUND) || has(e.object, ORPHAN)))
      )
        if (m.uid && (e.type !== 'DELETED' || index.hasDependents(m.uid))) keys.push(m.uid);
      // An owner waiting in the Foreground may be free once this dependent is gone or let go.
      const now = e.type === 'DELETED' ? [] : (m.ownerReferences ?? []).map((r) => r.uid);
      for (const r of [
        ...(e.previous?.metadata.ownerReferences ?? []),
        ...(e.type === 'DELETED' ? (m.ownerReferences ?? []) : []),
      ])
        if (!now.includes(r.uid)) keys.push(r.uid);
      return keys;
    },
    reconcile(uid, { api }) {
      const owner = index.find(api, uid);
      if (!owner) {
        for (const d of index.dependentsOf(api, uid, undefined))
          attemptToDelete(api, index, d.typeKey, d.object);
        return;
      }
      const o = owner.object;
      if (!o.metadata.deletionTimestamp) return;
      const dependents = index.dependentsOf(api, uid, o.metadata.namespace);
      if (has(o, ORPHAN)) {
        for (const d of dependents) {
          const type = api.registry.get(d.typeKey);
          if (!type) continue;
          const next = clone(d.object);
          next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
          if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
          api.commit(type, clone(d.object), next, {}, (x) => x.metadata.managedFields);
        }
        withoutFinalizer(api, owner.typeKey, o, ORPHAN);
        return;
      }
      if (!has(o, FOREGROUND)) return;
      for (const d of dependents) attemptToDelete(api, index, d.typeKey, d.object);
      const blocking = index
        .dependentsOf(api, uid, o.metadata.namespace)
        .some((d) =>
          (d.object.metadata.ownerReferences ?? []).some((r) => r.uid === uid && r.blockOwnerDeletion),
        );
      if (!blocking) {
        const fresh = index.find(api, uid);
        if (fresh) withoutFinalizer(api, fresh.typeKey, fresh.object, FOREGROUND);
      }
    },
  };
}
