import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import { databasesRepository } from '@uncloud/db';
import {
  type KindName,
  type KubeObject,
  credentialsSecretName,
  namespaceName,
  objectName,
} from '@uncloud/kube';
import type { Action, ProjectId, UncloudClient } from '@uncloud/sdk';
import { waitFor } from '@uncloud/testing';
import { mergePatchAs } from './behind-our-back.ts';
import { failure } from './errors.ts';

let stack: Stack;
let c: UncloudClient;
let projectId: ProjectId;
let namespace: string;

beforeAll(async () => {
  stack = await startStack();
  c = stack.client;
  projectId = (await c.projects.create.mutate({ name: 'actions', description: '' })).id;
  namespace = namespaceName(projectId);
});
afterAll(() => stack?.close());

const kube = () => stack.kube!;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = KubeObject & Record<string, any>;
const object = (kind: KindName, name: string) => kube().get(kind, namespace, name) as Promise<Loose>;
const vmi = (id: string) => object('VirtualMachineInstance', objectName(id)).catch(() => null);
const done = (action: Action) => c.waitForAction(action, { timeoutMs: 15_000, intervalMs: 50 });

const activeDroplet = async (name: string) => {
  const droplet = await c.droplets.create.mutate({
    projectId,
    name,
    size: 's-1vcpu-1gb',
    image: 'ubuntu-24-04',
  });
  await c.waitFor(c.droplets, { projectId, id: droplet.id }, 'active', { timeoutMs: 15_000, intervalMs: 50 });
  return droplet;
};

const dropletAfter = (id: string) => c.droplets.get.query({ projectId, id: id as never });

describe('droplet actions', () => {
  it('powers off gracefully (no running instance) and back on, completing each action', async () => {
    const droplet = await activeDroplet('power');
    const off = await c.droplets.powerOff.mutate({ projectId, id: droplet.id });
    expect(off).toMatchObject({ type: 'powerOff', resourceId: droplet.id, status: 'in-progress' });
    expect(off.id).toMatch(/^act_/);
    expect(await done(off)).toMatchObject({ status: 'completed', error: null });
    expect(await dropletAfter(droplet.id)).toMatchObject({ state: 'stopped', syncState: 'synced' });
    expect(await vmi(droplet.id)).toBeNull();
    expect((await object('VirtualMachine', objectName(droplet.id))).spec.runStrategy).toBe('Halted');

    const again = await failure(c.droplets.powerOff.mutate({ projectId, id: droplet.id }));
    expect(again.data.code).toBe('BAD_REQUEST');
    expect(again.message).toBe(`nothing to change: droplet ${droplet.name} is already powered off`);
    const on = await c.droplets.powerOn.mutate({ projectId, id: droplet.id });
    expect((await done(on)).status).toBe('completed');
    expect(await dropletAfter(droplet.id)).toMatchObject({ state: 'active' });
    expect((await dropletAfter(droplet.id)).ip).not.toBeNull();
    expect(await vmi(droplet.id)).not.toBeNull();
  });

  it('reboots into a new running instance', async () => {
    const droplet = await activeDroplet('reboot');
    const before = (await vmi(droplet.id))!.metadata.uid;
    const reboot = await c.droplets.reboot.mutate({ projectId, id: droplet.id });
    expect((await done(reboot)).status).toBe('completed');
    const after = await vmi(droplet.id);
    expect(after?.metadata.uid).toBeDefined();
    expect(after!.metadata.uid).not.toBe(before);
    expect((await dropletAfter(droplet.id)).state).toBe('active');
  });

  it('refuses a second action while one is in progress, naming the first', async () => {
    const droplet = await activeDroplet('busy');
    const off = await c.droplets.powerOff.mutate({ projectId, id: droplet.id });
    const refused = await failure(c.droplets.reboot.mutate({ projectId, id: droplet.id }));
    expect(refused.data.code).toBe('CONFLICT');
    expect(refused.message).toContain(off.id);
    await done(off);
  });

  it('resizes only when powered off, never to a smaller disk, and shows the new size in the VM', async () => {
    const droplet = await activeDroplet('resize');
    const running = await failure(
      c.droplets.resize.mutate({ projectId, id: droplet.id, size: 's-2vcpu-4gb' }),
    );
    expect(running.data.code).toBe('CONFLICT');
    expect(running.message).toContain('power it off');

    await done(await c.droplets.powerOff.mutate({ projectId, id: droplet.id }));
    const bigger = await c.droplets.resize.mutate({ projectId, id: droplet.id, size: 's-2vcpu-4gb' });
    expect(bigger.params).toEqual({ size: 's-2vcpu-4gb', from: 's-1vcpu-1gb' });
    expect((await done(bigger)).status).toBe('completed');
    expect(await dropletAfter(droplet.id)).toMatchObject({ size: 's-2vcpu-4gb', vcpus: 2, state: 'stopped' });
    const vm = await object('VirtualMachine', objectName(droplet.id));
    expect(vm.spec.template.spec.domain.cpu.cores).toBe(2);

    const smaller = await failure(
      c.droplets.resize.mutate({ projectId, id: droplet.id, size: 's-1vcpu-1gb' }),
    );
    expect(smaller.data).toMatchObject({ code: 'BAD_REQUEST', field: 'size' });
    expect(smaller.message).toContain('cannot shrink');
  });

  it('rebuilds from a new image, keeping its id, into a fresh instance', async () => {
    const droplet = await activeDroplet('rebuild');
    const before = (await vmi(droplet.id))!.metadata.uid;
    const rebuild = await c.droplets.rebuild.mutate({ projectId, id: droplet.id, image: 'debian-12' });
    expect((await done(rebuild)).status).toBe('completed');
    expect(await dropletAfter(droplet.id)).toMatchObject({
      id: droplet.id,
      image: 'debian-12',
      state: 'active',
    });
    const vm = await object('VirtualMachine', objectName(droplet.id));
    // A new root disk, imported from the new image; the old one is deleted.
    const [disk] = vm.spec.dataVolumeTemplates;
    expect(disk.spec.source.registry.url).toContain('debian');
    expect(disk.metadata.name).not.toBe(`${objectName(droplet.id)}-root`);
    expect(vm.spec.template.spec.volumes[0]).toEqual({
      name: 'rootdisk',
      dataVolume: { name: disk.metadata.name },
    });
    expect(await object('DataVolume', `${objectName(droplet.id)}-root`).catch(() => null)).toBeNull();
    expect((await vmi(droplet.id))!.metadata.uid).not.toBe(before);
  });

  it('takes a KubeVirt snapshot, and ends errored with the reason where the cluster has no snapshot API', async () => {
    const droplet = await activeDroplet('snap');
    const snapshot = await c.droplets.snapshot.mutate({ projectId, id: droplet.id, name: 'before-upgrade' });
    expect((await done(snapshot)).status).toBe('completed');
    const snapshotId = String(snapshot.params.snapshotId);
    const taken = await object('VirtualMachineSnapshot', objectName(snapshotId));
    expect(taken.spec.source).toEqual({
      apiGroup: 'kubevirt.io',
      kind: 'VirtualMachine',
      name: objectName(droplet.id),
    });
    expect(taken.status.readyToUse).toBe(true);
    const again = await failure(
      c.droplets.snapshot.mutate({ projectId, id: droplet.id, name: 'before-upgrade' }),
    );
    expect(again.data).toMatchObject({ code: 'CONFLICT', field: 'name' });
    expect(again.message).toContain('already exists');

    stack.sim!.injectError({ status: 404, path: '/virtualmachinesnapshots' });
    try {
      const unsupported = await c.droplets.snapshot.mutate({ projectId, id: droplet.id });
      const ended = await failure(done(unsupported));
      expect(ended.message).toContain('snapshot.kubevirt.io');
      const action = await c.actions.get.query({ projectId, id: unsupported.id });
      expect(action).toMatchObject({ status: 'errored' });
      expect(action.error).toContain('snapshot.kubevirt.io');
      expect(action.completedAt).not.toBeNull();
    } finally {
      stack.sim!.clearFaults();
    }
    expect((await dropletAfter(droplet.id)).state).toBe('active');
  });

  it('ends errored with the reason when Kubernetes refuses the change, and puts intent back', async () => {
    const droplet = await activeDroplet('refused');
    await done(await c.droplets.powerOff.mutate({ projectId, id: droplet.id }));
    stack.sim!.injectError({
      status: 422,
      path: `/virtualmachines/${objectName(droplet.id)}`,
      method: 'PATCH',
    });
    let resize: Action;
    try {
      resize = await c.droplets.resize.mutate({ projectId, id: droplet.id, size: 's-2vcpu-2gb' });
      await waitFor(
        async () => (await c.actions.get.query({ projectId, id: resize.id })).status === 'errored',
        { timeout: 15_000, message: 'resize errored' },
      );
    } finally {
      stack.sim!.clearFaults();
    }
    const action = await c.actions.get.query({ projectId, id: resize.id });
    expect(action.error).toMatch(
      /^Kubernetes refused the droplet's VirtualMachine: .* — change the droplet's settings$/,
    );
    expect(action.error).not.toMatch(/\/apis?\//);
    const after = await waitFor(
      async () => {
        const d = await dropletAfter(droplet.id);
        return d.syncState === 'synced' && d.state === 'stopped' && d;
      },
      { timeout: 15_000, message: 'droplet consistent again' },
    );
    expect(after.size).toBe('s-1vcpu-1gb');
    expect((await object('VirtualMachine', objectName(droplet.id))).spec.template.spec.domain.cpu.cores).toBe(
      1,
    );
  });

  it('ends an action errored when its resource is deleted first', async () => {
    const droplet = await activeDroplet('doomed');
    stack.sim!.pauseControllers();
    try {
      const off = await c.droplets.powerOff.mutate({ projectId, id: droplet.id });
      await c.droplets.delete.mutate({ projectId, id: droplet.id });
      stack.sim!.resumeControllers();
      const ended = await failure(done(off));
      expect(ended.message).toContain('deleted');
    } finally {
      stack.sim!.resumeControllers();
    }
  });
});

describe('volume actions', () => {
  it('attaches to one droplet at a time, detaches, and refuses to detach what is not attached', async () => {
    const [first, second] = await Promise.all([activeDroplet('host-a'), activeDroplet('host-b')]);
    const volume = await c.volumes.create.mutate({ projectId, name: 'shared', sizeGiB: 5 });
    const attach = await c.volumes.attach.mutate({ projectId, id: volume.id, dropletId: first.id });
    expect((await done(attach)).status).toBe('completed');
    expect((await dropletAfter(first.id)).volumeIds).toEqual([volume.id]);
    expect(JSON.stringify((await object('VirtualMachine', objectName(first.id))).spec)).toContain(
      objectName(volume.id),
    );

    const same = await failure(c.volumes.attach.mutate({ projectId, id: volume.id, dropletId: first.id }));
    expect(same.data).toMatchObject({ code: 'BAD_REQUEST', field: 'dropletId' });
    expect(same.message).toMatch(/^nothing to change: /);

    const elsewhere = await failure(
      c.volumes.attach.mutate({ projectId, id: volume.id, dropletId: second.id }),
    );
    expect(elsewhere.data.code).toBe('CONFLICT');
    expect(elsewhere.message).toContain('detach it first');

    expect((await done(await c.volumes.detach.mutate({ projectId, id: volume.id }))).status).toBe(
      'completed',
    );
    expect((await dropletAfter(first.id)).volumeIds).toEqual([]);
    expect(JSON.stringify((await object('VirtualMachine', objectName(first.id))).spec)).not.toContain(
      objectName(volume.id),
    );
    const unattached = await failure(c.volumes.detach.mutate({ projectId, id: volume.id }));
    expect(unattached.data.code).toBe('BAD_REQUEST');
    expect(unattached.message).toContain('not attached');

    const stranger = await failure(
      c.volumes.attach.mutate({ projectId, id: volume.id, dropletId: 'dpl_00000000000000000000' as never }),
    );
    expect(stranger.data).toMatchObject({ code: 'BAD_REQUEST', field: 'dropletId' });
  });

  it('grows, showing the new capacity once the claim reports it, and never shrinks', async () => {
    const volume = await c.volumes.create.mutate({ projectId, name: 'growing', sizeGiB: 5 });
    await c.waitFor(c.volumes, { projectId, id: volume.id }, 'active', { timeoutMs: 15_000, intervalMs: 50 });
    const grow = await c.volumes.resize.mutate({ projectId, id: volume.id, sizeGiB: 20 });
    expect((await done(grow)).status).toBe('completed');
    expect(await c.volumes.get.query({ projectId, id: volume.id })).toMatchObject({
      sizeGiB: 20,
      capacityGiB: 20,
    });
    const pvc = await object('PersistentVolumeClaim', objectName(volume.id));
    expect(pvc.spec.resources.requests.storage).toBe('20Gi');

    const shrink = await failure(c.volumes.resize.mutate({ projectId, id: volume.id, sizeGiB: 10 }));
    expect(shrink.data).toMatchObject({ code: 'BAD_REQUEST', field: 'sizeGiB' });
    expect(shrink.message).toContain('only grow');
  });
});

describe('app actions', () => {
  const activeApp = async (name: string) => {
    const app = await c.apps.create.mutate({
      projectId,
      name,
      image: 'nginx:1.27',
      port: 80,
      env: { MODE: 'dev' },
    });
    await c.waitFor(c.apps, { projectId, id: app.id }, 'active', { timeoutMs: 15_000, intervalMs: 50 });
    return app;
  };
  const deployment = (id: string) => object('Deployment', objectName(id));

  it('scales up, and down to zero', async () => {
    const app = await activeApp('scaled');
    expect((await done(await c.apps.scale.mutate({ projectId, id: app.id, replicas: 3 }))).status).toBe(
      'completed',
    );
    expect(await c.apps.get.query({ projectId, id: app.id })).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
    });
    expect((await done(await c.apps.scale.mutate({ projectId, id: app.id, replicas: 0 }))).status).toBe(
      'completed',
    );
    expect(await c.apps.get.query({ projectId, id: app.id })).toMatchObject({
      replicas: 0,
      readyReplicas: 0,
    });
    expect((await deployment(app.id)).spec.replicas).toBe(0);
  });

  it('refuses a scale or deploy that changes nothing, naming the field, and records no action', async () => {
    const app = await activeApp('unchanged');
    const before = (await c.actions.list.query({ projectId, resourceId: app.id })).items.length;
    const scale = await failure(c.apps.scale.mutate({ projectId, id: app.id, replicas: app.replicas }));
    expect(scale.data).toMatchObject({ code: 'BAD_REQUEST', field: 'replicas' });
    expect(scale.message).toBe(`nothing to change: app unchanged already runs ${app.replicas} replicas`);
    const image = await failure(c.apps.deploy.mutate({ projectId, id: app.id, image: 'nginx:1.27' }));
    expect(image.data).toMatchObject({ code: 'BAD_REQUEST', field: 'image' });
    const env = await failure(c.apps.deploy.mutate({ projectId, id: app.id, env: { MODE: 'dev' } }));
    expect(env.data).toMatchObject({ code: 'BAD_REQUEST', field: 'env' });
    expect(env.message).toContain('with that environment');
    expect((await c.actions.list.query({ projectId, resourceId: app.id })).items).toHaveLength(before);
    // A real change still goes through.
    const changed = await c.apps.deploy.mutate({ projectId, id: app.id, env: { MODE: 'prod' } });
    expect((await done(changed)).status).toBe('completed');
  });

  it('deploys a new image and environment, rolls back to the previous image, and redeploys', async () => {
    const app = await activeApp('rolled');
    const deploy = await c.apps.deploy.mutate({
      projectId,
      id: app.id,
      image: 'nginx:1.28',
      env: { LOG: 'info' },
    });
    expect(deploy.params).toEqual({ image: 'nginx:1.28', env: ['LOG'] });
    expect((await done(deploy)).status).toBe('completed');
    const deployed = await c.apps.get.query({ projectId, id: app.id });
    expect(deployed).toMatchObject({
      image: 'nginx:1.28',
      previousImage: 'nginx:1.27',
      env: { LOG: 'info' },
    });
    expect(deployed.updatedReplicas).toBe(1);
    const container = (await deployment(app.id)).spec.template.spec.containers[0];
    expect(container.image).toBe('nginx:1.28');
    expect(container.env).toEqual([{ name: 'LOG', value: 'info' }]);

    expect((await done(await c.apps.rollback.mutate({ projectId, id: app.id }))).status).toBe('completed');
    expect(await c.apps.get.query({ projectId, id: app.id })).toMatchObject({
      image: 'nginx:1.27',
      previousImage: 'nginx:1.28',
    });

    expect((await done(await c.apps.redeploy.mutate({ projectId, id: app.id }))).status).toBe('completed');
    const annotations = (await deployment(app.id)).spec.template.metadata.annotations;
    expect(Date.parse(annotations['kubectl.kubernetes.io/restartedAt'])).not.toBeNaN();
  });

  it('ends a rollout that never gets ready errored, and goes back to the image that ran', async () => {
    const app = await activeApp('stuck');
    // Kubernetes gives up on a rollout after progressDeadlineSeconds (600 s unless set): shorten it.
    mergePatchAs(
      stack.sim!,
      'kubectl-patch',
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: objectName(app.id) },
      { spec: { progressDeadlineSeconds: 1 } },
    );
    const deploy = await c.apps.deploy.mutate({ projectId, id: app.id, image: 'nginx:crashloop' });
    const ended = await failure(done(deploy));
    expect(ended.message).toContain('did not finish in time');
    const after = await waitFor(
      async () => {
        const a = await c.apps.get.query({ projectId, id: app.id });
        return a.state === 'active' && a.syncState === 'synced' && a;
      },
      { timeout: 15_000, message: 'app back on its old image' },
    );
    expect(after.image).toBe('nginx:1.27');
    expect((await deployment(app.id)).spec.template.spec.containers[0].image).toBe('nginx:1.27');
  });

  it('says where image, env and replicas changes go instead of dropping them from an update', async () => {
    const app = await activeApp('strict');
    const refused = await failure(
      c.apps.update.mutate({ projectId, id: app.id, image: 'nginx:1.28' } as never),
    );
    expect(refused.data).toMatchObject({ code: 'BAD_REQUEST', field: 'image' });
    expect(refused.message).toContain('apps.deploy');
    const fresh = await c.apps.create.mutate({ projectId, name: 'fresh', image: 'nginx:1.27', port: 80 });
    const noHistory = await failure(c.apps.rollback.mutate({ projectId, id: fresh.id }));
    expect(noHistory.data.code).toBe('CONFLICT');
    expect(noHistory.message).toContain('no earlier image');
  });
});

describe('database actions', () => {
  it('resizes nodes and storage, refuses to shrink storage, and resets the password', async () => {
    const database = await c.databases.create.mutate({
      projectId,
      name: 'main',
      engine: 'postgres',
      size: 'db-s-1vcpu-1gb',
    });
    await c.waitFor(c.databases, { projectId, id: database.id }, 'active', {
      timeoutMs: 15_000,
      intervalMs: 50,
    });
    expect((await c.databases.get.query({ projectId, id: database.id })).storageGiB).toBe(10);
    const before = await c.databases.credentials.query({ projectId, id: database.id });

    const resize = await c.databases.resize.mutate({ projectId, id: database.id, nodes: 2, storageGiB: 30 });
    expect((await done(resize)).status).toBe('completed');
    expect(await c.databases.get.query({ projectId, id: database.id })).toMatchObject({
      nodes: 2,
      readyNodes: 2,
      storageGiB: 30,
    });
    const cluster = await object('Cluster', objectName(database.id));
    expect(cluster.spec).toMatchObject({ instances: 2, storage: { size: '30Gi' } });

    const shrink = await failure(c.databases.resize.mutate({ projectId, id: database.id, storageGiB: 20 }));
    expect(shrink.data).toMatchObject({ code: 'BAD_REQUEST', field: 'storageGiB' });

    expect((await done(await c.databases.resetPassword.mutate({ projectId, id: database.id }))).status).toBe(
      'completed',
    );
    const after = await c.databases.credentials.query({ projectId, id: database.id });
    expect(after.password).not.toBe(before.password);
    expect(after.uri).toContain(encodeURIComponent(after.password));
    const secret = await object('Secret', credentialsSecretName(database));
    expect(Buffer.from(secret.data.password, 'base64').toString()).toBe(after.password);
  });

  it('keeps the storage of an engine run as a StatefulSet, whose volume claims cannot change', async () => {
    const database = await c.databases.create.mutate({
      projectId,
      name: 'cache',
      engine: 'valkey',
      size: 'db-s-1vcpu-2gb',
    });
    await c.waitFor(c.databases, { projectId, id: database.id }, 'active', {
      timeoutMs: 15_000,
      intervalMs: 50,
    });
    const grow = await failure(c.databases.resize.mutate({ projectId, id: database.id, storageGiB: 50 }));
    expect(grow.data).toMatchObject({ code: 'BAD_REQUEST', field: 'storageGiB' });
    expect(grow.message).toContain('keep the storage they were created with');

    const smaller = await c.databases.resize.mutate({ projectId, id: database.id, size: 'db-s-1vcpu-1gb' });
    expect((await done(smaller)).status).toBe('completed');
    expect(await c.databases.get.query({ projectId, id: database.id })).toMatchObject({
      size: 'db-s-1vcpu-1gb',
      storageGiB: 25,
    });
    const statefulSet = await object('StatefulSet', objectName(database.id));
    // Written as 1024Mi; the API server keeps quantities in canonical form.
    expect(statefulSet.spec.template.spec.containers[0].resources.requests.memory).toBe('1Gi');
    expect(statefulSet.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('25Gi');
  });

  it('refuses more than one node for MySQL and Valkey, on create and resize, saying why', async () => {
    const many = await failure(
      c.databases.create.mutate({
        projectId,
        name: 'shop',
        engine: 'mysql',
        size: 'db-s-1vcpu-1gb',
        nodes: 2,
      }),
    );
    expect(many.data).toMatchObject({ code: 'BAD_REQUEST', field: 'nodes' });
    expect(many.message).toContain('nodes: MySQL databases run 1 node');
    const single = await c.databases.create.mutate({
      projectId,
      name: 'sessions',
      engine: 'valkey',
      size: 'db-s-1vcpu-1gb',
    });
    const grow = await failure(c.databases.resize.mutate({ projectId, id: single.id, nodes: 3 }));
    expect(grow.data).toMatchObject({ code: 'BAD_REQUEST', field: 'nodes' });
    expect(grow.message).toContain('Valkey databases run 1 node');
    expect(grow.message).toContain('Use 1 node, or PostgreSQL');
    expect(await c.databases.get.query({ projectId, id: single.id })).toMatchObject({
      nodes: 1,
      warning: null,
    });
  });

  it('runs one server for a Valkey stored with 3 nodes before they were refused, says so, and clears it on resize to 1', async () => {
    const created = await c.databases.create.mutate({
      projectId,
      name: 'legacy-cache',
      engine: 'valkey',
      size: 'db-s-1vcpu-1gb',
    });
    // As a row written before the API refused more nodes for Valkey.
    databasesRepository.update(stack.api.store.db, projectId, created.id, { nodes: 3 });
    const legacy = await c.waitFor(c.databases, { projectId, id: created.id }, 'active', {
      timeoutMs: 15_000,
      intervalMs: 50,
    });
    expect(legacy).toMatchObject({ nodes: 3, readyNodes: 1 });
    expect(legacy.warning).toContain('asks for 3 nodes but runs 1');
    expect((await object('StatefulSet', objectName(created.id))).spec.replicas).toBe(1);

    await done(await c.databases.resize.mutate({ projectId, id: created.id, nodes: 1 }));
    expect(await c.databases.get.query({ projectId, id: created.id })).toMatchObject({
      nodes: 1,
      warning: null,
    });
  });
});

describe('actions.list and actions.get', () => {
  it('lists a project’s actions newest first, narrows to one resource, and hides them from other projects', async () => {
    const droplet = await activeDroplet('listed');
    const off = await c.droplets.powerOff.mutate({ projectId, id: droplet.id });
    await done(off);
    const on = await c.droplets.powerOn.mutate({ projectId, id: droplet.id });
    await done(on);

    const mine = await c.actions.list.query({ projectId, resourceId: droplet.id });
    expect(mine.items.map((a) => a.id)).toEqual([on.id, off.id]);
    const firstPage = await c.actions.list.query({ projectId, limit: 1 });
    expect(firstPage.items).toHaveLength(1);
    expect(firstPage.nextCursor).not.toBeNull();
    const secondPage = await c.actions.list.query({ projectId, limit: 1, cursor: firstPage.nextCursor! });
    expect(secondPage.items[0]!.id).not.toBe(firstPage.items[0]!.id);
    expect(Date.parse(secondPage.items[0]!.startedAt)).toBeLessThanOrEqual(
      Date.parse(firstPage.items[0]!.startedAt),
    );

    const other = (await c.projects.create.mutate({ name: 'elsewhere', description: '' })).id;
    expect((await failure(c.actions.get.query({ projectId: other, id: off.id }))).data.code).toBe(
      'NOT_FOUND',
    );
    expect((await c.actions.list.query({ projectId: other })).items).toEqual([]);
  });

  it('lets viewers read actions but not start them', async () => {
    const droplet = await activeDroplet('watched');
    const viewer = await c.users.create.mutate({ name: 'viewer-of-actions' });
    await c.projects.addMember.mutate({ projectId, userId: viewer.user.id, role: 'viewer' });
    const asViewer = stack.clientWith(viewer.token.token);
    expect((await failure(asViewer.droplets.powerOff.mutate({ projectId, id: droplet.id }))).data.code).toBe(
      'FORBIDDEN',
    );
    const list = await asViewer.actions.list.query({ projectId });
    expect(list.items.length).toBeGreaterThan(0);
  });
});
