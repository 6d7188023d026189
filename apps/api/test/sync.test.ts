import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import type { ProjectId, UncloudClient } from '@uncloud/sdk';
import { credentialsSecretName, managedSelector, namespaceName, objectName } from '@uncloud/kube';
import { sshPublicKeys, waitFor } from '@uncloud/testing';
import { failure } from './errors.ts';

let stack: Stack;
let c: UncloudClient;
let projectId: ProjectId;
let namespace: string;
beforeAll(async () => {
  stack = await startStack();
  c = stack.client;
  const project = await c.projects.create.mutate({ name: 'synced' });
  projectId = project.id;
  namespace = namespaceName(project.id);
  await waitFor(async () => (await c.projects.get.query({ projectId })).state === 'active', {
    message: 'project active',
  });
});
afterAll(() => stack.close());

const kube = () => stack.kube!;
const until = <T>(check: () => Promise<T>, message: string) => waitFor(check, { timeout: 10_000, message });

describe('sync engine', () => {
  it('creates the project namespace, isolation policy and quota, and records the namespace', async () => {
    const project = await c.projects.get.query({ projectId });
    expect(project).toMatchObject({ state: 'active', namespace, syncState: 'synced', syncError: null });
    expect(project.observedAt).not.toBeNull();
    expect(await kube().get('NetworkPolicy', namespace, 'uncloud-project-isolation')).not.toBeNull();
    const quota = await kube().get('ResourceQuota', namespace, 'uncloud-quota');
    expect(
      (quota as unknown as { spec: { hard: Record<string, string> } }).spec.hard[
        'count/virtualmachines.kubevirt.io'
      ],
    ).toBe('25');
  });

  it('brings a droplet to active with its IP, node and phase', async () => {
    const key = await c.sshKeys.create.mutate({
      projectId,
      name: 'k',
      publicKey: sshPublicKeys.ed25519.line,
    });
    const created = await c.droplets.create.mutate({
      projectId,
      name: 'web-1',
      size: 's-1vcpu-1gb',
      image: 'debian-12',
      sshKeyIds: [key.id],
    });
    expect(created.state).toBe('pending');
    const droplet = await until(async () => {
      const d = await c.droplets.get.query({ projectId, id: created.id });
      return d.state === 'active' ? d : null;
    }, 'droplet active');
    expect(droplet.ip).toMatch(/^10\.42\./);
    expect(droplet).toMatchObject({
      node: 'uncloud-sim-1',
      phase: 'Running',
      observedGeneration: 1,
      syncState: 'synced',
    });
    const vm = await kube().get('VirtualMachine', namespace, objectName(created.id));
    expect(JSON.stringify(vm)).toContain(sshPublicKeys.ed25519.line);
  });

  it('brings a volume, an app, a database and a firewall to active with their runtime facts', async () => {
    const volume = await c.volumes.create.mutate({ projectId, name: 'data', sizeGiB: 5 });
    const app = await c.apps.create.mutate({
      projectId,
      name: 'api',
      image: 'nginx:1.27',
      port: 80,
      replicas: 2,
      domains: ['api.example.com'],
    });
    const db = await c.databases.create.mutate({
      projectId,
      name: 'main',
      engine: 'postgres',
      size: 'db-s-1vcpu-1gb',
      nodes: 2,
    });
    const cache = await c.databases.create.mutate({
      projectId,
      name: 'cache',
      engine: 'valkey',
      size: 'db-s-1vcpu-1gb',
    });
    const fw = await c.firewalls.create.mutate({
      projectId,
      name: 'web',
      inbound: [{ protocol: 'tcp', ports: '443', sources: ['0.0.0.0/0'] }],
      targets: [app.id],
    });

    expect(
      await until(async () => {
        const v = await c.volumes.get.query({ projectId, id: volume.id });
        return v.state === 'active' && v;
      }, 'volume active'),
    ).toMatchObject({ phase: 'Bound', capacityGiB: 5 });
    expect(
      await until(async () => {
        const a = await c.apps.get.query({ projectId, id: app.id });
        return a.state === 'active' && a;
      }, 'app active'),
    ).toMatchObject({ readyReplicas: 2, availableReplicas: 2, url: 'http://api.example.com' });
    expect(
      await until(async () => {
        const d = await c.databases.get.query({ projectId, id: db.id });
        return d.state === 'active' && d;
      }, 'database active'),
    ).toMatchObject({
      readyNodes: 2,
      primary: `${objectName(db.id)}-1`,
      connection: {
        host: `${objectName(db.id)}-rw.${namespace}.svc`,
        port: 5432,
        database: 'app',
        user: 'app',
      },
    });
    expect(
      await until(async () => {
        const d = await c.databases.get.query({ projectId, id: cache.id });
        return d.state === 'active' && d;
      }, 'valkey active'),
    ).toMatchObject({ readyNodes: 1, connection: { port: 6379 } });
    expect(await kube().get('Secret', namespace, credentialsSecretName(cache))).not.toBeNull();
    expect(
      await until(
        async () => (await c.firewalls.get.query({ projectId, id: fw.id })).state === 'active',
        'firewall active',
      ),
    ).toBe(true);
    expect(await kube().get('CiliumNetworkPolicy', namespace, objectName(fw.id))).not.toBeNull();
  });

  it('applies an update and catches observedGeneration up', async () => {
    const app = await c.apps.create.mutate({
      projectId,
      name: 'scaled',
      image: 'nginx:1.27',
      port: 80,
      replicas: 1,
    });
    await until(
      async () => (await c.apps.get.query({ projectId, id: app.id })).state === 'active',
      'app active',
    );
    const updated = await c.apps.update.mutate({ projectId, id: app.id, port: 8080 });
    expect(updated).toMatchObject({ generation: 2, syncState: 'pending' });
    const after = await until(async () => {
      const a = await c.apps.get.query({ projectId, id: app.id });
      return a.observedGeneration === 2 && a.state === 'active' && a;
    }, 'update applied');
    expect(after).toMatchObject({ state: 'active', syncState: 'synced', port: 8080 });
    const deployment = (await kube().get('Deployment', namespace, objectName(app.id))) as unknown as {
      spec: { template: { spec: { containers: { ports: { containerPort: number }[] }[] } } };
    };
    expect(deployment.spec.template.spec.containers[0]!.ports[0]!.containerPort).toBe(8080);
  });

  it('removes the objects of a deleted resource, then the row', async () => {
    const app = await c.apps.create.mutate({
      projectId,
      name: 'doomed',
      image: 'nginx:1.27',
      port: 80,
      domains: ['doomed.example.com'],
    });
    await until(
      async () => (await c.apps.get.query({ projectId, id: app.id })).state === 'active',
      'app active',
    );
    await c.apps.delete.mutate({ projectId, id: app.id });
    await until(
      async () => (await failure(c.apps.get.query({ projectId, id: app.id }))).data.code === 'NOT_FOUND',
      'row gone',
    );
    for (const kind of ['Deployment', 'Service', 'Ingress'] as const) {
      expect(await kube().get(kind, namespace, objectName(app.id))).toBeNull();
    }
  });

  it('deletes a project namespace once the project is deleted', async () => {
    const temp = await c.projects.create.mutate({ name: 'short-lived' });
    await until(
      async () => (await c.projects.get.query({ projectId: temp.id })).state === 'active',
      'project active',
    );
    await c.projects.delete.mutate({ projectId: temp.id });
    await until(
      async () => (await failure(c.projects.get.query({ projectId: temp.id }))).data.code === 'NOT_FOUND',
      'project gone',
    );
    await until(
      async () => (await kube().get('Namespace', undefined, namespaceName(temp.id))) === null,
      'namespace gone',
    );
  });

  it('labels everything it creates as ours', async () => {
    const ours = await kube().list('VirtualMachine', { labelSelector: managedSelector('droplet') });
    expect(ours.length).toBeGreaterThan(0);
  });
});
