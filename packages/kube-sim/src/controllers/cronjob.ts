// The CronJob controller: a batch/v1 CronJob creates a Job from its `jobTemplate` each time its
// schedule (five fields, in `spec.timeZone`, UTC unless set) fires, named `<cronjob>-<minutes since
// the epoch of the scheduled time>` and owned by it, as kube-controller-manager names them. Missed
// starts run once (the latest). `suspend` stops new Jobs; `concurrencyPolicy` Forbid skips a start
// while a Job of the CronJob is active, Replace deletes the active ones first, Allow (the default)
// runs them side by side. `status.active` lists the running Jobs, `lastScheduleTime` the latest
// start and `lastSuccessfulTime` the latest completion; finished Jobs beyond
// `successfulJobsHistoryLimit` (3) and `failedJobsHistoryLimit` (1) are deleted, oldest first.
import { latestRunBetween, nextRun } from '../cron.ts';
import { nowIso, ownerRef } from '../meta.ts';
import type { StoredObject } from '../types.ts';
import { objKey, splitKey, type Controller } from './manager.ts';
import { createIgnoringExists, emitEvent, mustType, typeOf, writeStatus, type Condition } from './util.ts';

const CRONJOBS = 'batch/cronjobs';
const JOBS = 'batch/jobs';

const cronJobOwner = (job: StoredObject) =>
  job.metadata.ownerReferences?.find(
    (r) => r.controller && r.kind === 'CronJob' && r.apiVersion === 'batch/v1',
  );

const finished = (job: StoredObject) => {
  const conditions = (job.status?.conditions ?? []) as Condition[];
  if (conditions.some((c) => c.type === 'Complete' && c.status === 'True')) return 'Complete';
  if (conditions.some((c) => c.type === 'Failed' && c.status === 'True')) return 'Failed';
  return undefined;
};

/** The longest a CronJob waits before looking again: beyond what a timer can hold (24.8 days). */
const MAX_WAIT_MS = 6 * 3_600_000;

const createdAt = (job: StoredObject) => Date.parse(job.metadata.creationTimestamp ?? '') || 0;
/** Newest first: by creation, then by name (a later start's name is a later minute). */
const newestFirst = (a: StoredObject, b: StoredObject) =>
  createdAt(b) - createdAt(a) ||
  (b.metadata.name ?? '').localeCompare(a.metadata.name ?? '', 'en', { numeric: true });

export const cronJobController: Controller = {
  name: 'cronjob',
  keysFor(e) {
    if (e.typeKey === CRONJOBS)
      return e.type === 'DELETED'
        ? []
        : [objKey(CRONJOBS, e.object.metadata.namespace, e.object.metadata.name)];
    if (e.typeKey !== JOBS) return [];
    const owner = cronJobOwner(e.object);
    return owner ? [objKey(CRONJOBS, e.object.metadata.namespace, owner.name)] : [];
  },
  reconcile(key, { api }) {
    const type = typeOf(api, CRONJOBS);
    if (!type) return;
    const { namespace, name } = splitKey(key);
    const cronJob = api.find(type, namespace, name);
    if (!cronJob || cronJob.metadata.deletionTimestamp) return;
    const jobType = mustType(api, JOBS);
    const jobs = api.store
      .list(JOBS, namespace)
      .filter((j) => cronJobOwner(j)?.uid === cronJob.metadata.uid && !j.metadata.deletionTimestamp);
    const active = jobs.filter((j) => !finished(j));

    // History: the newest finished Jobs of each outcome are kept.
    const limits = {
      Complete: (cronJob.spec?.successfulJobsHistoryLimit as number | undefined) ?? 3,
      Failed: (cronJob.spec?.failedJobsHistoryLimit as number | undefined) ?? 1,
    };
    for (const outcome of ['Complete', 'Failed'] as const) {
      const done = jobs.filter((j) => finished(j) === outcome).sort(newestFirst);
      for (const old of done.slice(limits[outcome]))
        api.delete(jobType, namespace, old.metadata.name ?? '', { propagationPolicy: 'Background' });
    }
    const lastSuccess = jobs
      .filter((j) => finished(j) === 'Complete' && j.status?.completionTime)
      .map((j) => Date.parse(j.status!.completionTime as string))
      .reduce((a, b) => Math.max(a, b), Date.parse(cronJob.status?.lastSuccessfulTime ?? '') || 0);

    const now = Date.now();
    const schedule = cronJob.spec?.schedule as string;
    const tz = (cronJob.spec?.timeZone as string | undefined) ?? 'UTC';
    const last = cronJob.status?.lastScheduleTime as string | undefined;
    const from = Date.parse(last ?? cronJob.metadata.creationTimestamp ?? nowIso(now));
    let due: number | undefined;
    let following: number;
    try {
      due = latestRunBetween(schedule, from, now, tz);
      following = nextRun(schedule, Math.max(now, due ?? 0), tz);
    } catch (e) {
      emitEvent(
        api,
        cronJob,
        'UnparseableSchedule',
        `unparseable schedule: ${(e as Error).message}`,
        'cronjob-controller',
        'Warning',
      );
      return;
    }
    const suspended = cronJob.spec?.suspend === true;
    const policy = (cronJob.spec?.concurrencyPolicy as string | undefined) ?? 'Allow';
    let running = active;
    let scheduled = last;
    if (due !== undefined && !suspended && !(policy === 'Forbid' && active.length > 0)) {
      if (policy === 'Replace')
        for (const j of active)
          api.delete(jobType, namespace, j.metadata.name ?? '', { propagationPolicy: 'Background' });
      const template = (cronJob.spec?.jobTemplate ?? {}) as {
        metadata?: StoredObject['metadata'];
        spec?: unknown;
      };
      const jobName = `${name}-${Math.floor(due / 60_000)}`;
      const created = createIgnoringExists(api, jobType, namespace, {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {
          ...(template.metadata ?? {}),
          name: jobName,
          namespace,
          annotations: {
            ...(template.metadata?.annotations ?? {}),
            'batch.kubernetes.io/cronjob-scheduled-timestamp': nowIso(due),
          },
          ownerReferences: [ownerRef(cronJob)],
        },
        spec: template.spec,
      } as StoredObject);
      if (created)
        emitEvent(api, cronJob, 'SuccessfulCreate', `Created job ${jobName}`, 'cronjob-controller');
      running = policy === 'Replace' ? (created ? [created] : []) : created ? [...active, created] : active;
      scheduled = nowIso(due);
    }
    writeStatus(api, type, cronJob, {
      ...(running.length > 0
        ? {
            active: running.map((j) => ({
              apiVersion: 'batch/v1',
              kind: 'Job',
              name: j.metadata.name,
              namespace,
              uid: j.metadata.uid,
              resourceVersion: j.metadata.resourceVersion,
            })),
          }
        : {}),
      ...(scheduled ? { lastScheduleTime: scheduled } : {}),
      ...(lastSuccess > 0 ? { lastSuccessfulTime: nowIso(lastSuccess) } : {}),
    });
    // Jobs' events bring it back when they end; the clock brings the next start.
    return suspended ? undefined : { requeueAfterMs: Math.min(MAX_WAIT_MS, Math.max(1, following - now)) };
  },
};
