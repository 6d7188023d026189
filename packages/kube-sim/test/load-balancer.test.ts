import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { createNamespace, startSim, waitFor, type TestCluster } from './helpers.ts';

let t: TestCluster;
const ns = 'lb';
beforeAll(async () => {
  t = await startSim({ controllerDelayMs: 5 });
  await createNamespace(t, ns);
});
afterAll(() => t?.stop());

const loadBalancer = (name: string, port = 22) =>
  t.core.createNamespacedService({
    namespace: ns,
    body: { metadata: { name }, spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port }] } },
  });
const addressOf = (name: string) =>
  waitFor(async () => {
    const s = await t.core.readNamespacedService({ name, namespace: ns });
    return s.status?.loadBalancer?.ingress?.[0]?.ip;
  });

describe('the simulated load balancer', () => {
  it('gives every LoadBalancer Service its own address from the pool, even on the same port', async () => {
    await loadBalancer('one');
    await loadBalancer('two');
    const [one, two] = [await addressOf('one'), await addressOf('two')];
    expect(one).toMatch(/^198\.51\.100\.\d+$/);
    expect(two).toMatch(/^198\.51\.100\.\d+$/);
    expect(one).not.toBe(two);
  });

  it('keeps a Service its address across changes, and gives a freed address to the next one', async () => {
    await loadBalancer('kept');
    const before = await addressOf('kept');
    const current = await t.core.readNamespacedService({ name: 'kept', namespace: ns });
    await t.core.replaceNamespacedService({
      name: 'kept',
      namespace: ns,
      body: { ...current, metadata: { ...current.metadata, labels: { x: 'y' } } },
    });
    const after = await waitFor(async () => {
      const s = await t.core.readNamespacedService({ name: 'kept', namespace: ns });
      return s.metadata?.labels?.x === 'y' ? s.status?.loadBalancer?.ingress?.[0]?.ip : undefined;
    });
    expect(after).toBe(before);
    await t.core.deleteNamespacedService({ name: 'kept', namespace: ns });
    await loadBalancer('next');
    expect(await addressOf('next')).toBe(before);
  });

  it('gives a ClusterIP Service no external address', async () => {
    await t.core.createNamespacedService({
      namespace: ns,
      body: { metadata: { name: 'inside' }, spec: { selector: { app: 'x' }, ports: [{ port: 80 }] } },
    });
    await waitFor(
      async () => (await t.core.readNamespacedService({ name: 'inside', namespace: ns })).spec?.clusterIP,
    );
    expect(
      (await t.core.readNamespacedService({ name: 'inside', namespace: ns })).status?.loadBalancer?.ingress,
    ).toBeUndefined();
  });

  const asking = (name: string, ip: string, how: 'annotation' | 'field' = 'annotation') =>
    t.core.createNamespacedService({
      namespace: ns,
      body: {
        metadata: {
          name,
          ...(how === 'annotation' ? { annotations: { 'metallb.io/loadBalancerIPs': ip } } : {}),
        },
        spec: {
          type: 'LoadBalancer',
          selector: { app: name },
          ports: [{ port: 22 }],
          ...(how === 'field' ? { loadBalancerIP: ip } : {}),
        },
      },
    });
  const warnings = (name: string) =>
    waitFor(async () => {
      const events = await t.core.listNamespacedEvent({ namespace: ns });
      const found = events.items.filter((e) => e.involvedObject.name === name && e.type === 'Warning');
      return found.length > 0 ? found : undefined;
    });

  it('gives a Service the address it asks for from the pool that assigns only on request', async () => {
    await asking('asks', '203.0.113.7');
    expect(await addressOf('asks')).toBe('203.0.113.7');
    // The deprecated field is still honoured, as MetalLB does.
    await asking('asks-by-field', '203.0.113.8', 'field');
    expect(await addressOf('asks-by-field')).toBe('203.0.113.8');
    // Nothing asked: never an address of the reserved pool.
    await loadBalancer('auto');
    expect(await addressOf('auto')).toMatch(/^198\.51\.100\./);
  });

  it('moves the address with the Service when its selector changes', async () => {
    await asking('moving', '203.0.113.20');
    expect(await addressOf('moving')).toBe('203.0.113.20');
    await t.core.patchNamespacedService(
      { name: 'moving', namespace: ns, body: { spec: { selector: { app: 'elsewhere' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const after = await waitFor(async () => {
      const s = await t.core.readNamespacedService({ name: 'moving', namespace: ns });
      return s.spec?.selector?.app === 'elsewhere' ? s.status?.loadBalancer?.ingress?.[0]?.ip : undefined;
    });
    expect(after).toBe('203.0.113.20');
  });

  it('leaves a Service asking for an address outside every pool pending, with MetalLB’s warning', async () => {
    await asking('outside', '192.0.2.9');
    const [event] = await warnings('outside');
    expect(event?.reason).toBe('AllocationFailed');
    expect(event?.message).toBe(
      `Failed to allocate IP for "${ns}/outside": "192.0.2.9" is not allowed in config`,
    );
    const svc = await t.core.readNamespacedService({ name: 'outside', namespace: ns });
    expect(svc.status?.loadBalancer?.ingress).toBeUndefined();
  });

  it('refuses an address another Service holds', async () => {
    await asking('first', '203.0.113.30');
    expect(await addressOf('first')).toBe('203.0.113.30');
    await asking('second', '203.0.113.30');
    const [event] = await warnings('second');
    expect(event?.message).toContain('"203.0.113.30" is already in use');
    const svc = await t.core.readNamespacedService({ name: 'second', namespace: ns });
    expect(svc.status?.loadBalancer?.ingress).toBeUndefined();
  });
});
