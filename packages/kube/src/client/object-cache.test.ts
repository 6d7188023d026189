import { describe, expect, it } from 'vitest';
import { RESOURCE_ID, type KubeObject } from '../manifests/meta.ts';
import { createObjectCache } from './object-cache.ts';

const object = (
  kind: string,
  name: string,
  version: string,
  extra: { id?: string; uid?: string; deleting?: boolean } = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: {
    name,
    namespace: 'ns',
    resourceVersion: version,
    uid: extra.uid ?? `uid-${name}`,
    labels: { [RESOURCE_ID]: extra.id ?? 'app_1' },
    ...(extra.deleting ? { deletionTimestamp: new Date() } : {}),
  },
});

describe('the object cache', () => {
  it('indexes objects by the resource they belong to, and follows a relabel', () => {
    const cache = createObjectCache();
    cache.put(object('Service', 'a', '1'));
    cache.put(object('Deployment', 'a', '2'));
    cache.put(object('Service', 'b', '3', { id: 'app_2' }));
    expect(
      cache
        .ofResource('app_1')
        .map((o) => o.kind)
        .sort(),
    ).toEqual(['Deployment', 'Service']);
    cache.put(object('Service', 'a', '4', { id: 'app_2' }));
    expect(cache.ofResource('app_1').map((o) => o.kind)).toEqual(['Deployment']);
    expect(cache.ofResource('app_2')).toHaveLength(2);
  });

  it("versions each resource's objects: a new number when one comes, changes or goes, and only then", () => {
    const cache = createObjectCache();
    expect(cache.versionOf('app_1')).toBeUndefined();
    cache.put(object('Service', 'a', '1'));
    const first = cache.versionOf('app_1')!;
    expect(first).toBeLessThanOrEqual(cache.changes);
    // Another resource's object, or news of a version the cache holds, leaves it as it was.
    cache.put(object('Service', 'b', '2', { id: 'app_2' }));
    cache.put(object('Service', 'a', '1'));
    expect(cache.versionOf('app_1')).toBe(first);
    cache.put(object('Deployment', 'a', '3'));
    const second = cache.versionOf('app_1')!;
    expect(second).toBeGreaterThan(first);
    cache.put(object('Deployment', 'a', '4'));
    const third = cache.versionOf('app_1')!;
    expect(third).toBeGreaterThan(second);
    cache.remove(object('Deployment', 'a', '5'));
    expect(cache.versionOf('app_1')).toBeGreaterThan(third);
    cache.remove(object('Service', 'a', '6'));
    expect(cache.versionOf('app_1')).toBeUndefined();
    // A relist brings it back as new: never a number it had before.
    cache.replaceKind('Service', [object('Service', 'a', '7'), object('Service', 'b', '2', { id: 'app_2' })]);
    expect(cache.versionOf('app_1')).toBeGreaterThan(third);
    expect(cache.versionOf('app_1')).toBe(cache.changes);
  });

  it('reports a change only when the version moved', () => {
    const cache = createObjectCache();
    expect(cache.put(object('Service', 'a', '1'))).toBe('added');
    expect(cache.put(object('Service', 'a', '1'))).toBeUndefined();
    expect(cache.put(object('Service', 'a', '2'))).toBe('modified');
    expect(cache.remove(object('Service', 'a', '3'))).toBe('deleted');
    expect(cache.remove(object('Service', 'a', '3'))).toBeUndefined();
  });

  it('keeps our own write over older news of the object', () => {
    const cache = createObjectCache();
    cache.put(object('Service', 'a', '5'));
    cache.wrote(object('Service', 'a', '9'));
    cache.wrote(object('Service', 'a', '7'));
    expect(cache.ofResource('app_1')[0]!.metadata.resourceVersion).toBe('9');
    // "10" is newer than "9": versions compare as integers, not as text.
    cache.wrote(object('Service', 'a', '10'));
    expect(cache.ofResource('app_1')[0]!.metadata.resourceVersion).toBe('10');
    // The watch delivers an event from before our write after it: the write stays.
    expect(cache.put(object('Service', 'a', '8'))).toBeUndefined();
    expect(cache.ofResource('app_1')[0]!.metadata.resourceVersion).toBe('10');
  });

  it('marks what we deleted as going, and does not let older news bring it back', () => {
    const cache = createObjectCache();
    cache.put(object('Service', 'a', '5'));
    cache.deleting(object('Service', 'a', '5'));
    expect(cache.ofResource('app_1')[0]!.metadata.deletionTimestamp).toBeTruthy();
    // An event sent before the delete arrives after it.
    expect(cache.put(object('Service', 'a', '6'))).toBeUndefined();
    expect(cache.ofResource('app_1')[0]!.metadata.deletionTimestamp).toBeTruthy();
    // News that it is terminating, or a new object of that name, are taken in.
    expect(cache.put(object('Service', 'a', '7', { deleting: true }))).toBe('modified');
    expect(cache.remove(object('Service', 'a', '8'))).toBe('deleted');
    expect(cache.put(object('Service', 'a', '9', { uid: 'another' }))).toBe('added');
  });

  it('replaces one kind from a relist, reporting what appeared, changed and went', () => {
    const cache = createObjectCache();
    cache.put(object('Service', 'kept', '1'));
    cache.put(object('Service', 'changed', '2'));
    cache.put(object('Service', 'gone', '3'));
    cache.put(object('Deployment', 'other-kind', '4'));
    const changes = cache.replaceKind('Service', [
      object('Service', 'kept', '1'),
      object('Service', 'changed', '5'),
      object('Service', 'new', '6'),
    ]);
    expect(changes.map((c) => `${c.change} ${c.object.metadata.name}`).sort()).toEqual([
      'added new',
      'deleted gone',
      'modified changed',
    ]);
    expect(cache.size).toBe(4);
    expect(cache.list(new Set(['Deployment'])).map((o) => o.metadata.name)).toEqual(['other-kind']);
  });
});
