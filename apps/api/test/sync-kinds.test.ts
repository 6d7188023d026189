import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import { type KindName, RESOURCE_ID, RESOURCE_NAME, namespaceName } from '@uncloud/kube';
import { realClusterKubeconfig } from '@uncloud/kube-real/testing';
import type { ProjectId } from '@uncloud/sdk';
import { waitFor } from '@uncloud/testing';
import { failure } from './errors.ts';

// Every kind through create, update and delete, on the stack's simulated cluster and, in the real
// tier, on kube-real. There no KubeVirt, CloudNativePG or volume provisioner runs: droplets,
// databases and volumes settle in `provisioning` with their intent applied, instead of `active`.

let stack: Stack;
let projectId: ProjectId;
beforeAll(async () => {
  stack = await startStack({ kubeconfig: realClusterKubeconfig() });
  projectId = (await stack.client.projects.create.mutate({ name: 'kinds' })).id;
  await waitFor(async () => (await stack.client.projects.get.query({ projectId })).state === 'active', {
    timeout: 10_000,
  });
});
afterAll(() => stack.close());

interface Row {
  id: string;
  state: string;
  generation: number;
  observedGeneration: number;
  syncError: string | null;
}
type Procedures = Record<
  'create' | 'update' | 'delete' | 'get',
  { mutate: (i: object) => Promise<Row>; query: (i: object) => Promise<Row> }
>;

/** Per kind: how to create one, an update, the object that must show it, and how to see it there. */
const kinds: Record<
  string,
  {
    input: object;
    update: object;
    object: KindName;
    shows: (o: Record<string, unknown>) => boolean;
    /** Its status comes from an operator or provisioner that kube-real does not run. */
    needsOperator?: true;
  }
> = {
  droplets: {
    needsOperator: true,
    input: { name: 'vm', size: 's-1vcpu-1gb', image: 'debian-12' },
    update: { name: 'vm-renamed' },
    object: 'VirtualMachine',
    shows: (o) => (o.metadata as { labels: Record<string, string> }).labels[RESOURCE_NAME] === 'vm-renamed',
  },
  volumes: {
    needsOperator: true,
    input: { name: 'disk', sizeGiB: 3 },
    update: { name: 'disk-renamed' },
    object: 'PersistentVolumeClaim',
    shows: (o) => (o.metadata as { labels: Record<string, string> }).labels[RESOURCE_NAME] === 'disk-renamed',
  },
  apps: {
    input: { name: 'svc', image: 'nginx:1.27', port: 80 },
    update: { port: 8080 },
    object: 'Deployment',
    // The old port must be gone, not merely joined by the new one.
    shows: (o) =>
      JSON.stringify(o.spec).includes('"containerPort":8080') &&
      !JSON.stringify(o.spec).includes('"containerPort":80,'),
  },
  databases: {
    needsOperator: true,
    input: { name: 'pg', engine: 'postgres', size: 'db-s-1vcpu-1gb' },
    update: { name: 'pg-renamed' },
    object: 'Cluster',
    shows: (o) => (o.metadata as { labels: Record<string, string> }).labels[RESOURCE_NAME] === 'pg-renamed',
  },
  firewalls: {
    input: {
      name: 'fw',
      inbound: [{ protocol: 'tcp', ports: '22', sources: ['10.0.0.0/8'] }],
      targets: ['tag:any'],
    },
    update: { inbound: [{ protocol: 'tcp', ports: '2222', sources: ['10.0.0.0/8'] }] },
    object: 'CiliumNetworkPolicy',
    shows: (o) => JSON.stringify(o.spec).includes('"2222"'),
  },
};

describe.each(Object.keys(kinds))('%s', (kind) => {
  const spec = kinds[kind]!;
  const api = () => (stack.client as unknown as Record<string, Procedures>)[kind]!;
  /** Active, or on a cluster without the kind's operator: applied and waiting in `provisioning`. */
  const settled = (row: Row) =>
    spec.needsOperator && !stack.sim
      ? row.state === 'provisioning' && row.observedGeneration === row.generation && row.syncError === null
      : row.state === 'active';
  const objectsOf = (id: string) =>
    stack.kube!.list(spec.object, {
      labelSelector: `${RESOURCE_ID}=${id}`,
      namespace: namespaceName(projectId),
    });

  it('creates → settled, updates → object changed and generation observed, deletes → objects then row gone', async () => {
    if (kind === 'firewalls') {
      // A firewall over a tag nobody carries selects nothing and makes no policy; give the tag a droplet.
      await stack.client.droplets.create.mutate({
        projectId,
        name: 'tagged',
        size: 's-1vcpu-1gb',
        image: 'debian-12',
        tags: ['any'],
      });
    }
    const created = await api().create.mutate({ projectId, ...spec.input });
    await waitFor(async () => settled(await api().get.query({ projectId, id: created.id })), {
      timeout: 10_000,
      message: 'settled',
    });
    expect(await objectsOf(created.id)).toHaveLength(1);

    const updated = await api().update.mutate({ projectId, id: created.id, ...spec.update });
    expect(updated.generation).toBe(2);
    await waitFor(
      async () => {
        const row = await api().get.query({ projectId, id: created.id });
        const [object] = await objectsOf(created.id);
        return (
          row.observedGeneration === 2 &&
          object !== undefined &&
          spec.shows(object as Record<string, unknown>)
        );
      },
      { timeout: 10_000, message: 'update applied' },
    );

    await api().delete.mutate({ projectId, id: created.id });
    await waitFor(
      async () => (await failure(api().get.query({ projectId, id: created.id }))).data.code === 'NOT_FOUND',
      {
        timeout: 10_000,
        message: 'row gone',
      },
    );
    expect(await objectsOf(created.id)).toHaveLength(0);
  });
});

describe('quotas and projects', () => {
  it('applies a quota change to the ResourceQuota and a rename to the namespace labels', async () => {
    await stack.client.quotas.update.mutate({ projectId, droplets: 3, volumeGiB: 40 });
    await stack.client.projects.update.mutate({ projectId, name: 'kinds-renamed' });
    const namespace = namespaceName(projectId);
    await waitFor(
      async () => {
        const quota = (await stack.kube!.get('ResourceQuota', namespace, 'uncloud-quota')) as unknown as {
          spec: { hard: Record<string, string> };
        };
        const ns = await stack.kube!.get('Namespace', undefined, namespace);
        return (
          quota.spec.hard['count/virtualmachines.kubevirt.io'] === '3' &&
          quota.spec.hard['requests.storage'] === '40Gi' &&
          ns?.metadata.labels?.[RESOURCE_NAME] === 'kinds-renamed'
        );
      },
      { timeout: 10_000, message: 'quota and rename applied' },
    );
    const quota = await waitFor(async () => {
      const q = await stack.client.quotas.get.query({ projectId });
      return q.syncState === 'synced' && q;
    });
    expect(quota).toMatchObject({ droplets: 3, volumeGiB: 40, state: 'active' });
  });
});
