import { describe, expect, it } from 'vitest';
import { createSimCluster } from '../src/cluster.ts';
import type { StoredObject } from '../src/types.ts';

const configMap = (namespace: string, name: string, labels: Record<string, string>): StoredObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels } }) as StoredObject;

describe('lists by label', () => {
  it('answer an equality selector from the label index, following every change, in key order', () => {
    const sim = createSimCluster({ profile: 'bare' });
    const { store } = sim.api;
    const type = sim.api.registry.byKind('v1', 'ConfigMap')!;
    const names = (namespace: string | undefined, labelSelector: string) =>
      sim.api
        .list(type, namespace, { labelSelector })
        .items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    for (let i = 0; i < 50; i++)
      store.put(
        '/configmaps',
        configMap(i % 2 ? 'a' : 'a-b', `cm-${i}`, { app: 'web', shard: String(i % 5) }),
      );
    // The rarest term is read from the index; the others still apply.
    expect(names(undefined, 'app=web,shard=3')).toEqual([
      'a-b/cm-18',
      'a-b/cm-28',
      'a-b/cm-38',
      'a-b/cm-48',
      'a-b/cm-8',
      'a/cm-13',
      'a/cm-23',
      'a/cm-3',
      'a/cm-33',
      'a/cm-43',
    ]);
    expect(names('a', 'shard=3,app!=web')).toEqual([]);
    // A relabelled object moves; a removed one goes.
    store.put('/configmaps', configMap('a', 'cm-3', { app: 'web', shard: '4' }));
    store.remove('/configmaps', 'a', 'cm-13');
    expect(names('a', 'shard=3')).toEqual(['a/cm-23', 'a/cm-33', 'a/cm-43']);
    expect(names('a', 'shard=4')).toContain('a/cm-3');
    // Objects loaded from a data file are indexed too.
    store.load({
      resourceVersion: 500,
      objects: [{ typeKey: '/configmaps', object: configMap('z', 'x', { shard: '3' }) }],
    });
    expect(names(undefined, 'shard=3')).toEqual(['z/x']);
  });
});
