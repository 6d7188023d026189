// Deletion: pod grace periods, foreground / background / orphan propagation, namespace Terminating.
import {
  at,
  configMap,
  deployment,
  fromHttp,
  itemsOf,
  paths,
  pod,
  presence,
  watchEvents,
  watchFrom,
} from '../observe.ts';
import type { Probe, ProbeCluster } from '../types.ts';
import { rolledOut } from './workloads.ts';

const HOLD = 'fidelity.uncloud.dev/hold';

async function runningPod(c: ProbeCluster, name: string) {
  const created = await c.request('POST', paths.core(c, 'pods'), { body: pod(name) });
  if (created.status !== 201) return { created, running: false };
  const running = await c.waitFor(async () => {
    const p = await c.request('GET', paths.core(c, 'pods', name));
    return at(p.body, 'status.phase') === 'Running';
  }, 30_000);
  return { created, running: running === true };
}

/** DELETE answer of a pod: what a client reads from it. */
const deleteFields = (body: unknown) => ({
  kind: at(body, 'kind') ?? null,
  deletionTimestamp: at(body, 'metadata.deletionTimestamp') ?? null,
  deletionGracePeriodSeconds: at(body, 'metadata.deletionGracePeriodSeconds') ?? null,
});

/**
 * DELETE a running pod with a grace period, then replay its watch events from just before: a
 * graceful delete is a MODIFIED (deletionTimestamp set) and, once the node agent confirms, a
 * DELETED; an immediate one is a DELETED alone. The replay does not race the node agent (KWOK
 * confirms within milliseconds: a GET right after the DELETE may or may not still see the pod).
 */
async function deletePod(c: ProbeCluster, gracePeriodSeconds: number) {
  const { created, running } = await runningPod(c, 'web');
  if (created.status !== 201) return fromHttp(created, { step: 'create' });
  const before = await c.request('GET', paths.core(c, 'pods', 'web'));
  const rv = String(at(before.body, 'metadata.resourceVersion') ?? '');
  const del = await c.request('DELETE', paths.core(c, 'pods', 'web'), {
    body: { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds },
  });
  const gone = await c.waitFor(
    async () => (await presence(c, paths.core(c, 'pods', 'web'))) === 'gone',
    10_000,
  );
  const watch = await watchFrom(c, paths.core(c, 'pods'), rv, {
    timeoutSeconds: 2,
    fieldSelector: 'metadata.name=web',
  });
  const events = watchEvents(watch.body, (type, o) =>
    at(o, 'metadata.deletionTimestamp') ? `${type} (deletionTimestamp set)` : type,
  ).filter((e, i, all) => e !== all[i - 1]);
  return fromHttp(del, {
    running,
    ...deleteFields(del.body),
    goneWithin10s: gone === true,
    watchStatus: watch.status,
    events,
  });
}

export const deletionProbes: Probe[] = [
  {
    name: 'pod-delete-grace',
    area: 'deletion',
    description:
      'DELETE a running pod with gracePeriodSeconds=30: 200 with the pod, deletionTimestamp set; MODIFIED then DELETED',
    run: (c) => deletePod(c, 30),
  },
  {
    name: 'pod-delete-grace-zero',
    area: 'deletion',
    description: 'DELETE a running pod with gracePeriodSeconds=0: the answer and the watch events',
    run: (c) => deletePod(c, 0),
  },
  {
    name: 'foreground-deletion',
    area: 'deletion',
    description:
      'Foreground DELETE of an owner whose dependent is held by a finalizer: the owner stays with `foregroundDeletion` until the dependent goes',
    async run(c) {
      const owner = await c.request('POST', paths.core(c, 'configmaps'), { body: configMap('owner') });
      if (owner.status !== 201) return fromHttp(owner, { step: 'create owner' });
      const dependent = await c.request('POST', paths.core(c, 'configmaps'), {
        body: configMap(
          'dependent',
          { key: 'value' },
          {
            finalizers: [HOLD],
            ownerReferences: [
              {
                apiVersion: 'v1',
                kind: 'ConfigMap',
                name: 'owner',
                uid: at(owner.body, 'metadata.uid'),
                blockOwnerDeletion: true,
              },
            ],
          },
        ),
      });
      if (dependent.status !== 201) return fromHttp(dependent, { step: 'create dependent' });
      const del = await c.request('DELETE', paths.core(c, 'configmaps', 'owner'), {
        body: { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Foreground' },
      });
      const marked = await c.waitFor(async () => {
        const d = await c.request('GET', paths.core(c, 'configmaps', 'dependent'));
        return at(d.body, 'metadata.deletionTimestamp') !== undefined;
      }, 15_000);
      const ownerNow = await c.request('GET', paths.core(c, 'configmaps', 'owner'));
      // Let the dependent go; the owner must follow.
      await c.request('PATCH', paths.core(c, 'configmaps', 'dependent'), {
        body: { metadata: { finalizers: null } },
        contentType: 'application/merge-patch+json',
      });
      const ownerGone = await c.waitFor(
        async () => (await presence(c, paths.core(c, 'configmaps', 'owner'))) === 'gone',
        20_000,
      );
      return fromHttp(del, {
        deleteDeletionTimestamp: at(del.body, 'metadata.deletionTimestamp') ?? null,
        deleteFinalizers: at(del.body, 'metadata.finalizers') ?? null,
        dependentMarkedForDeletion: marked === true,
        ownerWhileDependentExists:
          ownerNow.status === 200 ? (at(ownerNow.body, 'metadata.finalizers') ?? []) : ownerNow.status,
        ownerGoneAfterDependent: ownerGone === true,
      });
    },
  },
  {
    name: 'background-cascade',
    area: 'deletion',
    description:
      'DELETE a rolled-out Deployment (default propagation): its ReplicaSet and pods are collected',
    async run(c) {
      const created = await c.request('POST', paths.apps(c, 'deployments'), { body: deployment('web') });
      if (created.status !== 201) return fromHttp(created, { step: 'create' });
      const ready = await rolledOut(c, 'web');
      const del = await c.request('DELETE', paths.apps(c, 'deployments', 'web'));
      const selector = { query: { labelSelector: 'app=web' } };
      const collected = await c.waitFor(async () => {
        const rs = itemsOf(await c.request('GET', paths.apps(c, 'replicasets'), selector));
        const pods = itemsOf(await c.request('GET', paths.core(c, 'pods'), selector)).filter(
          (p) => at(p, 'metadata.deletionTimestamp') === undefined,
        );
        return rs.length === 0 && pods.length === 0;
      }, 30_000);
      return fromHttp(del, {
        rolledOut: ready !== undefined,
        kind: at(del.body, 'kind') ?? null,
        deploymentAfter: await presence(c, paths.apps(c, 'deployments', 'web')),
        dependentsCollected: collected === true,
      });
    },
  },
  {
    name: 'orphan-deletion',
    area: 'deletion',
    description:
      'DELETE a Deployment with propagationPolicy=Orphan: its ReplicaSet stays, without ownerReferences',
    async run(c) {
      const created = await c.request('POST', paths.apps(c, 'deployments'), { body: deployment('web') });
      if (created.status !== 201) return fromHttp(created, { step: 'create' });
      const ready = await rolledOut(c, 'web');
      const del = await c.request('DELETE', paths.apps(c, 'deployments', 'web'), {
        body: { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Orphan' },
      });
      const gone = await c.waitFor(
        async () => (await presence(c, paths.apps(c, 'deployments', 'web'))) === 'gone',
        15_000,
      );
      const orphans = await c.waitFor(async () => {
        const rs = itemsOf(
          await c.request('GET', paths.apps(c, 'replicasets'), { query: { labelSelector: 'app=web' } }),
        );
        return rs.length > 0 &&
          rs.every((r) => ((at(r, 'metadata.ownerReferences') ?? []) as unknown[]).length === 0)
          ? rs
          : undefined;
      }, 10_000);
      return fromHttp(del, {
        rolledOut: ready !== undefined,
        deleteFinalizers: at(del.body, 'metadata.finalizers') ?? null,
        deploymentGone: gone === true,
        orphanedReplicaSets: orphans?.length ?? 0,
      });
    },
  },
  {
    name: 'namespace-terminating',
    area: 'deletion',
    description:
      'DELETE a namespace holding a finalized ConfigMap: Terminating with conditions, new content refused (403), gone once released',
    async run(c) {
      const nsPath = `/api/v1/namespaces/${c.namespace}`;
      const held = await c.request('POST', paths.core(c, 'configmaps'), {
        body: configMap('held', { key: 'value' }, { finalizers: [HOLD] }),
      });
      if (held.status !== 201) return fromHttp(held, { step: 'create' });
      const del = await c.request('DELETE', nsPath);
      const withConditions = await c.waitFor(async () => {
        const ns = await c.request('GET', nsPath);
        const conds = (at(ns.body, 'status.conditions') ?? []) as { type: string; status: string }[];
        return conds.some((x) => x.type === 'NamespaceFinalizersRemaining' && x.status === 'True')
          ? ns.body
          : undefined;
      }, 20_000);
      const ns = withConditions ?? (await c.request('GET', nsPath)).body;
      const refused = await c.request('POST', paths.core(c, 'configmaps'), { body: configMap('late') });
      await c.request('PATCH', paths.core(c, 'configmaps', 'held'), {
        body: { metadata: { finalizers: null } },
        contentType: 'application/merge-patch+json',
      });
      const gone = await c.waitFor(async () => (await presence(c, nsPath)) === 'gone', 30_000);
      return fromHttp(del, {
        deletePhase: at(del.body, 'status.phase') ?? null,
        specFinalizers: at(del.body, 'spec.finalizers') ?? null,
        phase: at(ns, 'status.phase') ?? null,
        conditions: (
          (at(ns, 'status.conditions') ?? []) as { type: string; status: string; reason?: string }[]
        )
          .map((x) => `${x.type}=${x.status} (${x.reason ?? ''})`)
          .sort(),
        createInTerminating: `${refused.status} ${String(at(refused.body, 'reason') ?? '')}: ${String(at(refused.body, 'message') ?? '')}`,
        goneAfterRelease: gone === true,
      });
    },
  },
];
