import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import { managedSelector, namespaceName, objectName, RESOURCE_ID } from '@uncloud/kube';
import { createSyncEngine } from '@uncloud/sync';
import type { ProjectId } from '@uncloud/sdk';
import { waitFor } from '@uncloud/testing';
import { createAs } from './behind-our-back.ts';
import { failure } from './errors.ts';

let stack: Stack;
afterEach(() => stack.close());

const until = <T>(check: () => Promise<T> | T, message: string, timeout = 15_000) =>
  waitFor(check, { timeout, message });
const silent = { info: () => {}, warn: () => {}, debug: () => {} };
type Json = { spec: { replicas: number }; metadata: { labels?: Record<string, string> } };

const activeProject = async (name: string) => {
  const project = await stack.client.projects.create.mutate({ name });
  await until(
    async () => (await stack.client.projects.get.query({ projectId: project.id })).state === 'active',
    'project active',
  );
  return project.id;
};
const activeApp = async (projectId: ProjectId, name: string, replicas = 1) => {
  const app = await stack.client.apps.create.mutate({
    projectId,
    name,
    image: 'nginx:1.27',
    port: 80,
    replicas,
  });
  await until(
    async () => (await stack.client.apps.get.query({ projectId, id: app.id })).state === 'active',
    `${name} active`,
  );
  return app;
};

describe('drift', () => {
  it('restores a managed object deleted or edited behind its back on the next pass', async () => {
    stack = await startStack();
    const projectId = await activeProject('drift');
    const app = await activeApp(projectId, 'web', 2);
    const namespace = namespaceName(projectId);
    const kube = stack.kube!;

    await kube.delete({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: objectName(app.id), namespace },
    });
    const deployment = (await kube.get('Deployment', namespace, objectName(app.id)))!;
    await kube.scale('Deployment', namespace, objectName(app.id), 5);
    expect(deployment).toBeTruthy();

    await stack.api.sync!.resync();
    await until(
      async () => (await kube.get('Service', namespace, objectName(app.id))) !== null,
      'service restored',
    );
    await until(
      async () =>
        ((await kube.get('Deployment', namespace, objectName(app.id))) as unknown as Json).spec.replicas ===
        2,
      'replicas restored',
    );
    expect(stack.api.sync!.status().driftCorrected).toBeGreaterThanOrEqual(1);
  });

  it('reports an unlabelled object with a clashing name as an error and leaves it alone', async () => {
    stack = await startStack();
    const projectId = await activeProject('clash');
    const namespace = namespaceName(projectId);
    // Hold the engine's creates back so that someone else's Deployment can take the name first.
    stack.sim!.injectError({ status: 503, method: 'POST', path: '/deployments' });
    const app = await stack.client.apps.create.mutate({
      projectId,
      name: 'taken',
      image: 'nginx:1.27',
      port: 80,
    });
    const foreign = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: objectName(app.id), namespace, labels: { team: 'someone-else' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'theirs' } },
        template: {
          metadata: { labels: { app: 'theirs' } },
          spec: { containers: [{ name: 'c', image: 'busybox' }] },
        },
      },
    };
    createAs(stack.sim!, 'someone-else', foreign);
    stack.sim!.clearFaults();

    const failed = await until(async () => {
      const a = await stack.client.apps.get.query({ projectId, id: app.id });
      return a.state === 'error' && a;
    }, 'app in error');
    expect(failed.syncError).toMatch(
      /Deployment .* already exists .* not managed by Uncloud; remove or rename it/,
    );
    const theirs = (await stack.kube!.get('Deployment', namespace, objectName(app.id))) as unknown as Json;
    expect(theirs.metadata.labels).toEqual({ team: 'someone-else' });
  });
});

describe('outage', () => {
  it('accepts every write while the cluster is down, shows stale state, then converges to exactly the intent', async () => {
    stack = await startStack();
    const c = stack.client;
    const projectId = await activeProject('outage');
    const keep = await activeApp(projectId, 'keep');
    const drop = await activeApp(projectId, 'drop');

    await stack.sim!.refuseConnections();
    const created = [];
    for (let i = 0; i < 5; i++) {
      created.push(
        await c.apps.create.mutate({ projectId, name: `new-${i}`, image: 'nginx:1.27', port: 80 }),
      );
    }
    await c.apps.scale.mutate({ projectId, id: keep.id, replicas: 3 });
    await c.apps.delete.mutate({ projectId, id: drop.id });
    await until(
      async () => (await c.apps.get.query({ projectId, id: keep.id })).syncState === 'stale',
      'stale shown',
    );
    const stale = await c.apps.get.query({ projectId, id: keep.id });
    expect(stale.observedAt).not.toBeNull();
    expect((await c.apps.list.query({ projectId })).items).toHaveLength(7);

    await stack.sim!.acceptConnections();
    await stack.api.sync!.resync();
    await until(
      async () => {
        const { items } = await c.apps.list.query({ projectId });
        return items.length === 6 && items.every((a) => a.state === 'active' && a.syncState === 'synced');
      },
      'converged after the outage',
      45_000,
    );
    expect((await c.apps.get.query({ projectId, id: keep.id })).readyReplicas).toBe(3);
    const deployments = await stack.kube!.list('Deployment', {
      labelSelector: managedSelector('app'),
      namespace: namespaceName(projectId),
    });
    const intent = (await c.apps.list.query({ projectId })).items.map((a) => a.id).sort();
    expect(deployments.map((d) => d.metadata.labels![RESOURCE_ID]).sort()).toEqual(intent);
    expect((await failure(c.apps.get.query({ projectId, id: drop.id }))).data.code).toBe('NOT_FOUND');
  }, 60_000);
});

describe('crash and leadership', () => {
  it('heals a crash between apply and status write without duplicating objects', async () => {
    stack = await startStack();
    const projectId = await activeProject('crash');
    const app = await activeApp(projectId, 'survivor');
    await stack.api.sync!.stop();
    // What a crash right after the apply leaves behind: objects exist, the row never heard of them.
    stack.api.store.sqlite
      .prepare(
        `update apps set state = 'pending', observed_generation = 0, observed_at = null, ready_replicas = null where id = ?`,
      )
      .run(app.id);

    const successor = createSyncEngine({
      store: stack.api.store,
      gateway: stack.kube!,
      logger: silent,
      intervalMs: 60_000,
      pollMs: 50,
      settings: { storageClass: undefined, ingressClass: undefined, policyFlavour: 'cilium' },
    });
    await successor.start();
    try {
      await until(
        async () => (await stack.client.apps.get.query({ projectId, id: app.id })).state === 'active',
        'healed',
      );
      const objects = await stack.kube!.list('Deployment', { labelSelector: `${RESOURCE_ID}=${app.id}` });
      expect(objects).toHaveLength(1);
    } finally {
      await successor.stop();
    }
  });

  it('lets only the lease holder reconcile, and hands over when it stops', async () => {
    stack = await startStack();
    const first = stack.api.sync!;
    await until(() => first.status().leader, 'first engine leads');
    const second = createSyncEngine({
      store: stack.api.store,
      gateway: stack.kube!,
      logger: silent,
      intervalMs: 60_000,
      pollMs: 50,
      settings: { storageClass: undefined, ingressClass: undefined, policyFlavour: 'cilium' },
      lease: { namespace: 'default', name: 'uncloud-sync', durationMs: 15_000, renewMs: 100 },
    });
    await second.start();
    try {
      expect(second.status().leader).toBe(false);
      const projectId = await activeProject('leader');
      second.enqueue('project', projectId);
      await second.queue.idle();
      expect(second.status().reconciles).toBe(0);
      expect(first.status().reconciles).toBeGreaterThan(0);

      await first.stop();
      await until(() => second.status().leader, 'second engine takes over', 5000);
    } finally {
      await second.stop();
    }
  });
});
