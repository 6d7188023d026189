import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import { namespaceName, objectName } from '@uncloud/kube';
import { createSimCluster, type SimCluster } from '@uncloud/kube-sim';
import type { ProjectId } from '@uncloud/sdk';
import { waitFor } from '@uncloud/testing';

// The watch-driven engine: reconciles start from watch events and intent writes, read the
// informers' cache, and nothing is polled; the resync compares intent with that cache.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const until = <T>(check: () => Promise<T> | T, message: string, timeout = 15_000) =>
  waitFor(check, { timeout, message });

const open = async (options: Parameters<typeof startStack>[0] = {}) => {
  // Usage sampling would LIST pod metrics on its own timer: out of the counts here.
  const stack = await startStack({ usageIntervalMs: 3_600_000, ...options });
  cleanups.push(() => stack.close());
  await until(() => stack.api.sync!.status().lastResyncAt !== null, 'the first resync');
  return stack;
};

const activeProject = async (stack: Stack, name: string) => {
  const project = await stack.client.projects.create.mutate({ name });
  await until(
    async () => (await stack.client.projects.get.query({ projectId: project.id })).state === 'active',
    'project active',
  );
  return project.id;
};

const dropletState = async (stack: Stack, projectId: ProjectId, id: string) =>
  (await stack.client.droplets.get.query({ projectId, id: id as never })).state;

/** Requests the simulated cluster served since its counts were reset, the lease's left out. */
const clusterRequests = (sim: SimCluster) =>
  sim
    .requestCounts()
    .filter((c) => c.resource !== 'leases')
    .reduce((sum, c) => sum + c.count, 0);

describe('the watch-driven engine', () => {
  it('runs a no-op resync from its cache: no request to the cluster', async () => {
    const stack = await open();
    const projectId = await activeProject(stack, 'steady');
    const c = stack.client;
    const droplet = await c.droplets.create.mutate({
      projectId,
      name: 'd',
      size: 's-1vcpu-1gb',
      image: 'ubuntu-24-04',
    });
    const app = await c.apps.create.mutate({ projectId, name: 'a', image: 'nginx:1.27', port: 80 });
    const volume = await c.volumes.create.mutate({ projectId, name: 'v', sizeGiB: 10 });
    await until(async () => {
      const states = await Promise.all([
        c.droplets.get.query({ projectId, id: droplet.id }),
        c.apps.get.query({ projectId, id: app.id }),
        c.volumes.get.query({ projectId, id: volume.id }),
      ]);
      return states.every((r) => r.state === 'active');
    }, 'everything active');
    const sync = stack.api.sync!;
    await sync.queue.idle();
    const before = sync.status();
    stack.sim!.resetRequestCounts();

    await sync.resync();
    await sync.queue.idle();

    const after = sync.status();
    expect(after.lastResyncAt).not.toEqual(before.lastResyncAt);
    expect(after).toMatchObject({ lastResyncRequests: 0, watching: true });
    expect(after.cachedObjects).toBeGreaterThan(5);
    expect(clusterRequests(stack.sim!)).toBe(0);
    // Nothing needed a pass.
    expect(after.reconciles).toBe(before.reconciles);
  });

  it('sends no request for a resource on its way while nothing changes, and goes on at the next event', async () => {
    const stack = await open();
    const projectId = await activeProject(stack, 'waiting');
    const sim = stack.sim!;
    const sync = stack.api.sync!;
    sim.pauseControllers();
    const droplet = await stack.client.droplets.create.mutate({
      projectId,
      name: 'slow',
      size: 's-1vcpu-1gb',
      image: 'ubuntu-24-04',
    });
    await until(
      async () => (await dropletState(stack, projectId, droplet.id)) === 'provisioning',
      'provisioning',
    );
    await sync.queue.idle();
    const resyncedAt = sync.status().lastResyncAt;
    sim.resetRequestCounts();
    // A polling engine looked every 250 ms, a LIST per kind each time: a second is four looks.
    const quietUntil = Date.now() + 1_000;
    await until(() => Date.now() >= quietUntil || clusterRequests(sim) > 0, 'a second to pass');
    expect(clusterRequests(sim)).toBe(0);
    expect(await dropletState(stack, projectId, droplet.id)).toBe('provisioning');

    sim.resumeControllers();
    await until(async () => (await dropletState(stack, projectId, droplet.id)) === 'active', 'active');
    // Brought there by watch events: no resync ran (it runs every minute here).
    expect(sync.status().lastResyncAt).toEqual(resyncedAt);
  });

  it('follows an action from the cache: a reboot reads an instance from the cluster only while the cache has none', async () => {
    const stack = await open();
    const projectId = await activeProject(stack, 'rebooting');
    const c = stack.client;
    const droplet = await c.droplets.create.mutate({
      projectId,
      name: 'r',
      size: 's-1vcpu-1gb',
      image: 'ubuntu-24-04',
    });
    await until(async () => (await dropletState(stack, projectId, droplet.id)) === 'active', 'active');
    await stack.api.sync!.queue.idle();
    stack.sim!.resetRequestCounts();
    const action = await c.droplets.reboot.mutate({ projectId, id: droplet.id });
    await expect(c.waitForAction(action, { timeoutMs: 15_000, intervalMs: 50 })).resolves.toMatchObject({
      status: 'completed',
    });
    const reads = stack
      .sim!.requestCounts()
      .filter((r) => r.resource === 'virtualmachineinstances' && (r.verb === 'get' || r.verb === 'list'))
      .reduce((sum, r) => sum + r.count, 0);
    // Between the old instance going and the new one being reported, the cache has none: the
    // cluster is asked (it could hold one Uncloud does not label). Every other look is the cache's.
    expect(reads).toBeLessThanOrEqual(2);
    // The restart itself is the one call an action makes.
    expect(stack.sim!.requestCounts().some((r) => r.resource.includes('restart'))).toBe(true);
  });

  it('puts back what is changed or deleted behind its back at once, also after its watches expire (410)', async () => {
    const stack = await open();
    const projectId = await activeProject(stack, 'drift');
    const app = await stack.client.apps.create.mutate({
      projectId,
      name: 'web',
      image: 'nginx:1.27',
      port: 80,
    });
    await until(
      async () => (await stack.client.apps.get.query({ projectId, id: app.id })).state === 'active',
      'app active',
    );
    const sync = stack.api.sync!;
    const kube = stack.kube!;
    const namespace = namespaceName(projectId);
    const name = objectName(app.id);
    const resyncedAt = sync.status().lastResyncAt;
    const corrected = sync.status().driftCorrected;

    await kube.scale('Deployment', namespace, name, 4);
    await until(
      async () =>
        ((await kube.get('Deployment', namespace, name))?.spec as { replicas: number }).replicas === 1,
      'replicas set back to 1',
    );
    expect(sync.status().driftCorrected).toBe(corrected + 1);

    stack.sim!.expireWatches();
    await kube.delete({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace } });
    await until(async () => (await kube.get('Service', namespace, name)) !== null, 'the Service back');
    expect(sync.status().lastResyncAt).toEqual(resyncedAt);
  });

  it('follows the cluster through a restart with a new certificate and token, without a restart of its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uncloud-restart-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const kubeconfigPath = join(dir, 'kubeconfig');
    const dataFile = join(dir, 'cluster.db');
    const first = createSimCluster({
      controllerDelayMs: 0,
      kubeconfigPath,
      dataFile,
      token: 'first-0123456789abcdef',
    });
    const { url, caCert } = await first.start();
    let current: SimCluster = first;
    cleanups.push(() => current.stop());
    const stack = await open({ kubeconfig: kubeconfigPath });
    const projectId = await activeProject(stack, 'restarted');

    await first.stop();
    const second = createSimCluster({
      controllerDelayMs: 0,
      kubeconfigPath,
      dataFile,
      port: Number(new URL(url).port),
      token: 'second-9876543210fedcba',
    });
    current = second;
    expect((await second.start()).caCert).not.toBe(caCert);

    const droplet = await stack.client.droplets.create.mutate({
      projectId,
      name: 'after',
      size: 's-1vcpu-1gb',
      image: 'ubuntu-24-04',
    });
    await until(
      async () => (await dropletState(stack, projectId, droplet.id)) === 'active',
      'active',
      30_000,
    );
    expect(stack.api.cluster!.gateway.credentialChanges()).toBe(1);
    // Every kind's watch is back too (a kind whose watch failed last may still be in its backoff).
    await until(() => stack.api.sync!.status().watching, 'watching every kind again', 30_000);
    expect(stack.api.sync!.status()).toMatchObject({ reachable: true, watching: true, leader: true });
  });
});
