import { describe, expect, it } from 'vitest';
import { createSimCluster } from '../src/cluster.ts';
import { allocatePodIp } from '../src/controllers/util.ts';
import type { ObjectApi } from '../src/object-api.ts';
import { ObjectStore } from '../src/store.ts';
import type { StoredObject } from '../src/types.ts';

const pod = (name: string, podIP?: string): StoredObject =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    status: podIP ? { podIP } : {},
  }) as StoredObject;
const vmi = (name: string, ipAddress: string): StoredObject =>
  ({
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstance',
    metadata: { name, namespace: 'default' },
    status: { interfaces: [{ ipAddress }] },
  }) as StoredObject;

describe('pod IP allocation', () => {
  it('hands out the lowest address no pod or VM instance holds, following every change', () => {
    const store = new ObjectStore();
    const api = { store } as unknown as ObjectApi;
    for (const [i, ip] of ['10.42.0.2', '10.42.0.3', '10.42.0.4'].entries())
      store.put('/pods', pod(`p${i}`, ip));
    expect(allocatePodIp(api)).toBe('10.42.0.5');
    store.remove('/pods', 'default', 'p1');
    expect(allocatePodIp(api)).toBe('10.42.0.3');
    store.put('kubevirt.io/virtualmachineinstances', vmi('vm', '10.42.0.3'));
    expect(allocatePodIp(api)).toBe('10.42.0.5');
    // A pod that takes an address, then one that moves off it.
    store.put('/pods', pod('p5', '10.42.0.5'));
    expect(allocatePodIp(api)).toBe('10.42.0.6');
    store.put('/pods', pod('p5'));
    expect(allocatePodIp(api)).toBe('10.42.0.5');
    // Objects replaced without events (a data file loaded) are seen too.
    store.load({ resourceVersion: 100, objects: [{ typeKey: '/pods', object: pod('q', '10.42.0.2') }] });
    expect(allocatePodIp(api)).toBe('10.42.0.3');
  });

  it('gives a Service the lowest free cluster IP from 10.43.0.10, following every change', async () => {
    const sim = createSimCluster({ profile: 'bare', controllerDelayMs: 0 });
    await sim.start();
    const type = sim.api.registry.byKind('v1', 'Service')!;
    const service = (name: string) =>
      sim.api.create(type, 'default', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name },
        spec: { ports: [{ port: 80 }] },
      } as StoredObject).spec?.clusterIP;
    const taken = new Set(sim.api.store.list('/services').map((s) => s.spec?.clusterIP as string));
    const first = service('a');
    expect(first).toMatch(/^10\.43\.0\.\d+$/);
    expect(taken.has(first as string)).toBe(false);
    const second = service('b');
    expect(second).not.toBe(first);
    sim.api.store.remove('/services', 'default', 'a');
    expect(service('c')).toBe(first);
    await sim.stop();
  });

  it('skips the network and broadcast addresses of each /24', () => {
    const store = new ObjectStore();
    const api = { store } as unknown as ObjectApi;
    for (let i = 2; i < 255; i++) store.put('/pods', pod(`p${i}`, `10.42.0.${i}`));
    expect(allocatePodIp(api)).toBe('10.42.1.1');
  });
});
