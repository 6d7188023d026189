import { type BackupObjectStore, ObjectMissing, type StoredObject } from '../backup-size/object-store.ts';

/** A bucket whose objects are these, recording what was read and removed. */
export const fakeStore = (objects: Record<string, string | Error>) => {
  const reads: StoredObject[] = [];
  const removed: StoredObject[] = [];
  const find = (o: StoredObject) => {
    reads.push(o);
    const found = objects[`${o.bucket}/${o.key}`];
    if (found === undefined) throw new ObjectMissing('no such key');
    if (found instanceof Error) throw found;
    return found;
  };
  const store: BackupObjectStore = {
    text: async (o) => find(o),
    size: async (o) => find(o).length,
    remove: async (o) => {
      const failure = Object.entries(objects).find(
        ([k, v]) => v instanceof Error && k.startsWith(`${o.bucket}/${o.key}`),
      );
      if (failure) throw failure[1];
      removed.push(o);
      const keys = Object.keys(objects).filter((k) =>
        o.key.endsWith('/') ? k.startsWith(`${o.bucket}/${o.key}`) : k === `${o.bucket}/${o.key}`,
      );
      for (const k of keys) delete objects[k];
      return keys.length;
    },
  };
  return { store, reads, removed, objects };
};
