// Scheduling and the deployment controller: unschedulable pods, rollouts, undo, pause/resume.
import { at, deployment, fromHttp, fromKubectl, itemsOf, paths, pod } from '../observe.ts';
import type { Json, Probe, ProbeCluster } from '../types.ts';

type Obj = Record<string, unknown>;

/** Poll until the Deployment's rollout is complete (as `kubectl rollout status` decides). */
export async function rolledOut(c: ProbeCluster, name: string, timeoutMs = 45_000): Promise<Obj | undefined> {
  return c.waitFor(async () => {
    const res = await c.request('GET', paths.apps(c, 'deployments', name));
    if (res.status !== 200) return undefined;
    const d = res.body as Obj;
    const want = Number(at(d, 'spec.replicas') ?? 1);
    const done =
      Number(at(d, 'status.observedGeneration') ?? 0) >= Number(at(d, 'metadata.generation') ?? 1) &&
      Number(at(d, 'status.updatedReplicas') ?? 0) === want &&
      Number(at(d, 'status.replicas') ?? 0) === want &&
      Number(at(d, 'status.availableReplicas') ?? 0) === want;
    return done ? d : undefined;
  }, timeoutMs);
}

async function replicaSets(c: ProbeCluster, app: string): Promise<Obj[]> {
  const res = await c.request('GET', paths.apps(c, 'replicasets'), {
    query: { labelSelector: `app=${app}` },
  });
  return itemsOf(res);
}

/** `deployment.kubernetes.io/revision` (at() splits on dots, so read the annotation directly). */
const revision = (o: unknown) =>
  String(
    ((at(o, 'metadata.annotations') ?? {}) as Record<string, unknown>)['deployment.kubernetes.io/revision'] ??
      '',
  );

const imageOf = (o: unknown) => {
  const containers = at(o, 'spec.template.spec.containers') as { image?: string }[] | undefined;
  return containers?.[0]?.image ?? null;
};

const conditions = (o: unknown) =>
  ((at(o, 'status.conditions') ?? []) as { type?: string; status?: string; reason?: string }[])
    .map((x) => `${x.type}=${x.status} (${x.reason ?? ''})`)
    .sort();

export const workloadProbes: Probe[] = [
  {
    name: 'pod-unschedulable',
    area: 'scheduling',
    description:
      'A pod requesting 100 CPUs on an 8-CPU node: Pending, PodScheduled=False Unschedulable, FailedScheduling event',
    async run(c) {
      const created = await c.request('POST', paths.core(c, 'pods'), {
        body: pod('hog', { resources: { requests: { cpu: '100' } } }),
      });
      if (created.status !== 201) return fromHttp(created, { step: 'create' });
      const cond = await c.waitFor(async () => {
        const p = await c.request('GET', paths.core(c, 'pods', 'hog'));
        const list = (at(p.body, 'status.conditions') ?? []) as { type: string; status: string }[];
        return list.find((x) => x.type === 'PodScheduled' && x.status === 'False') ? p.body : undefined;
      }, 20_000);
      const now = (await c.request('GET', paths.core(c, 'pods', 'hog'))).body;
      const scheduled = ((at(cond ?? now, 'status.conditions') ?? []) as Obj[]).find(
        (x) => x.type === 'PodScheduled',
      );
      const event = await c.waitFor(async () => {
        const ev = await c.request('GET', paths.core(c, 'events'), {
          query: { fieldSelector: 'involvedObject.name=hog' },
        });
        return itemsOf(ev).find((e) => e.reason === 'FailedScheduling');
      }, 10_000);
      return fromHttp(created, {
        phase: at(now, 'status.phase') ?? null,
        nodeName: at(now, 'spec.nodeName') ?? null,
        podScheduled: scheduled
          ? `${String(scheduled.status)} ${String(scheduled.reason)}: ${String(scheduled.message ?? '')}`
          : null,
        event: event ? `${String(event.type)} ${String(event.reason)}: ${String(event.message)}` : null,
      });
    },
  },
  {
    name: 'pod-runs',
    area: 'scheduling',
    description: 'A plain pod is scheduled and becomes Running with a node, pod IP and Ready condition',
    async run(c) {
      const created = await c.request('POST', paths.core(c, 'pods'), { body: pod('web') });
      if (created.status !== 201) return fromHttp(created, { step: 'create' });
      const running = await c.waitFor(async () => {
        const p = await c.request('GET', paths.core(c, 'pods', 'web'));
        return at(p.body, 'status.phase') === 'Running' && at(p.body, 'status.podIP') ? p.body : undefined;
      }, 30_000);
      const now = running ?? (await c.request('GET', paths.core(c, 'pods', 'web'))).body;
      const ready = ((at(now, 'status.conditions') ?? []) as Obj[]).find((x) => x.type === 'Ready');
      return fromHttp(created, {
        phase: at(now, 'status.phase') ?? null,
        nodeName: at(now, 'spec.nodeName') ?? null,
        podIP: at(now, 'status.podIP') ?? null,
        hostIP: at(now, 'status.hostIP') ?? null,
        ready: ready ? String(ready.status) : null,
        qosClass: at(now, 'status.qosClass') ?? null,
      });
    },
  },
  {
    name: 'deployment-rollout-status',
    area: 'workloads',
    description: 'A Deployment rolls out: status counters and conditions, `kubectl rollout status`',
    async run(c) {
      const created = await c.request('POST', paths.apps(c, 'deployments'), {
        body: deployment('web', { replicas: 2 }),
      });
      if (created.status !== 201) return fromHttp(created, { step: 'create' });
      const done = await rolledOut(c, 'web');
      const status = await c.kubectl([
        'rollout',
        'status',
        '-n',
        c.namespace,
        'deployment/web',
        '--timeout=20s',
      ]);
      const d = done ?? (await c.request('GET', paths.apps(c, 'deployments', 'web'))).body;
      const rs = await replicaSets(c, 'web');
      return fromKubectl(status, {
        rolledOut: done !== undefined,
        replicas: at(d, 'status.replicas') ?? null,
        readyReplicas: at(d, 'status.readyReplicas') ?? null,
        availableReplicas: at(d, 'status.availableReplicas') ?? null,
        updatedReplicas: at(d, 'status.updatedReplicas') ?? null,
        observedGeneration: at(d, 'status.observedGeneration') ?? null,
        conditions: conditions(d),
        revision: revision(d),
        replicaSets: rs.length,
        replicaSetRevision: rs[0] ? revision(rs[0]) : null,
        replicaSetOwner: (at(rs[0], 'metadata.ownerReferences') as Json) ?? null,
      });
    },
  },
  {
    name: 'rollout-undo',
    area: 'workloads',
    description: 'nginx:1.27 → set image nginx:1.28 → `kubectl rollout undo`: back to 1.27 as revision 3',
    async run(c) {
      const ns = ['-n', c.namespace];
      const created = await c.request('POST', paths.apps(c, 'deployments'), { body: deployment('web') });
      if (created.status !== 201) return fromHttp(created, { step: 'create' });
      const first = await rolledOut(c, 'web');
      const set = await c.kubectl(['set', 'image', ...ns, 'deployment/web', 'web=nginx:1.28']);
      const second = await rolledOut(c, 'web');
      const undo = await c.kubectl(['rollout', 'undo', ...ns, 'deployment/web']);
      const third = await rolledOut(c, 'web');
      const d = third ?? (await c.request('GET', paths.apps(c, 'deployments', 'web'))).body;
      const rs = await replicaSets(c, 'web');
      const history = await c.kubectl(['rollout', 'history', ...ns, 'deployment/web']);
      return fromKubectl(undo, {
        rolledOut: [first !== undefined, second !== undefined, third !== undefined],
        setImage: set.stdout.trim() || set.stderr.trim(),
        image: imageOf(d),
        revision: revision(d),
        replicaSets: rs
          .map((r) => `${revision(r)}:${String(imageOf(r))}:${String(at(r, 'spec.replicas'))}`)
          .sort(),
        history: history.stdout.trim() || history.stderr.trim(),
      });
    },
  },
  {
    name: 'rollout-paused',
    area: 'workloads',
    description: '`kubectl rollout pause`, change the image: no new ReplicaSet; `rollout resume`: a new one',
    async run(c) {
      const ns = ['-n', c.namespace];
      const created = await c.request('POST', paths.apps(c, 'deployments'), { body: deployment('web') });
      if (created.status !== 201) return fromHttp(created, { step: 'create' });
      await rolledOut(c, 'web');
      const pause = await c.kubectl(['rollout', 'pause', ...ns, 'deployment/web']);
      await c.kubectl(['set', 'image', ...ns, 'deployment/web', 'web=nginx:1.28']);
      // Once the controller has seen the change (observedGeneration caught up), count ReplicaSets.
      const seen = await c.waitFor(async () => {
        const d = (await c.request('GET', paths.apps(c, 'deployments', 'web'))).body;
        return Number(at(d, 'status.observedGeneration')) >= Number(at(d, 'metadata.generation')) &&
          conditions(d).some((x) => x.includes('DeploymentPaused'))
          ? d
          : undefined;
      }, 10_000);
      const whilePaused = seen ?? (await c.request('GET', paths.apps(c, 'deployments', 'web'))).body;
      const rsPaused = await replicaSets(c, 'web');
      const resume = await c.kubectl(['rollout', 'resume', ...ns, 'deployment/web']);
      const after = await c.waitFor(async () => {
        const rs = await replicaSets(c, 'web');
        return rs.length >= 2 ? rs : undefined;
      }, 20_000);
      const rsAfter = after ?? (await replicaSets(c, 'web'));
      return fromKubectl(pause, {
        pausedSeen: seen !== undefined,
        specPaused: at(whilePaused, 'spec.paused') ?? null,
        conditionsWhilePaused: conditions(whilePaused),
        replicaSetsWhilePaused: rsPaused.map((r) => String(imageOf(r))).sort(),
        resume: resume.stdout.trim() || resume.stderr.trim(),
        replicaSetsAfterResume: rsAfter.map((r) => String(imageOf(r))).sort(),
      });
    },
  },
  {
    name: 'scale-subresource',
    area: 'workloads',
    description: '`kubectl scale --replicas=3`, then GET the scale subresource',
    async run(c) {
      const created = await c.request('POST', paths.apps(c, 'deployments'), { body: deployment('web') });
      if (created.status !== 201) return fromHttp(created, { step: 'create' });
      const scale = await c.kubectl(['scale', '-n', c.namespace, 'deployment/web', '--replicas=3']);
      const got = await c.request('GET', `${paths.apps(c, 'deployments', 'web')}/scale`);
      return fromKubectl(scale, {
        scaleStatus: got.status,
        kind: at(got.body, 'kind') ?? null,
        apiVersion: at(got.body, 'apiVersion') ?? null,
        specReplicas: at(got.body, 'spec.replicas') ?? null,
        selector: at(got.body, 'status.selector') ?? null,
      });
    },
  },
];
