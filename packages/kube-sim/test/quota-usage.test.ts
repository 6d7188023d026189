import { describe, expect, it } from 'vitest';
import { namespaceUsage } from '../src/controllers/quota.ts';
import { createSimCluster } from '../src/cluster.ts';
import type { StoredObject } from '../src/types.ts';

const pod = (name: string, cpu: string, phase?: string): StoredObject =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'team' },
    spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu, memory: '64Mi' } } }] },
    ...(phase ? { status: { phase } } : {}),
  }) as StoredObject;

describe('quota usage', () => {
  it("follows every change of a namespace's objects without recounting it", () => {
    const sim = createSimCluster({ profile: 'bare' });
    const { store } = sim.api;
    const tracked = ['pods', 'requests.cpu', 'requests.memory', 'count/configmaps'];
    expect(namespaceUsage(sim.api, 'team', tracked)).toEqual({
      pods: 0,
      'requests.cpu': 0,
      'requests.memory': 0,
      'count/configmaps': 0,
    });
    store.put('/pods', pod('a', '100m'));
    store.put('/pods', pod('b', '200m'));
    store.put('/pods', pod('c', '1'));
    store.put('/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'team' },
    });
    store.put('/pods', { ...pod('x', '5'), metadata: { name: 'x', namespace: 'elsewhere' } } as StoredObject);
    expect(namespaceUsage(sim.api, 'team', tracked)).toEqual({
      pods: 3,
      'requests.cpu': 1.3,
      'requests.memory': 3 * 64 * 1024 * 1024,
      'count/configmaps': 1,
    });
    // A pod that finished takes nothing; a deleted one neither.
    store.put('/pods', pod('a', '100m', 'Succeeded'));
    store.remove('/pods', 'team', 'b');
    expect(namespaceUsage(sim.api, 'team', ['pods', 'requests.cpu'])).toEqual({ pods: 1, 'requests.cpu': 1 });
    // Objects replaced without events (a data file loaded) are counted afresh.
    store.load({ resourceVersion: 50, objects: [{ typeKey: '/pods', object: pod('z', '250m') }] });
    expect(namespaceUsage(sim.api, 'team', ['pods', 'requests.cpu'])).toEqual({
      pods: 1,
      'requests.cpu': 0.25,
    });
  });

  it('counts a pod as the pod evaluator does: its largest init container when more, and its overhead', () => {
    const sim = createSimCluster({ profile: 'bare' });
    const tracked = ['requests.cpu', 'requests.memory', 'limits.memory'];
    const containers = [
      {
        name: 'a',
        image: 'x',
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '64Mi' } },
      },
      { name: 'b', image: 'x', resources: { requests: { cpu: '100m', memory: '64Mi' } } },
    ];
    sim.api.store.put('/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'team' },
      spec: {
        containers,
        // More CPU than both containers, less memory: each resource takes the larger of the two.
        initContainers: [{ name: 'i', image: 'x', resources: { requests: { cpu: '1', memory: '1Mi' } } }],
        overhead: { cpu: '250m', memory: '120Mi' },
      },
    } as StoredObject);
    expect(namespaceUsage(sim.api, 'team', tracked)).toEqual({
      'requests.cpu': 1.25,
      'requests.memory': (128 + 120) * 1024 * 1024,
      'limits.memory': (64 + 120) * 1024 * 1024,
    });
  });
});
