import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import type { ProjectId, UncloudClient } from '@uncloud/sdk';
import {
  cloudInitSecretName,
  credentialsSecretName,
  managedSelector,
  namespaceName,
  objectName,
  ownerLabels,
} from '@uncloud/kube';
import { realClusterKubeconfig } from '@uncloud/kube-real/testing';
import { sshPublicKeys, waitFor } from '@uncloud/testing';
import { failure } from './errors.ts';

// The sync engine converging intent into a cluster: the stack's simulated cluster in `npm test`,
// the run's kube-real plane in the real tier. There, Deployments, ReplicaSets and pods are real
// (KWOK runs the pods), but no KubeVirt, CloudNativePG or volume provisioner runs: for droplets,
// databases and volumes the real tier checks the objects Uncloud wrote and that it waits for
// their status; the simulator's operators bring them to active.

let stack: Stack;
let c: UncloudClient;
let projectId: ProjectId;
let namespace: string;
beforeAll(async () => {
  stack = await startStack({ kubeconfig: realClusterKubeconfig() });
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
/** Whether KubeVirt, CloudNativePG and a volume provisioner run (the simulator's do; kube-real has none). */
const operatorsRun = () => stack.sim !== undefined;
/**
 * Settled as far as the cluster lets it: active where operators run; otherwise applied (the
 * generation observed, no error) and waiting, in `provisioning`, for status nobody will write.
 */
const settled = <
  R extends { state: string; generation: number; observedGeneration: number; syncError: string | null },
>(
  row: R,
) =>
  (operatorsRun()
    ? row.state === 'active'
    : row.state === 'provisioning' && row.observedGeneration === row.generation && row.syncError === null) &&
  row;

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

  it('writes a droplet as its VirtualMachine, active with IP, node and phase where KubeVirt runs', async () => {
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
    const droplet = await until(
      async () => settled(await c.droplets.get.query({ projectId, id: created.id })),
      'droplet settled',
    );
    expect(droplet).toMatchObject({ observedGeneration: 1, syncState: 'synced' });
    const vm = await kube().get('VirtualMachine', namespace, objectName(created.id));
    expect(vm?.metadata.labels).toMatchObject(
      ownerLabels({ kind: 'droplet', id: created.id, projectId, name: 'web-1' }),
    );
    expect(vm?.spec).toMatchObject({
      runStrategy: 'Always',
      template: { spec: { domain: { cpu: { cores: 1 } } } },
    });
    // The keys reach cloud-init through the droplet's Secret, never inline in the VM.
    expect(JSON.stringify(vm)).not.toContain(sshPublicKeys.ed25519.line);
    const cloudInit = await kube().get('Secret', namespace, cloudInitSecretName(created.id));
    expect(cloudInit?.metadata.labels).toMatchObject(
      ownerLabels({ kind: 'droplet', id: created.id, projectId, name: 'web-1' }),
    );
    const userData = Buffer.from((cloudInit?.data as { userdata: string }).userdata, 'base64').toString();
    expect(userData).toContain(sshPublicKeys.ed25519.line);
    if (operatorsRun()) {
      expect(droplet.ip).toMatch(/^10\.42\./);
      expect(droplet).toMatchObject({ state: 'active', node: 'uncloud-sim-1', phase: 'Running' });
    } else {
      expect(droplet).toMatchObject({ state: 'provisioning', ip: null, node: null });
    }
  });

  it("deletes a droplet's cloud-init Secret with its VM", async () => {
    const created = await c.droplets.create.mutate({
      projectId,
      name: 'short-lived',
      size: 's-1vcpu-1gb',
      image: 'debian-12',
    });
    await until(
      async () => (await kube().get('Secret', namespace, cloudInitSecretName(created.id))) !== null,
      'cloud-init Secret created',
    );
    await c.droplets.delete.mutate({ projectId, id: created.id });
    await until(
      async () =>
        (await kube().get('Secret', namespace, cloudInitSecretName(created.id))) === null &&
        (await kube().get('VirtualMachine', namespace, objectName(created.id))) === null,
      'droplet objects deleted',
    );
  });

  it('brings a volume, an app, databases and a firewall as far as the cluster takes them, with their facts', async () => {
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

    // Real pods on both clusters: the app becomes active with its replicas ready.
    expect(
      await until(async () => {
        const a = await c.apps.get.query({ projectId, id: app.id });
        return a.state === 'active' && a;
      }, 'app active'),
    ).toMatchObject({ readyReplicas: 2, availableReplicas: 2, url: 'http://api.example.com' });
    const ingress = await kube().get('Ingress', namespace, objectName(app.id));
    expect(JSON.stringify(ingress?.spec)).toContain('"host":"api.example.com"');

    const v = await until(
      async () => settled(await c.volumes.get.query({ projectId, id: volume.id })),
      'volume settled',
    );
    const pvc = await kube().get('PersistentVolumeClaim', namespace, objectName(volume.id));
    expect(pvc?.spec).toMatchObject({ resources: { requests: { storage: '5Gi' } } });
    const pg = await until(
      async () => settled(await c.databases.get.query({ projectId, id: db.id })),
      'database settled',
    );
    const cluster = await kube().get('Cluster', namespace, objectName(db.id));
    expect(cluster?.metadata.labels).toMatchObject(
      ownerLabels({ kind: 'database', id: db.id, projectId, name: 'main' }),
    );
    expect(cluster?.spec).toMatchObject({ instances: 2 });
    const valkey = await until(
      async () => settled(await c.databases.get.query({ projectId, id: cache.id })),
      'valkey settled',
    );
    expect(await kube().get('StatefulSet', namespace, objectName(cache.id))).toMatchObject({
      spec: { replicas: 1 },
    });
    expect(await kube().get('Secret', namespace, credentialsSecretName(cache))).not.toBeNull();
    if (operatorsRun()) {
      expect(v).toMatchObject({ phase: 'Bound', capacityGiB: 5 });
      expect(pg).toMatchObject({
        readyNodes: 2,
        primary: `${objectName(db.id)}-1`,
        connection: {
          host: `${objectName(db.id)}-rw.${namespace}.svc`,
          port: 5432,
          database: 'app',
          user: 'app',
        },
      });
      expect(valkey).toMatchObject({ readyNodes: 1, connection: { port: 6379 } });
    } else {
      // No provisioner binds the claim (so the StatefulSet's pod waits too), no CloudNativePG.
      expect(v).toMatchObject({ phase: 'Pending' });
      expect(pg).toMatchObject({ readyNodes: 0 });
      expect(valkey).toMatchObject({ readyNodes: 0 });
    }
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
