// The job controller: a batch/v1 Job runs pods from its template (up to `parallelism` at once)
// until `completions` of them have succeeded, then reports Complete. The simulated containers
// "run" for one controller step: a Running pod of a Job then exits 0 (phase Succeeded, its
// containers terminated with reason Completed), unless a workload simulates what its containers do
// (job-workloads.ts): it may keep the pod running, or fail it (phase Failed, the container
// terminated with its exit code and message). Failed pods are retried until more than
// `backoffLimit` (6) have failed (`BackoffLimitExceeded`), or a `podFailurePolicy` rule with
// `FailJob` matches a container's exit code (`PodFailurePolicy`, with the message the controller
// writes): then `FailureTarget` and `Failed`.
import { nowIso } from '../meta.ts';
import type { StoredObject } from '../types.ts';
import type { Controller } from './manager.ts';
import type { JobWorkload } from './job-workloads.ts';
import { emitEvent, mustType, withCondition, writeStatus, type Condition } from './util.ts';

const JOBS = 'batch/jobs';
/** How soon a Job whose pod was refused tries again (the controller backs off; a second here). */
const REFUSED_RETRY_MS = 1_000;
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

/** The pod as failed at `now`: `container` exited with `exitCode` and `message`, the others did not run. */
function failedPod(
  pod: StoredObject,
  now: string,
  failure: { container: string; exitCode: number; message: string },
): StoredObject {
  const terminated = {
    exitCode: failure.exitCode,
    reason: 'Error',
    message: failure.message,
    startedAt: now,
    finishedAt: now,
  };
  const initNames = (pod.spec?.initContainers ?? []) as { name: string; image: string }[];
  const isInit = initNames.some((c) => c.name === failure.container);
  const status = (c: { name: string; image: string }) => ({
    name: c.name,
    image: c.image,
    imageID: '',
    ready: false,
    started: false,
    restartCount: 0,
    state: c.name === failure.container ? { terminated } : { waiting: { reason: 'PodInitializing' } },
  });
  let conditions = (pod.status?.conditions ?? []) as Condition[];
  for (const type of ['Ready', 'ContainersReady'])
    conditions = withCondition(conditions, {
      type,
      status: 'False',
      reason: 'PodFailed',
      lastProbeTime: null,
    });
  return {
    ...pod,
    status: {
      ...pod.status,
      phase: 'Failed',
      conditions,
      ...(isInit ? { initContainerStatuses: initNames.map(status) } : {}),
      containerStatuses: ((pod.spec?.containers ?? []) as { name: string; image: string }[]).map(status),
    },
  };
}

interface FailJobRule {
  action?: string;
  onExitCodes?: { containerName?: string; operator?: 'In' | 'NotIn'; values?: number[] };
}

/** The message of the first `FailJob` rule a failed pod matches, as the Job controller writes it. */
function matchedFailJobRule(job: StoredObject, pod: StoredObject): string | undefined {
  const rules = (job.spec?.podFailurePolicy as { rules?: FailJobRule[] } | undefined)?.rules ?? [];
  type Status = { name: string; state?: { terminated?: { exitCode?: number } } };
  const statuses = [
    ...((pod.status?.initContainerStatuses ?? []) as Status[]),
    ...((pod.status?.containerStatuses ?? []) as Status[]),
  ];
  for (const [index, rule] of rules.entries()) {
    const on = rule.onExitCodes;
    if (rule.action !== 'FailJob' || !on) continue;
    for (const s of statuses) {
      const code = s.state?.terminated?.exitCode;
      if (code === undefined || code === 0 || (on.containerName && on.containerName !== s.name)) continue;
      const listed = (on.values ?? []).includes(code);
      if (on.operator === 'NotIn' ? !listed : listed)
        return `Container ${s.name} for pod ${pod.metadata.namespace}/${pod.metadata.name} failed with exit code ${code} matching FailJob rule at index ${index}`;
    }
  }
  return undefined;
}

/** A Job controller whose pods do what `workloads` simulate (by default: exit 0 once running). */
export const createJobController = (workloads: JobWorkload[] = []): Controller => ({
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
    // The simulated containers exit 0 once running, or as the workload simulating them says.
    let waiting: number | undefined;
    for (const pod of pods) {
      if (pod.status?.phase !== 'Running' || pod.metadata.deletionTimestamp) continue;
      const workload = workloads.find((w) => w.matches(job, pod));
      const outcome = workload ? workload.run(job, pod, api) : ({ exit: 'ok' } as const);
      if ('waitMs' in outcome) {
        waiting = Math.min(waiting ?? outcome.waitMs, outcome.waitMs);
        continue;
      }
      const next = outcome.exit === 'ok' ? completed(pod, now) : failedPod(pod, now, outcome);
      api.update(podType, namespace, pod.metadata.name ?? '', next, { subresource: 'status' });
    }
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
    const backoffLimit = (job.spec?.backoffLimit as number | undefined) ?? 6;
    const ruleMatched = current
      .filter((p) => p.status?.phase === 'Failed')
      .map((p) => matchedFailJobRule(job, p))
      .find((m) => m !== undefined);
    const failure = done
      ? undefined
      : ruleMatched !== undefined
        ? { reason: 'PodFailurePolicy', message: ruleMatched }
        : failed > backoffLimit
          ? { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }
          : undefined;
    if (failure) {
      let next = withCondition(conditions, {
        type: 'FailureTarget',
        status: 'True',
        ...failure,
        lastProbeTime: now,
      });
      next = withCondition(next, { type: 'Failed', status: 'True', ...failure, lastProbeTime: now });
      for (const p of active)
        api.delete(podType, namespace, p.metadata.name ?? '', { gracePeriodSeconds: 0 });
      writeStatus(api, jobType, job, {
        ...(job.status ?? {}),
        startTime: job.status?.startTime ?? now,
        ...(succeeded > 0 ? { succeeded } : {}),
        failed,
        ready: 0,
        terminating: 0,
        uncountedTerminatedPods: {},
        conditions: next,
      });
      return;
    }
    let refused = false;
    if (!done && !suspended) {
      const wanted = Math.min(parallelism, completions - succeeded) - active.length;
      const template = (job.spec?.template ?? {}) as { metadata?: StoredObject['metadata']; spec?: unknown };
      for (let i = 0; i < wanted; i++) {
        try {
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
        } catch (e) {
          // A refused pod (an exceeded quota) is reported as the job controller does, and retried.
          emitEvent(
            api,
            job,
            'FailedCreate',
            `Error creating: ${(e as Error).message}`,
            'job-controller',
            'Warning',
          );
          refused = true;
          break;
        }
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
    // A pod started now completes one step later; one a workload holds, when it says.
    if (done) return undefined;
    if (refused) return { requeueAfterMs: REFUSED_RETRY_MS };
    return waiting !== undefined ? { requeueAfterMs: waiting } : { requeueSteps: 1 };
  },
});

export const jobController: Controller = createJobController();
