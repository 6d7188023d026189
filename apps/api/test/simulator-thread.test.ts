import { monitorEventLoopDelay } from 'node:perf_hooks';
import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@uncloud/testing';
import { startStack, type Stack } from '../src/testing/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ simulator: 'separate' });
}, 60_000);
afterAll(() => stack?.close());

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};

describe('the embedded cluster on a thread of its own', () => {
  it('converges a droplet through it, with no simulator on the API thread', async () => {
    expect(stack.api.cluster?.simulator).toBe('separate');
    expect(stack.sim).toBeUndefined();
    const { client } = stack;
    const project = await client.projects.create.mutate({ name: 'threaded' });
    const droplet = await client.droplets.create.mutate({
      projectId: project.id,
      name: 'web-1',
      size: 's-1vcpu-1gb',
      image: 'ubuntu-24-04',
      sshKeyIds: [],
    });
    await waitFor(
      async () =>
        (await client.droplets.get.query({ projectId: project.id, id: droplet.id })).state === 'active',
      { timeout: 30_000, message: 'the droplet to be active' },
    );
  }, 60_000);

  it("keeps the API's event loop free while the cluster brings up a thousand pods", async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(stack.api.cluster!.kubeconfigPath!);
    const apps = kc.makeApiClient(AppsV1Api);
    const labels = { app: 'burst' };
    const replicas = 1000;
    const delay = monitorEventLoopDelay({ resolution: 5 });
    const health: number[] = [];
    let sampling = true;
    const ping = (async () => {
      while (sampling) {
        const started = performance.now();
        expect((await fetch(`${stack.url}/healthz`)).status).toBe(200);
        health.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    delay.enable();
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'burst' },
        spec: {
          replicas,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '1m' } } }] },
          },
        },
      },
    });
    await waitFor(
      async () =>
        ((await apps.readNamespacedDeployment({ name: 'burst', namespace: 'default' })).status
          ?.readyReplicas ?? 0) >= replicas,
      { timeout: 120_000, interval: 250, message: 'the thousand pods to be ready' },
    );
    delay.disable();
    sampling = false;
    await ping;
    const lagP99Ms = delay.percentile(99) / 1e6;
    const healthP99Ms = quantile(health, 0.99);
    console.log(JSON.stringify({ lagP99Ms, lagMaxMs: delay.max / 1e6, healthP99Ms, pings: health.length }));
    // On the API's own loop this burst holds it for hundreds of ms at a time.
    expect(lagP99Ms).toBeLessThan(50);
    expect(healthP99Ms).toBeLessThan(100);
  }, 180_000);
});
