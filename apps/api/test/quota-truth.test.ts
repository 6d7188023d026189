import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import { namespaceName } from '@uncloud/kube';
import type { ProjectId, UncloudClient } from '@uncloud/sdk';
import { waitFor } from '@uncloud/testing';
import { failure } from './errors.ts';

let stack: Stack;
let c: UncloudClient;

beforeAll(async () => {
  stack = await startStack();
  c = stack.client;
});
afterAll(() => stack?.close());

const project = async (name: string, limits: { vcpus?: number; memoryMiB?: number; volumeGiB?: number }) => {
  const { id } = await c.projects.create.mutate({ name, description: '' });
  await c.quotas.update.mutate({ projectId: id, ...limits });
  // The namespace and its ResourceQuota, counted by the cluster, before anything goes in.
  await waitFor(async () => (await c.quotas.get.query({ projectId: id })).clusterUsage, {
    timeout: 15_000,
    message: 'the ResourceQuota observed',
  });
  return id;
};

describe('the API counts quota as the ResourceQuota does', () => {
  it('refuses a 4-vCPU Postgres under a 12-vCPU limit that droplets use the rest of, naming the limit', async () => {
    const projectId = await project('quota-postgres', { vcpus: 12 });
    // Droplets take 10 of the 12 vCPUs. The old count (droplets' vCPUs only, databases by number)
    // let a 4-vCPU Postgres in, whose pods the ResourceQuota then refused.
    await c.droplets.create.mutate({ projectId, name: 'a', size: 's-4vcpu-8gb', image: 'ubuntu-24-04' });
    await c.droplets.create.mutate({ projectId, name: 'b', size: 's-4vcpu-8gb', image: 'ubuntu-24-04' });
    await c.droplets.create.mutate({ projectId, name: 'c', size: 's-2vcpu-4gb', image: 'ubuntu-24-04' });
    const refused = await failure(
      c.databases.create.mutate({ projectId, name: 'main', engine: 'postgres', size: 'db-s-4vcpu-8gb' }),
    );
    expect(refused.data).toMatchObject({ code: 'QUOTA_EXCEEDED', field: 'size' });
    expect(refused.message).toMatch(/vCPUs.*allows 12 vCPUs \(limit "vcpus"\)/);
    expect(refused.message).toContain('this would use 14 vCPUs');
    // A 2-vCPU one fits beside them.
    await c.databases.create.mutate({ projectId, name: 'small', engine: 'postgres', size: 'db-s-2vcpu-4gb' });
  });

  it('counts MySQL and Valkey pods, app replicas with the rollout surge, and database disks', async () => {
    const projectId = await project('quota-kinds', { vcpus: 4, volumeGiB: 40 });
    await c.databases.create.mutate({ projectId, name: 'my', engine: 'mysql', size: 'db-s-2vcpu-4gb' });
    const usage = (await c.quotas.get.query({ projectId })).usage;
    expect(usage).toMatchObject({ databases: 1, vcpus: 2, memoryMiB: 4096, volumeGiB: 38 });

    const valkey = await failure(
      c.databases.create.mutate({ projectId, name: 'cache', engine: 'valkey', size: 'db-s-2vcpu-4gb' }),
    );
    // Its 38 GiB disk does not fit the 2 GiB left.
    expect(valkey.message).toContain('GiB of storage');

    // 19 replicas and the 5 a rollout adds: 2.4 vCPUs, over the 2 left.
    const app = await failure(
      c.apps.create.mutate({ projectId, name: 'web', image: 'nginx:1.27', port: 80, replicas: 19 }),
    );
    expect(app.data).toMatchObject({ code: 'QUOTA_EXCEEDED', field: 'replicas' });
    const small = await c.apps.create.mutate({
      projectId,
      name: 'web',
      image: 'nginx:1.27',
      port: 80,
      replicas: 4,
    });
    expect((await c.quotas.get.query({ projectId })).usage.vcpus).toBe(2.5);
    const scale = await failure(c.apps.scale.mutate({ projectId, id: small.id, replicas: 17 }));
    expect(scale.data).toMatchObject({ code: 'QUOTA_EXCEEDED', field: 'replicas' });
  });

  it('names the field that asks for each limit: the name for a count, the size for CPU', async () => {
    const projectId = await project('quota-fields', { vcpus: 2 });
    await c.quotas.update.mutate({ projectId, databases: 1 });
    await c.databases.create.mutate({ projectId, name: 'one', engine: 'valkey', size: 'db-s-1vcpu-1gb' });
    const count = await failure(
      c.databases.create.mutate({ projectId, name: 'two', engine: 'valkey', size: 'db-s-1vcpu-1gb' }),
    );
    expect(count.data).toMatchObject({ code: 'QUOTA_EXCEEDED', field: 'name' });
    expect(count.message).toContain('2 databases');
    await c.quotas.update.mutate({ projectId, databases: 5 });
    const cpu = await failure(
      c.databases.create.mutate({ projectId, name: 'two', engine: 'valkey', size: 'db-s-2vcpu-4gb' }),
    );
    expect(cpu.data).toMatchObject({ code: 'QUOTA_EXCEEDED', field: 'size' });
  });

  it('refuses a MySQL password reset whose Job the quota has no room for', async () => {
    const projectId = await project('quota-reset', { vcpus: 1 });
    const database = await c.databases.create.mutate({
      projectId,
      name: 'my',
      engine: 'mysql',
      size: 'db-s-1vcpu-1gb',
    });
    const refused = await failure(c.databases.resetPassword.mutate({ projectId, id: database.id }));
    expect(refused.data).toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect(refused.message).toContain('this would use 1.05 vCPUs');
  });

  it('shows what Kubernetes counts, and it matches the intent count once everything runs', async () => {
    const projectId = await project('quota-match', {});
    await c.droplets.create.mutate({ projectId, name: 'vm', size: 's-1vcpu-1gb', image: 'ubuntu-24-04' });
    await c.databases.create.mutate({ projectId, name: 'pg', engine: 'postgres', size: 'db-s-1vcpu-1gb' });
    await c.databases.create.mutate({ projectId, name: 'my', engine: 'mysql', size: 'db-s-1vcpu-2gb' });
    await c.volumes.create.mutate({ projectId, name: 'data', sizeGiB: 5 });
    const quota = await waitFor(
      async () => {
        const q = await c.quotas.get.query({ projectId });
        return q.clusterUsage && q.clusterUsage.databases === 2 && q.clusterUsage.vcpus === q.usage.vcpus
          ? q
          : null;
      },
      { timeout: 20_000, message: 'the cluster to count what intent counts' },
    );
    expect(quota.clusterUsage).toEqual(quota.usage);
    // A droplet's VM pod asks for more than its size: KubeVirt's overhead is counted on both sides.
    expect(quota.usage.memoryMiB).toBeGreaterThan(1024 + 1024 + 2048);
  });
});

describe('when Kubernetes refuses anyway', () => {
  it('puts the database, the app and the droplet in error with the reason, and they recover when there is room', async () => {
    const projectId: ProjectId = await project('quota-refused', { vcpus: 12 });
    const namespace = namespaceName(projectId);
    // Something outside Uncloud takes the cluster's quota: the API cannot know.
    await stack.kube!.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'hog', namespace },
      spec: {
        containers: [
          { name: 'hog', image: 'busybox', resources: { requests: { cpu: '11950m', memory: '64Mi' } } },
        ],
      },
    });
    const database = await c.databases.create.mutate({
      projectId,
      name: 'main',
      engine: 'mysql',
      size: 'db-s-1vcpu-1gb',
    });
    const app = await c.apps.create.mutate({
      projectId,
      name: 'web',
      image: 'nginx:1.27',
      port: 80,
      replicas: 1,
    });
    const droplet = await c.droplets.create.mutate({
      projectId,
      name: 'vm',
      size: 's-1vcpu-1gb',
      image: 'ubuntu-24-04',
    });
    const failed = await waitFor(
      async () => {
        const d = await c.databases.get.query({ projectId, id: database.id });
        return d.state === 'error' ? d : null;
      },
      { timeout: 15_000, message: 'the database in error' },
    );
    expect(failed.syncState).toBe('error');
    expect(failed.syncError).toMatch(/^Kubernetes refused the database's pods: .*exceeded quota/);
    expect(failed.syncError).toContain("the project's quota in the cluster is used up");
    const appFailed = await waitFor(
      async () => {
        const a = await c.apps.get.query({ projectId, id: app.id });
        return a.state === 'error' ? a : null;
      },
      { timeout: 15_000, message: 'the app in error' },
    );
    expect(appFailed.syncError).toMatch(/^Kubernetes refused the app's pods: .*exceeded quota/);
    const dropletFailed = await waitFor(
      async () => {
        const d = await c.droplets.get.query({ projectId, id: droplet.id });
        return d.state === 'error' ? d : null;
      },
      { timeout: 20_000, message: 'the droplet in error' },
    );
    expect(dropletFailed.syncError).toMatch(
      /^Kubernetes refused the droplet's VM pod: failed to create virtual machine pod: .*exceeded quota/,
    );

    await stack.kube!.delete({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hog', namespace } });
    await c.waitFor(c.databases, { projectId, id: database.id }, 'active', {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    await c.waitFor(c.apps, { projectId, id: app.id }, 'active', { timeoutMs: 30_000, intervalMs: 100 });
    await c.waitFor(c.droplets, { projectId, id: droplet.id }, 'active', {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    expect((await c.databases.get.query({ projectId, id: database.id })).syncError).toBeNull();
  });
});
