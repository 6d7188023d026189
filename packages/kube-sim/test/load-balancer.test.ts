import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
