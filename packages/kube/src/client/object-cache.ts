import { RESOURCE_ID } from '../manifests/meta.ts';
import type { KubeObject } from '../manifests/meta.ts';

/** Where an object is: kind, namespace and name. */
const addressOf = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

const versionOf = (o: KubeObject) => (o.metadata as { resourceVersion?: string }).resourceVersion ?? '';
const uidOf = (o: KubeObject) => (o.metadata as { uid?: string }).uid;

/**
 * Whether `next` is not older than `current`. Resource versions are opaque to clients, but every
 * API server we know (etcd's revision, the simulator's counter) makes them increasing integers:
 * compared as such when both are, else the newer one is the one that arrived last.
 */
const notOlder = (next: KubeObject, current: KubeObject) => {
  const [a, b] = [versionOf(next), versionOf(current)];
  if (!/^\d+$/.test(a) || !/^\d+$/.test(b)) return true;
  return a.length !== b.length ? a.length > b.length : a >= b;
};

/** How long a deletion we sent outranks older news of the object (the watch catches up sooner). */
const DELETED_MEMORY_MS = 60_000;

export type CacheChange = 'added' | 'modified' | 'deleted';

/**
 * The one cache of the cluster's managed objects that informers fill and the sync engine reads:
 * by address, and indexed by the resource (`uncloud.dev/resource-id`) each belongs to. Writes the
 * engine makes go in at once (`wrote`, `deleting`), so that a reconcile right after its own write
 * does not act on the version before it.
 */
export const createObjectCache = () => {
  const objects = new Map<string, KubeObject>();
  const byResource = new Map<string, Set<string>>();
  /** Uids of objects we asked to delete: news of them without a deletion time is older than that. */
  const deleted = new Map<string, number>();
  /**
   * Per resource, the cache's change count when one of its objects last came, changed or went:
   * a resource whose number is the same has the same objects (see `versionOf`).
   */
  const versions = new Map<string, number>();
  let changes = 0;

  const index = (address: string, object: KubeObject | undefined, add: boolean) => {
    const id = object?.metadata.labels?.[RESOURCE_ID];
    if (!id) return;
    let set = byResource.get(id);
    if (add) {
      if (!set) byResource.set(id, (set = new Set()));
      set.add(address);
      versions.set(id, ++changes);
    } else if (set) {
      set.delete(address);
      if (set.size > 0) versions.set(id, ++changes);
      else {
        byResource.delete(id);
        // No objects is a state of its own, the same whenever it holds.
        versions.delete(id);
      }
    }
  };

  const set = (object: KubeObject) => {
    const address = addressOf(object);
    index(address, objects.get(address), false);
    objects.set(address, object);
    index(address, object, true);
  };

  const drop = (address: string) => {
    index(address, objects.get(address), false);
    objects.delete(address);
  };

  /** Older news of an object we deleted: it must not bring it back as if it lived on. */
  const outdatedByDeletion = (object: KubeObject) => {
    const uid = uidOf(object);
    if (!uid || object.metadata.deletionTimestamp) return false;
    const at = deleted.get(uid);
    if (at === undefined) return false;
    if (Date.now() - at < DELETED_MEMORY_MS) return true;
    deleted.delete(uid);
    return false;
  };

  return {
    /** What a watch reported: the object as it now is. */
    put(object: KubeObject): CacheChange | undefined {
      if (outdatedByDeletion(object)) return undefined;
      const current = objects.get(addressOf(object));
      // The same version, or one older than our own write of it that the watch has yet to deliver.
      if (current && (versionOf(current) === versionOf(object) || !notOlder(object, current)))
        return undefined;
      set(object);
      return current ? 'modified' : 'added';
    },

    /** What a watch reported gone. */
    remove(object: KubeObject): CacheChange | undefined {
      const address = addressOf(object);
      const uid = uidOf(object);
      if (uid) deleted.delete(uid);
      if (!objects.has(address)) return undefined;
      drop(address);
      return 'deleted';
    },

    /**
     * Everything of one kind, as a fresh LIST found it: what changed since (by version) is
     * returned, so that the resources concerned can be looked at, and only they.
     */
    replaceKind(kind: string, listed: KubeObject[]) {
      const changes: { change: CacheChange; object: KubeObject }[] = [];
      const seen = new Set<string>();
      for (const object of listed) {
        const address = addressOf(object);
        seen.add(address);
        const current = objects.get(address);
        if (current && versionOf(current) === versionOf(object)) continue;
        set(object);
        changes.push({ change: current ? 'modified' : 'added', object });
      }
      for (const [address, object] of objects)
        if (object.kind === kind && !seen.has(address)) {
          drop(address);
          changes.push({ change: 'deleted', object });
        }
      return changes;
    },

    /** An object as the API server answered a write of ours: newer than anything cached. */
    wrote(object: KubeObject) {
      const current = objects.get(addressOf(object));
      if (!current || notOlder(object, current)) set(object);
    },

    /**
     * A delete of ours the API server accepted: the object is going (marked so until the watch
     * says it is gone), and older news of it is ignored.
     */
    deleting(object: KubeObject) {
      const address = addressOf(object);
      const current = objects.get(address);
      if (!current) return;
      const uid = uidOf(current);
      if (uid) deleted.set(uid, Date.now());
      if (!current.metadata.deletionTimestamp)
        set({ ...current, metadata: { ...current.metadata, deletionTimestamp: new Date() } });
    },

    /** An object we found already gone. */
    gone(object: KubeObject) {
      drop(addressOf(object));
    },

    /** One object by address, if the cache holds it. */
    get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
      return objects.get(`${kind}/${namespace ?? ''}/${name}`);
    },

    /** The objects of one resource (by its id label). */
    ofResource(id: string): KubeObject[] {
      const addresses = byResource.get(id);
      return addresses ? [...addresses].map((a) => objects.get(a)!) : [];
    },

    /**
     * A number that changes whenever an object of the resource is added, changed or removed
     * (undefined while it has none): comparing it says whether its objects are as they were, without
     * looking at them. It only grows, also across `clear`.
     */
    versionOf(resourceId: string): number | undefined {
      return versions.get(resourceId);
    },

    /** How many changes the cache has taken: a `versionOf` above it is a change made since. */
    get changes() {
      return changes;
    },

    /** Every object of these kinds. */
    list(kinds?: ReadonlySet<string>): KubeObject[] {
      const all = [...objects.values()];
      return kinds ? all.filter((o) => kinds.has(o.kind)) : all;
    },

    get size() {
      return objects.size;
    },

    clear() {
      objects.clear();
      byResource.clear();
      versions.clear();
      deleted.clear();
    },
  };
};

export type ObjectCache = ReturnType<typeof createObjectCache>;
