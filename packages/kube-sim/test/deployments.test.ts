// The deployment controller as kube-controller-manager runs it, checked on both tiers: strategy
// defaults, revisions, rolling within maxSurge/maxUnavailable, Recreate, pause and resume, history
// cleanup, minReadySeconds, and a rollout that a pods quota stalls.
import { Watch, type V1Deployment, type V1ReplicaSet } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createNamespace,
  deployment,
  startClusterUnderTest,
  waitFor,
  type ClusterClients,
} from './helpers.ts';

let t: ClusterClients;
const ns = 'deployments';
const REVISION = 'deployment.kubernetes.io/revision';

beforeAll(async () => {
  t = await startClusterUnderTest({ controllerDelayMs: 5 });
  await createNamespace(t, ns);
  await waitFor(() => t.core.readNamespacedServiceAccount({ name: 'default', namespace: ns }));
});
afterAll(async () => {
  await t.core.deleteNamespace({ name: ns }).catch(() => undefined);
  await t.stop();
});

type Spec = NonNullable<V1Deployment['spec']>;
const create = (name: string, opts: { replicas?: number } = {}, spec: Partial<Spec> = {}) => {
  const d = deployment(name, opts);
  return t.apps.createNamespacedDeployment({ namespace: ns, body: { ...d, spec: { ...d.spec, ...spec } } });
};
const read = (name: string) => t.apps.readNamespacedDeployment({ name, namespace: ns });
const condition = (d: V1Deployment, type: string) => d.status?.conditions?.find((c) => c.type === type);
const replicaSets = async (app: string) =>
  (await t.apps.listNamespacedReplicaSet({ namespace: ns, labelSelector: `app=${app}` })).items;
const imageOf = (rs: V1ReplicaSet) => rs.spec?.template?.spec?.containers[0]?.image;

/** Pause or resume, as `kubectl rollout pause/resume` do. */
const setPaused = (name: string, paused: boolean) =>
  t.apps.patchNamespacedDeployment({
    name,
    namespace: ns,
    body: [{ op: 'add', path: '/spec/paused', value: paused }],
  });
const setImage = (name: string, image: string) =>
  t.objects.patch(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns },
      spec: { template: { spec: { containers: [{ name: 'web', image }] } } },
    },
    undefined,
    undefined,
    undefined,
    undefined,
    'application/strategic-merge-patch+json',
  );

/** Wait until the rollout is complete, as `kubectl rollout status` decides. */
const rolledOut = (name: string, timeout = 20_000) =>
  waitFor(
    async () => {
      const d = await read(name);
      const want = d.spec?.replicas ?? 1;
      const s = d.status;
      return (s?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) &&
        s?.updatedReplicas === want &&
        s.replicas === want &&
        s.availableReplicas === want
        ? d
        : undefined;
    },
    { timeout },
  );

/** Record every ReplicaSet's spec.replicas over a rollout, from a watch. */
async function recordScaling(app: string) {
  const sizes = new Map<string, number>();
  const history: Record<string, number[]> = {};
  let maxTotal = 0;
  const ctl = await new Watch(t.kc).watch(
    `/apis/apps/v1/namespaces/${ns}/replicasets`,
    { labelSelector: `app=${app}` },
    (_type, rs: V1ReplicaSet) => {
      const image = imageOf(rs) ?? '';
      const size = rs.spec?.replicas ?? 0;
      const seen = (history[image] ??= []);
      if (seen.at(-1) !== size) seen.push(size);
      sizes.set(image, size);
      maxTotal = Math.max(
        maxTotal,
        [...sizes.values()].reduce((a, b) => a + b, 0),
      );
    },
    () => undefined,
  );
  return { history, maxTotal: () => maxTotal, stop: () => ctl.abort() };
}

describe('deployments', () => {
  it('defaults the strategy and limits, and marks the Deployment and its ReplicaSet with revision 1', async () => {
    await create('first', { replicas: 2 });
    const d = await rolledOut('first');
    expect(d.spec).toMatchObject({
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
    expect(d.metadata?.annotations?.[REVISION]).toBe('1');
    expect(d.status).toMatchObject({
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
    });
    expect(d.status?.unavailableReplicas).toBeUndefined();
    expect(condition(d, 'Available')).toMatchObject({
      status: 'True',
      reason: 'MinimumReplicasAvailable',
      message: 'Deployment has minimum availability.',
    });
    const [rs] = await replicaSets('first');
    expect(condition(d, 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: `ReplicaSet "${rs?.metadata?.name}" has successfully progressed.`,
    });
    expect(rs?.metadata?.annotations).toMatchObject({
      [REVISION]: '1',
      'deployment.kubernetes.io/desired-replicas': '2',
      'deployment.kubernetes.io/max-replicas': '3',
    });
  });

  it.each([
    { maxSurge: 1, maxUnavailable: 0, newSizes: [1, 2, 3, 4], oldSizes: [4, 3, 2, 1, 0], most: 5 },
    { maxSurge: 0, maxUnavailable: 1, newSizes: [0, 1, 2, 3, 4], oldSizes: [4, 3, 2, 1, 0], most: 4 },
  ])(
    'rolls 4 replicas one step at a time with maxSurge $maxSurge and maxUnavailable $maxUnavailable',
    async ({ maxSurge, maxUnavailable, newSizes, oldSizes, most }) => {
      const name = `step-${maxSurge}-${maxUnavailable}`;
      await create(
        name,
        { replicas: 4 },
        { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } } },
      );
      await rolledOut(name);
      const rec = await recordScaling(name);
      try {
        await setImage(name, 'nginx:1.28');
        const d = await rolledOut(name);
        expect(d.metadata?.annotations?.[REVISION]).toBe('2');
        await waitFor(() => rec.history['nginx:1.27']?.at(-1) === 0);
        expect(rec.history['nginx:1.28']).toEqual(newSizes);
        expect(rec.history['nginx:1.27']).toEqual(oldSizes);
        expect(rec.maxTotal()).toBe(most);
      } finally {
        rec.stop();
      }
    },
    30_000,
  );

  it('empties the old ReplicaSet before creating the new one with the Recreate strategy', async () => {
    await create('recreate', { replicas: 2 }, { strategy: { type: 'Recreate' } });
    await rolledOut('recreate');
    const rec = await recordScaling('recreate');
    try {
      await setImage('recreate', 'nginx:1.28');
      await rolledOut('recreate');
      expect(rec.history['nginx:1.27']).toEqual([2, 0]);
      expect(rec.history['nginx:1.28']).toEqual([2]);
      expect(rec.maxTotal()).toBe(2);
    } finally {
      rec.stop();
    }
  }, 30_000);

  it('makes no new ReplicaSet while paused (Progressing=Unknown DeploymentPaused) and rolls on when resumed', async () => {
    await create('paused');
    await rolledOut('paused');
    await setPaused('paused', true);
    await setImage('paused', 'nginx:1.28');
    const whilePaused = await waitFor(async () => {
      const d = await read('paused');
      return (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) &&
        condition(d, 'Progressing')?.reason === 'DeploymentPaused'
        ? d
        : undefined;
    });
    expect(condition(whilePaused, 'Progressing')).toMatchObject({
      status: 'Unknown',
      message: 'Deployment is paused',
    });
    expect((await replicaSets('paused')).map(imageOf)).toEqual(['nginx:1.27']);
    expect(whilePaused.metadata?.annotations?.[REVISION]).toBe('1');
    await setPaused('paused', false);
    const resumed = await rolledOut('paused');
    expect(resumed.metadata?.annotations?.[REVISION]).toBe('2');
    expect((await replicaSets('paused')).map(imageOf).sort()).toEqual(['nginx:1.27', 'nginx:1.28']);
    const done = await waitFor(async () => {
      const d = await read('paused');
      return condition(d, 'Progressing')?.reason === 'NewReplicaSetAvailable' ? d : undefined;
    });
    expect(condition(done, 'Progressing')?.status).toBe('True');
  }, 30_000);

  it('revives the ReplicaSet of an earlier template as the next revision, and keeps revisionHistoryLimit old ones', async () => {
    await create('history', {}, { revisionHistoryLimit: 2 });
    await rolledOut('history');
    for (const image of ['nginx:1.28', 'nginx:1.29', 'nginx:1.27', 'nginx:1.30']) {
      await setImage('history', image);
      await rolledOut('history');
    }
    const d = await waitFor(async () => {
      const x = await read('history');
      return (await replicaSets('history')).length === 3 ? x : undefined;
    });
    expect(d.metadata?.annotations?.[REVISION]).toBe('5');
    const sets = (await replicaSets('history'))
      .map((r) => ({
        image: imageOf(r),
        revision: r.metadata?.annotations?.[REVISION],
        history: r.metadata?.annotations?.['deployment.kubernetes.io/revision-history'],
        replicas: r.spec?.replicas,
      }))
      .sort((a, b) => Number(a.revision) - Number(b.revision));
    // 1.27 was revision 1, and came back as revision 4; revision 2 (1.28) is the one cleaned up.
    expect(sets).toEqual([
      { image: 'nginx:1.29', revision: '3', history: undefined, replicas: 0 },
      { image: 'nginx:1.27', revision: '4', history: '1', replicas: 0 },
      { image: 'nginx:1.30', revision: '5', history: undefined, replicas: 1 },
    ]);
  }, 40_000);

  it("keeps annotations written through a Deployment's status, and resets its labels there", async () => {
    await create('via-status');
    await rolledOut('via-status');
    const patched = await t.apps.patchNamespacedDeploymentStatus({
      name: 'via-status',
      namespace: ns,
      body: [
        { op: 'add', path: '/metadata/annotations/example.com~1note', value: 'kept' },
        { op: 'add', path: '/metadata/labels/extra', value: 'dropped' },
      ],
    });
    expect(patched.metadata?.annotations?.['example.com/note']).toBe('kept');
    expect(patched.metadata?.labels).toEqual({ app: 'via-status' });
  });

  it('counts a pod available only after minReadySeconds', async () => {
    await create('min-ready', {}, { minReadySeconds: 2 });
    const ready = await waitFor(async () => {
      const d = await read('min-ready');
      return d.status?.readyReplicas === 1 ? d : undefined;
    });
    expect(ready.status?.availableReplicas ?? 0).toBe(0);
    expect(ready.status?.unavailableReplicas).toBe(1);
    expect(condition(ready, 'Available')?.status).toBe('False');
    const available = await rolledOut('min-ready', 10_000);
    expect(condition(available, 'Available')?.status).toBe('True');
  }, 20_000);

  it('stalls a rollout that a pods quota leaves no room to surge into, as ReplicaFailure then ProgressDeadlineExceeded', async () => {
    const quotaNs = 'deployments-quota';
    await createNamespace(t, quotaNs);
    await waitFor(() => t.core.readNamespacedServiceAccount({ name: 'default', namespace: quotaNs }));
    await t.core.createNamespacedResourceQuota({
      namespace: quotaNs,
      body: { metadata: { name: 'pods' }, spec: { hard: { pods: '2' } } },
    });
    await waitFor(
      async () =>
        (await t.core.readNamespacedResourceQuota({ name: 'pods', namespace: quotaNs })).status?.hard?.pods,
    );
    const d = deployment('tight', { replicas: 2 });
    await t.apps.createNamespacedDeployment({
      namespace: quotaNs,
      body: { ...d, spec: { ...d.spec, progressDeadlineSeconds: 3 } },
    });
    await waitFor(async () => {
      const x = await t.apps.readNamespacedDeployment({ name: 'tight', namespace: quotaNs });
      return x.status?.availableReplicas === 2;
    });
    await t.apps.patchNamespacedDeployment({
      name: 'tight',
      namespace: quotaNs,
      body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.28' }],
    });
    const stalled = await waitFor(
      async () => {
        const x = await t.apps.readNamespacedDeployment({ name: 'tight', namespace: quotaNs });
        return condition(x, 'Progressing')?.reason === 'ProgressDeadlineExceeded' &&
          condition(x, 'ReplicaFailure')
          ? x
          : undefined;
      },
      { timeout: 20_000 },
    );
    expect(condition(stalled, 'Progressing')?.status).toBe('False');
    expect(condition(stalled, 'ReplicaFailure')).toMatchObject({ status: 'True', reason: 'FailedCreate' });
    expect(condition(stalled, 'ReplicaFailure')?.message).toMatch(
      /^pods "tight-[a-z0-9]+-[a-z0-9]+" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2$/,
    );
    expect(stalled.status).toMatchObject({ replicas: 2, availableReplicas: 2 });
    expect(stalled.status?.updatedReplicas ?? 0).toBe(0);
    const sets = (await t.apps.listNamespacedReplicaSet({ namespace: quotaNs, labelSelector: 'app=tight' }))
      .items;
    const byImage = Object.fromEntries(sets.map((r) => [imageOf(r), r]));
    expect(byImage['nginx:1.27']?.spec?.replicas).toBe(2);
    expect(byImage['nginx:1.28']?.spec?.replicas).toBe(1);
    expect(byImage['nginx:1.28']?.status?.conditions?.[0]).toMatchObject({
      type: 'ReplicaFailure',
      status: 'True',
      reason: 'FailedCreate',
    });
    await t.core.deleteNamespace({ name: quotaNs });
  }, 30_000);
});
