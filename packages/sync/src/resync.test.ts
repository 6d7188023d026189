import { describe, expect, it, vi } from 'vitest';
import { type KubeObject, namespaceName, objectName, ownerLabels, withInstallation } from '@uncloud/kube';
import { appReconciler } from './kinds/app.ts';
import { projectReconciler } from './kinds/project.ts';
import type { KindReconciler, ReconciledRow } from './kinds/types.ts';
import { keyOf } from './keys.ts';
import { AppId } from '@uncloud/sdk';
import {
  type ResyncPlan,
  type ResyncRows,
  type SettledMark,
  guardOrphans,
  planResync,
  planResyncInSlices,
} from './resync.ts';
import { appRow, fakeLookup, ids, projectRow, settings } from './test-support/rows.ts';

const lookup = fakeLookup();
const desiredOf = <Row extends ReconciledRow>(reconciler: KindReconciler<Row>, row: Row) => {
  const desired = reconciler.desired(lookup, row, settings);
  if ('waitingFor' in desired) throw new Error(`no objects yet: ${desired.waitingFor}`);
  return desired.objects;
};

const rolledOut = (replicas: number, ready = replicas) => ({
  observedGeneration: 1,
  replicas,
  readyReplicas: ready,
  availableReplicas: ready,
  updatedReplicas: replicas,
});
/** The app's objects as the cluster has them: exactly as desired, the Deployment with a status. */
const appObjects = (status = rolledOut(2), row = appRow()) =>
  desiredOf(appReconciler, row).map((o) =>
    o.kind === 'Deployment' ? { ...o, metadata: { ...o.metadata, generation: 1 }, status } : o,
  );
const projectObjects = () =>
  desiredOf(projectReconciler, projectRow()).map((o) =>
    o.kind === 'Namespace' ? { ...o, status: { phase: 'Active' } } : o,
  );
const withImage = (objects: KubeObject[], image: string) =>
  objects.map((o) =>
    o.kind === 'Deployment'
      ? { ...o, spec: { template: { spec: { containers: [{ name: 'app', image }] } } } }
      : o,
  );

const url = `http://${objectName(ids.app)}.${namespaceName(ids.project)}.svc.cluster.local`;
const settledApp = (patch: Parameters<typeof appRow>[0] = {}) =>
  appRow({ readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2, url, ...patch });
const appKey = keyOf('app', ids.app);

const foreign = (kind: string, id: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: {
    name: objectName(id),
    namespace: namespaceName(ids.project),
    labels: ownerLabels({ kind: 'app', id, projectId: ids.project, name: 'gone' }),
    ...extra,
  },
});

const nothing: ResyncPlan = {
  queue: [],
  observations: [],
  unchanged: [],
  orphans: [],
  managed: 0,
  otherInstallations: 0,
};

describe('planResync', () => {
  it.each<{
    name: string;
    rows: ResyncRows;
    lists: KubeObject[];
    failedForGood?: Map<string, number>;
    namespaceReady?: boolean;
    plan: Partial<ResyncPlan>;
  }>([
    {
      name: 'leaves a settled row whose objects are as desired alone (only its observation time moves)',
      rows: { app: [settledApp()] },
      lists: appObjects(),
      plan: { unchanged: [{ kind: 'app', ids: [ids.app] }] },
    },
    {
      name: 'queues a row whose objects are missing',
      rows: { app: [settledApp()] },
      lists: [],
      plan: { queue: [appKey] },
    },
    {
      name: 'queues a row whose object drifted',
      rows: { app: [settledApp()] },
      lists: withImage(appObjects(), 'nginx:1.25'),
      plan: { queue: [appKey] },
    },
    {
      name: 'queues a row with an owned object intent no longer wants (an Ingress without domains)',
      rows: { app: [settledApp()] },
      lists: [...appObjects(), { ...foreign('Ingress', ids.app), apiVersion: 'networking.k8s.io/v1' }],
      plan: { queue: [appKey] },
    },
    {
      name: 'queues intent not applied yet (generation ahead of observedGeneration)',
      rows: { app: [settledApp({ generation: 2 })] },
      lists: appObjects(),
      plan: { queue: [appKey] },
    },
    {
      name: 'queues a row whose last pass failed',
      rows: { app: [settledApp({ state: 'error', syncError: 'the cluster could not be reached' })] },
      lists: appObjects(),
      plan: { queue: [appKey] },
    },
    {
      name: 'queues a row being deleted',
      rows: { app: [settledApp({ state: 'deleting', generation: 2 })] },
      lists: appObjects(),
      plan: { queue: [appKey] },
    },
    {
      name: "queues a row whose project's namespace is not ready",
      rows: { app: [settledApp()] },
      lists: appObjects(),
      namespaceReady: false,
      plan: { queue: [appKey] },
    },
    {
      name: 'copies changed runtime facts back without queueing a settled row',
      rows: { app: [settledApp({ readyReplicas: 1, availableReplicas: 1 })] },
      lists: appObjects(),
      plan: {
        observations: [
          {
            kind: 'app',
            id: ids.app,
            values: {
              readyReplicas: 2,
              availableReplicas: 2,
              updatedReplicas: 2,
              url,
              state: 'active',
              observedGeneration: 1,
              syncError: null,
            },
          },
        ],
      },
    },
    {
      name: 'records and queues a row still on its way (a rollout with a replica not ready)',
      rows: { app: [settledApp()] },
      lists: appObjects(rolledOut(2, 1)),
      plan: {
        queue: [appKey],
        observations: [
          {
            kind: 'app',
            id: ids.app,
            values: {
              readyReplicas: 1,
              availableReplicas: 1,
              updatedReplicas: 2,
              url,
              state: 'provisioning',
              observedGeneration: 1,
              syncError: null,
            },
          },
        ],
      },
    },
    {
      name: 'leaves a row that failed for good at its generation',
      rows: { app: [settledApp({ state: 'error', syncError: 'Kubernetes rejected Deployment as invalid' })] },
      lists: [],
      failedForGood: new Map([[appKey, 1]]),
      plan: {},
    },
    {
      name: 'queues a row that failed for good at an older generation',
      rows: { app: [settledApp({ state: 'error', syncError: 'rejected as invalid', generation: 2 })] },
      lists: [],
      failedForGood: new Map([[appKey, 1]]),
      plan: { queue: [appKey] },
    },
    {
      name: 'queues projects before what goes in their namespace',
      rows: { app: [settledApp()], project: [projectRow()] },
      lists: [],
      plan: { queue: [keyOf('project', ids.project), appKey] },
    },
    {
      name: 'collects objects of owned kinds whose resource has no row, unless already going',
      rows: { project: [projectRow()] },
      lists: [
        ...projectObjects(),
        { ...foreign('Deployment', 'app_zzzzzzzzzzzzzzzzzzzz'), apiVersion: 'apps/v1' },
        { ...foreign('VirtualMachineInstance', 'dpl_zzzzzzzzzzzzzzzzzzzz'), apiVersion: 'kubevirt.io/v1' },
        foreign('Service', 'app_yyyyyyyyyyyyyyyyyyyy', { deletionTimestamp: new Date() }),
      ],
      plan: {
        unchanged: [{ kind: 'project', ids: [ids.project] }],
        orphans: [{ ...foreign('Deployment', 'app_zzzzzzzzzzzzzzzzzzzz'), apiVersion: 'apps/v1' }],
      },
    },
  ])('$name', ({ rows, lists, failedForGood, namespaceReady, plan }) => {
    const ctx = { lookup: fakeLookup({ namespaceReady: namespaceReady ?? true }), settings, failedForGood };
    expect(planResync(lists, rows, ctx)).toEqual({ ...nothing, managed: expect.any(Number), ...plan });
  });
});

describe('installations', () => {
  const ours = 'installation-ours';
  const theirs = 'installation-theirs';
  const labelled = (object: KubeObject, installation: string): KubeObject =>
    withInstallation(object, installation);
  const deployment = (id: string) => ({ ...foreign('Deployment', id), apiVersion: 'apps/v1' });
  const ctx = { lookup, settings: { ...settings, installationId: ours } };

  it('never collects, queues or counts another installation’s objects', () => {
    const plan = planResync(
      [
        labelled(deployment('app_zzzzzzzzzzzzzzzzzzzz'), theirs),
        ...appObjects().map((o) => labelled(o, theirs)),
      ],
      { app: [settledApp()] },
      ctx,
    );
    expect(plan).toMatchObject({ orphans: [], managed: 0, otherInstallations: 3, queue: [appKey] });
  });

  it('collects its own orphans, and adopts but never collects objects written before installation ids', () => {
    const own = labelled(deployment('app_zzzzzzzzzzzzzzzzzzzz'), ours);
    const unlabelledOrphan = deployment('app_yyyyyyyyyyyyyyyyyyyy');
    const plan = planResync([own, unlabelledOrphan, ...appObjects()], { app: [settledApp()] }, ctx);
    expect(plan.orphans).toEqual([own]);
    // The app's unlabelled objects are its own: queued to get the label, not deleted.
    expect(plan.queue).toEqual([appKey]);
    expect(plan.otherInstallations).toBe(0);
  });

  it('labels what it wants with its installation, so an object without the label is re-applied', () => {
    const objects = appObjects().map((o) => labelled(o, ours));
    const plan = planResync(objects, { app: [settledApp()] }, ctx);
    expect(plan).toMatchObject({ queue: [], unchanged: [{ kind: 'app', ids: [ids.app] }], managed: 2 });
  });
});

describe('planResyncInSlices', () => {
  // A timing on a shared machine: a garbage collection or a preempted thread may add to one gap.
  it(
    'plans 10 000 rows as planResync does, never holding the loop for 20 ms at a time',
    { timeout: 30_000, retry: 2 },
    async () => {
      const rows = Array.from({ length: 10_000 }, (_, i) => {
        const id = AppId.parse(`app_${String(i).padStart(20, '0')}`);
        const url = `http://${objectName(id)}.${namespaceName(ids.project)}.svc.cluster.local`;
        return settledApp({ id, name: `app-${i}`, url });
      });
      // Some observed differently, some objects with no row: every branch of the plan has work.
      const lists = rows.flatMap((row, i) => appObjects(rolledOut(2, i % 10 === 0 ? 1 : 2), row));
      lists.push(foreign('Service', 'app_zzzzzzzzzzzzzzzzzzzz'));
      const context = { lookup, settings };
      const started = performance.now();
      const atOnce = planResync(lists, { app: rows }, context);
      const atOnceMs = performance.now() - started;

      // The longest the loop was held: a 1 ms timer sees the gaps between its runs, and the CPU time
      // this process spent in a gap is the work that held it (a gap where another process had the
      // core — a loaded CI machine — is not work of ours).
      const cpuMs = () => {
        const { user, system } = process.cpuUsage();
        return (user + system) / 1000;
      };
      let last = cpuMs();
      let longestGapMs = 0;
      const timer = setInterval(() => {
        const now = cpuMs();
        longestGapMs = Math.max(longestGapMs, now - last);
        last = now;
      }, 1);
      const sliced = await planResyncInSlices(lists, { app: rows }, context);
      // One more timer turn, so a gap at the very end is seen too.
      await new Promise((resolve) => setTimeout(resolve, 2));
      clearInterval(timer);
      expect(sliced).toEqual(atOnce);
      expect(sliced.observations).toHaveLength(1000);
      expect(sliced.unchanged[0]?.ids).toHaveLength(9000);
      expect(sliced.orphans).toHaveLength(1);
      expect(longestGapMs, `planned at once in ${atOnceMs.toFixed(0)} ms`).toBeLessThan(20);
    },
  );
});

describe('guardOrphans', () => {
  const objects = (n: number) =>
    Array.from({ length: n }, (_, i) => foreign('Service', `app_${String(i).padStart(20, '0')}`));

  it.each([
    { name: 'deletes a handful whatever their share', orphans: 5, managed: 5, maxShare: 0.5, withheld: 0 },
    { name: 'deletes up to the share', orphans: 10, managed: 20, maxShare: 0.5, withheld: 0 },
    { name: 'withholds more than the share', orphans: 11, managed: 20, maxShare: 0.5, withheld: 11 },
    { name: 'withholds all of an emptied database', orphans: 40, managed: 40, maxShare: 0.5, withheld: 40 },
    { name: 'deletes all with a share of 1', orphans: 40, managed: 40, maxShare: 1, withheld: 0 },
  ])('$name', ({ orphans, managed, maxShare, withheld }) => {
    const plan = { orphans: objects(orphans), managed };
    expect(guardOrphans(plan, maxShare)).toEqual({
      delete: withheld ? [] : plan.orphans,
      withheld,
    });
  });
});

describe('what earlier passes found settled', () => {
  const versioned = (version: string) =>
    appObjects().map((o) => ({ ...o, metadata: { ...o.metadata, resourceVersion: version } }));

  it('is not judged again while its row, its objects and intent are as they were', () => {
    const settled = new Map<string, SettledMark>();
    const desired = vi.fn(appReconciler.desired);
    const spied = { ...ctxOf(settled, 1), lookup };
    const first = planResync(versioned('7'), { app: [settledApp()] }, spied);
    expect(first).toMatchObject({ queue: [], unchanged: [{ kind: 'app', ids: [ids.app] }] });
    expect(settled.has(appKey)).toBe(true);

    const [same, changed, row] = [versioned('7'), versioned('8'), settledApp()];
    const original = appReconciler.desired;
    appReconciler.desired = desired;
    try {
      const again = planResync(same, { app: [row] }, spied);
      expect(again).toMatchObject({ queue: [], unchanged: [{ kind: 'app', ids: [ids.app] }] });
      expect(desired).not.toHaveBeenCalled();
      // A new version of an object, or a write of intent anywhere, and it is judged again.
      planResync(changed, { app: [row] }, spied);
      expect(desired).toHaveBeenCalledTimes(1);
      planResync(changed, { app: [row] }, { ...spied, intentEpoch: 2 });
      expect(desired).toHaveBeenCalledTimes(2);
    } finally {
      appReconciler.desired = original;
    }
  });

  it('needs only the heads of rows settled as before: it loads no whole row', () => {
    const settled = new Map<string, SettledMark>();
    planResync(versioned('7'), { app: [settledApp()] }, ctxOf(settled, 1));
    const row = settledApp();
    const head = {
      id: row.id,
      state: row.state,
      generation: row.generation,
      observedGeneration: row.observedGeneration,
      syncError: row.syncError,
    };
    const load = vi.fn((_kind: string, heads: { id: string }[]) => (heads.length > 0 ? [row] : []));
    const again = planResync(versioned('7'), { app: [head] }, { ...ctxOf(settled, 1), load });
    expect(again).toMatchObject({ queue: [], unchanged: [{ kind: 'app', ids: [ids.app] }] });
    expect(load.mock.calls.flatMap(([, heads]) => heads)).toEqual([]);
    // Its objects changed: that row, and only it, is loaded and judged whole.
    const changed = planResync(versioned('8'), { app: [head] }, { ...ctxOf(settled, 1), load });
    expect(load.mock.calls.flatMap(([, heads]) => heads)).toEqual([head]);
    expect(changed).toMatchObject({ queue: [], unchanged: [{ kind: 'app', ids: [ids.app] }] });
  });

  it("trusts the cache's version of a row's objects instead of their own versions, when it has one", () => {
    const settled = new Map<string, SettledMark>();
    const desired = vi.fn(appReconciler.desired);
    let version = 41;
    // The objects' own versions never move here: only the cache's number says they changed.
    const ctx = { ...ctxOf(settled, 1), objectsVersion: () => version };
    const objects = versioned('7');
    planResync(objects, { app: [settledApp()] }, ctx);
    const original = appReconciler.desired;
    appReconciler.desired = desired;
    try {
      planResync(objects, { app: [settledApp()] }, ctx);
      expect(desired).not.toHaveBeenCalled();
      version = 42;
      planResync(objects, { app: [settledApp()] }, ctx);
      expect(desired).toHaveBeenCalledTimes(1);
      // A version no mark can hold (the objects changed while the pass ran): judged every time.
      version = Number.NaN;
      planResync(objects, { app: [settledApp()] }, ctx);
      planResync(objects, { app: [settledApp()] }, ctx);
      expect(desired).toHaveBeenCalledTimes(3);
    } finally {
      appReconciler.desired = original;
    }
  });

  it("judges a settled row again after a write of intent in its project, not in another's", () => {
    const settled = new Map<string, SettledMark>();
    const desired = vi.fn(appReconciler.desired);
    const epochs = new Map<string, number>();
    const ctx = { ...ctxOf(settled, 1), projectEpoch: (id: string) => epochs.get(id) ?? 0 };
    const objects = versioned('7');
    planResync(objects, { app: [settledApp()] }, ctx);
    const original = appReconciler.desired;
    appReconciler.desired = desired;
    try {
      epochs.set('proj_elsewhere', 5);
      planResync(objects, { app: [settledApp()] }, ctx);
      expect(desired).not.toHaveBeenCalled();
      epochs.set(ids.project, 1);
      planResync(objects, { app: [settledApp()] }, ctx);
      expect(desired).toHaveBeenCalledTimes(1);
    } finally {
      appReconciler.desired = original;
    }
  });

  it('loads the whole rows it must judge a few at a time, never all at once', () => {
    const rows = Array.from({ length: 120 }, (_, i) =>
      settledApp({ id: AppId.parse(`app_${String(i).padStart(20, '0')}`) }),
    );
    const load = vi.fn((_kind: string, heads: { id: string }[]) =>
      rows.filter((r) => heads.some((h) => h.id === r.id)),
    );
    planResync([], { app: rows }, { ...ctxOf(new Map(), 1), load });
    const asked = load.mock.calls.map(([, heads]) => heads.length);
    expect(asked.reduce((a, b) => a + b, 0)).toBe(120);
    expect(Math.max(...asked)).toBeLessThanOrEqual(50);
  });

  it('forgets rows that are gone, and never remembers one that needs work', () => {
    const settled = new Map<string, SettledMark>();
    planResync(versioned('7'), { app: [settledApp()] }, ctxOf(settled, 1));
    planResync(versioned('7'), { app: [] }, ctxOf(settled, 1));
    expect(settled.size).toBe(0);
    planResync([], { app: [settledApp()] }, ctxOf(settled, 1));
    expect(settled.size).toBe(0);
  });

  const ctxOf = (settled: Map<string, SettledMark>, intentEpoch: number) => ({
    lookup,
    settings,
    settled,
    intentEpoch,
  });
});
