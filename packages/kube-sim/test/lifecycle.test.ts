import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, createNamespace, deployment, startSim, waitFor, type TestCluster } from './helpers.ts';

let t: TestCluster;
beforeAll(async () => {
  t = await startSim();
});
afterAll(() => t?.stop());

const exists = async (p: Promise<unknown>) => {
  try {
    await p;
    return true;
  } catch {
    return false;
  }
};

describe('deletion', () => {
  it('holds an object with finalizers (deletionTimestamp set) until they are removed', async () => {
    await createNamespace(t, 'fin');
    await t.core.createNamespacedConfigMap({
      namespace: 'fin',
      body: { metadata: { name: 'held', finalizers: ['example.com/hold'] } },
    });
    await t.core.deleteNamespacedConfigMap({ name: 'held', namespace: 'fin' });
    const held = await t.core.readNamespacedConfigMap({ name: 'held', namespace: 'fin' });
    expect(held.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    await t.core.patchNamespacedConfigMap({
      name: 'held',
      namespace: 'fin',
      body: [{ op: 'remove', path: '/metadata/finalizers' }],
    });
    expect((await apiError(t.core.readNamespacedConfigMap({ name: 'held', namespace: 'fin' }))).code).toBe(
      404,
    );
  });

  it('deletes dependents in the background through ownerReferences (Deployment → ReplicaSet → Pods)', async () => {
    await createNamespace(t, 'bg');
    await t.apps.createNamespacedDeployment({ namespace: 'bg', body: deployment('web', { replicas: 2 }) });
    await waitFor(async () => (await t.core.listNamespacedPod({ namespace: 'bg' })).items.length === 2);
    await t.apps.deleteNamespacedDeployment({
      name: 'web',
      namespace: 'bg',
      propagationPolicy: 'Background',
    });
    await waitFor(
      async () => (await t.apps.listNamespacedReplicaSet({ namespace: 'bg' })).items.length === 0,
    );
    await waitFor(async () => (await t.core.listNamespacedPod({ namespace: 'bg' })).items.length === 0);
  });

  it('keeps the owner with the foregroundDeletion finalizer until its dependents are gone (Foreground)', async () => {
    await createNamespace(t, 'fg');
    await t.apps.createNamespacedDeployment({ namespace: 'fg', body: deployment('web') });
    await waitFor(
      async () => (await t.apps.listNamespacedReplicaSet({ namespace: 'fg' })).items.length === 1,
    );
    t.sim.pauseControllers();
    await t.apps.deleteNamespacedDeployment({
      name: 'web',
      namespace: 'fg',
      propagationPolicy: 'Foreground',
    });
    const owner = await t.apps.readNamespacedDeployment({ name: 'web', namespace: 'fg' });
    expect(owner.metadata?.finalizers).toContain('foregroundDeletion');
    expect(owner.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    t.sim.resumeControllers();
    await waitFor(
      async () => !(await exists(t.apps.readNamespacedDeployment({ name: 'web', namespace: 'fg' }))),
    );
    expect((await t.apps.listNamespacedReplicaSet({ namespace: 'fg' })).items).toHaveLength(0);
  });

  it('leaves dependents in place without their owner reference (Orphan)', async () => {
    await createNamespace(t, 'orphan');
    await t.apps.createNamespacedDeployment({ namespace: 'orphan', body: deployment('web') });
    await waitFor(
      async () => (await t.apps.listNamespacedReplicaSet({ namespace: 'orphan' })).items.length === 1,
    );
    await t.apps.deleteNamespacedDeployment({
      name: 'web',
      namespace: 'orphan',
      propagationPolicy: 'Orphan',
    });
    const rs = (await t.apps.listNamespacedReplicaSet({ namespace: 'orphan' })).items;
    expect(rs).toHaveLength(1);
    expect(rs[0]?.metadata?.ownerReferences ?? []).toEqual([]);
  });

  it('terminates a namespace: Terminating, creates refused with 403, contents removed, then gone', async () => {
    await createNamespace(t, 'doomed');
    await t.core.createNamespacedConfigMap({
      namespace: 'doomed',
      body: { metadata: { name: 'slow', finalizers: ['example.com/hold'] } },
    });
    await t.core.createNamespacedSecret({ namespace: 'doomed', body: { metadata: { name: 's' } } });
    await t.core.deleteNamespace({ name: 'doomed' });
    const ns = await t.core.readNamespace({ name: 'doomed' });
    expect(ns.status?.phase).toBe('Terminating');
    const refused = await apiError(
      t.core.createNamespacedConfigMap({ namespace: 'doomed', body: { metadata: { name: 'late' } } }),
    );
    expect(refused.code).toBe(403);
    expect(refused.body.reason).toBe('Forbidden');
    expect(refused.body.message).toContain('because it is being terminated');
    await waitFor(
      async () => !(await exists(t.core.readNamespacedSecret({ name: 's', namespace: 'doomed' }))),
    );
    expect((await t.core.readNamespace({ name: 'doomed' })).status?.phase).toBe('Terminating');
    await t.core.patchNamespacedConfigMap({
      name: 'slow',
      namespace: 'doomed',
      body: [{ op: 'remove', path: '/metadata/finalizers' }],
    });
    await waitFor(async () => !(await exists(t.core.readNamespace({ name: 'doomed' }))));
  });
});

describe('ResourceQuota', () => {
  it('computes status.used and refuses an over-quota create with 403 exceeded quota', async () => {
    await createNamespace(t, 'quota');
    await t.core.createNamespacedResourceQuota({
      namespace: 'quota',
      body: {
        metadata: { name: 'limits' },
        spec: {
          hard: {
            pods: '2',
            'requests.cpu': '1',
            'requests.memory': '1Gi',
            'requests.storage': '10Gi',
            persistentvolumeclaims: '1',
            'count/deployments.apps': '5',
          },
        },
      },
    });
    const pod = (name: string, cpu: string) => ({
      metadata: { name },
      spec: {
        containers: [{ name: 'c', image: 'busybox:1.36', resources: { requests: { cpu, memory: '256Mi' } } }],
      },
    });
    await t.core.createNamespacedPod({ namespace: 'quota', body: pod('p1', '500m') });
    await t.core.createNamespacedPersistentVolumeClaim({
      namespace: 'quota',
      body: {
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '4Gi' } } },
      },
    });
    const quota = await waitFor(async () => {
      const q = await t.core.readNamespacedResourceQuota({ name: 'limits', namespace: 'quota' });
      return q.status?.used?.pods === '1' && q.status.used.persistentvolumeclaims === '1' ? q : undefined;
    });
    expect(quota.status?.hard).toEqual(quota.spec?.hard);
    expect(quota.status?.used).toMatchObject({
      'requests.cpu': '500m',
      'requests.memory': '256Mi',
      'requests.storage': '4Gi',
      'count/deployments.apps': '0',
    });
    const tooMuchCpu = await apiError(
      t.core.createNamespacedPod({ namespace: 'quota', body: pod('p2', '600m') }),
    );
    expect(tooMuchCpu.code).toBe(403);
    expect(tooMuchCpu.body.message).toBe(
      'pods "p2" is forbidden: exceeded quota: limits, requested: requests.cpu=600m, used: requests.cpu=500m, limited: requests.cpu=1',
    );
    const secondClaim = await apiError(
      t.core.createNamespacedPersistentVolumeClaim({
        namespace: 'quota',
        body: {
          metadata: { name: 'more' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      }),
    );
    expect(secondClaim.code).toBe(403);
    expect(secondClaim.body.message).toContain('exceeded quota: limits');
  });
});
