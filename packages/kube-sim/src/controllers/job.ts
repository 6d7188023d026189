// The job controller: a batch/v1 Job runs pods from its template (up to `parallelism` at once)
// until `completions` of them have succeeded, then reports Complete. The simulated containers
// "run" for one controller step: a Running pod of a Job then exits 0 (phase Succeeded, its
// containers terminated with reason Completed).
import { nowIso } from '../meta.ts';
import type { StoredObject } from '../types.ts';
import type { Controller } from './manager.ts';
import { mustType, withCondition, writeStatus, type Condition } from './util.ts';

const JOBS = 'batch/jobs';
const PODS = '/pods';

const jobOwner = (pod: StoredObject | undefined) =>
  pod?.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'Job' && r.apiVersion === 'batch/v1');

const jobKey = (ns: string | undefined, name: string | undefined) => `${ns ?? ''}/${name ?? ''}`;

/** The pod's containers as exited 0 at `now`. */
function completed(pod: StoredObject, now: string): StoredObject {
  const statuses = ((pod.status?.containerStatuses ?? []) as Record<string, unknown>[]).map((s) => ({
    ...s,
    ready: false,
    started: false,
    state: {
      terminated: {
        exitCode: 0,
        reason: 'Completed',
        startedAt: (s.state as { running?: { startedAt?: string } } | undefined)?.running?.startedAt ?? now,
        finishedAt: now,
      },
    },
  }));
  let conditions = (pod.status?.conditions ?? []) as Condition[];
  for (const type of ['Ready', 'ContainersReady'])
    conditions = withCondition(conditions, {
      type,
      status: 'False',
      reason: 'PodCompleted',
      lastProbeTime: null,
    });
  return {
    ...pod,
    status: { ...pod.status, phase: 'Succeeded', conditions, containerStatuses: statuses },
  };
}

export const jobController: Controller = {
  name: 'job',
  keysFor(e) {
    if (e.typeKey === JOBS)
      return e.type === 'DELETED' ? [] : [jobKey(e.object.metadata.namespace, e.object.metadata.name)];
    if (e.typeKey !== PODS) return [];
    const owner = jobOwner(e.object);
    return owner ? [jobKey(e.object.metadata.namespace, owner.name)] : [];
  },
  reconcile(key, { api, isHeld }) {
    const [namespace = '', name = ''] = key.split('/');
    const jobType = mustType(api, JOBS);
    const podType = mustType(api, PODS);
    const job = api.find(jobType, namespace, name);
    if (!job || job.metadata.deletionTimestamp || isHeld(JOBS, namespace, name)) return;
    const conditions = (job.status?.conditions ?? []) as Condition[];
    if (conditions.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')) return;
    const now = nowIso();
    const pods = api.store.list(PODS, namespace).filter((p) => jobOwner(p)?.uid === job.metadata.uid);
    // The simulated containers exit 0 once running.
    for (const pod of pods)
      if (pod.status?.phase === 'Running' && !pod.metadata.deletionTimestamp)
        api.update(podType, namespace, pod.metadata.name ?? '', completed(pod, now), {
          subresource: 'status',
        });
    const current = api.store.list(PODS, namespace).filter((p) => jobOwner(p)?.uid === job.metadata.uid);
    const succeeded = current.filter((p) => p.status?.phase === 'Succeeded').length;
    const failed = current.filter((p) => p.status?.phase === 'Failed').length;
    const active = current.filter(
      (p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && !p.metadata.deletionTimestamp,
    );
    const completions = (job.spec?.completions as number | undefined) ?? 1;
    const parallelism = (job.spec?.parallelism as number | undefined) ?? 1;
    const suspended = job.spec?.suspend === true;
    const done = succeeded >= completions;
    if (!done && !suspended) {
      const wanted = Math.min(parallelism, completions - succeeded) - active.length;
      const template = (job.spec?.template ?? {}) as { metadata?: StoredObject['metadata']; spec?: unknown };
      for (let i = 0; i < wanted; i++) {
        api.create(podType, namespace, {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            ...(template.metadata ?? {}),
            generateName: `${name}-`,
            namespace,
            labels: {
              ...(template.metadata?.labels ?? {}),
              'batch.kubernetes.io/controller-uid': job.metadata.uid ?? '',
              'batch.kubernetes.io/job-name': name,
              'controller-uid': job.metadata.uid ?? '',
              'job-name': name,
            },
            ownerReferences: [
              {
                apiVersion: 'batch/v1',
                kind: 'Job',
                name,
                uid: job.metadata.uid ?? '',
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          },
          spec: template.spec,
        } as StoredObject);
      }
    }
    const stillActive = done
      ? 0
      : api.store
          .list(PODS, namespace)
          .filter(
            (p) =>
              jobOwner(p)?.uid === job.metadata.uid &&
              p.status?.phase !== 'Succeeded' &&
              p.status?.phase !== 'Failed' &&
              !p.metadata.deletionTimestamp,
          ).length;
    let nextConditions = conditions;
    if (done) {
      const message = 'Reached expected number of succeeded pods';
      nextConditions = withCondition(nextConditions, {
        type: 'SuccessCriteriaMet',
        status: 'True',
        reason: 'CompletionsReached',
        message,
        lastProbeTime: now,
      });
      nextConditions = withCondition(nextConditions, {
        type: 'Complete',
        status: 'True',
        reason: 'CompletionsReached',
        message,
        lastProbeTime: now,
      });
    }
    const status = {
      ...(job.status ?? {}),
      startTime: job.status?.startTime ?? now,
      ...(stillActive > 0 ? { active: stillActive } : {}),
      ...(succeeded > 0 ? { succeeded } : {}),
      ...(failed > 0 ? { failed } : {}),
      ready: 0,
      terminating: 0,
      uncountedTerminatedPods: {},
      ...(done ? { completionTime: now, conditions: nextConditions } : {}),
    };
    if (!(stillActive > 0)) delete (status as { active?: number }).active;
    writeStatus(api, jobType, job, status);
    // A pod started now completes one step later.
    return done ? undefined : { requeueSteps: 1 };
  },
};
