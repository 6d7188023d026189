// Uncloud's MySQL and Valkey backups on the simulated cluster: the CronJob controller makes Jobs on
// the schedule, a dump Job copies the server's rows into the bucket, a restore Job loads them into a
// new server, and a missing dump or an unreachable server fails the Job as the job controller does
// (pod failure policy, backoff limit). The objects are Uncloud's own manifests (packages/kube).
import {
  type KubeObject,
  dumpCronJobManifest,
  dumpJobManifest,
  dumpKey,
  namespaceName,
  objectName,
  restoreJobManifest,
  statefulSetManifests,
} from '@uncloud/kube';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cronJobController } from '../src/controllers/cronjob.ts';
import { objKey } from '../src/controllers/manager.ts';
import type { StoredObject } from '../src/types.ts';
import { startSim, waitFor, type TestCluster } from './helpers.ts';

let t: TestCluster;
const projectId = 'proj_aaaaaaaaaaaaaaaaaaaa';
const ns = namespaceName(projectId);
const bucket = { id: 'bkt_bbbbbbbbbbbbbbbbbbbb', bucketName: 'backups-1', endpoint: 'http://rgw.example:80' };
const owner = (id: string, kind: 'database' | 'databaseBackup' = 'database') => ({
  kind,
  id,
  projectId,
  name: id,
});

beforeAll(async () => {
  t = await startSim({ controllerDelayMs: 2 });
  await t.core.createNamespace({ body: { metadata: { name: ns } } });
  await t.core.createNamespacedSecret({
    namespace: ns,
    body: {
      metadata: { name: objectName(bucket.id) },
      stringData: { AWS_ACCESS_KEY_ID: 'AK', AWS_SECRET_ACCESS_KEY: 'SK' },
    },
  });
});
afterAll(() => t?.stop());

const apply = async (object: KubeObject) => {
  await t.objects.create(object as never);
};
const job = (name: string) => t.sim.api.store.get('batch/jobs', ns, name);
const ended = (name: string) =>
  waitFor(
    () => {
      const j = job(name);
      const conditions = (j?.status?.conditions ?? []) as { type: string; status: string }[];
      return conditions.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')
        ? j
        : undefined;
    },
    { message: `Job ${name} ended` },
  );
const conditionOf = (j: StoredObject | undefined, type: string) =>
  (
    (j?.status?.conditions ?? []) as { type: string; status: string; reason?: string; message?: string }[]
  ).find((c) => c.type === type);

/** A MySQL or Valkey server as Uncloud writes it, running, with its credentials. */
const server = async (id: string, engine: 'mysql' | 'valkey') => {
  const db = {
    id,
    projectId,
    name: id,
    engine,
    version: engine === 'mysql' ? '8.4' : '8',
    size: 'db-s-1vcpu-1gb',
    nodes: 1,
    storageGiB: 10,
  } as const;
  await t.core.createNamespacedSecret({
    namespace: ns,
    body: { metadata: { name: `${objectName(id)}-credentials` }, stringData: { password: 'pw' } },
  });
  for (const o of statefulSetManifests(db as unknown as Parameters<typeof statefulSetManifests>[0]))
    await apply(o);
  await waitFor(
    () => {
      try {
        return t.sim[engine].read(ns, objectName(id));
      } catch {
        return undefined;
      }
    },
    { message: `${engine} ${id} running` },
  );
  return { id, projectId, engine, version: db.version };
};

describe('MySQL and Valkey dumps and restores', () => {
  it.each(['mysql', 'valkey'] as const)(
    'dumps the rows of %s into the bucket and restores them into a new server',
    async (engine) => {
      const source = await server(
        engine === 'mysql' ? 'db_cccccccccccccccccccc' : 'db_dddddddddddddddddddd',
        engine,
      );
      t.sim[engine].write(ns, objectName(source.id), 'order-1', 'coffee');
      t.sim[engine].write(ns, objectName(source.id), 'order-2', 'tea');
      const backupName = `dbb-${engine}`;
      await apply(dumpJobManifest(owner(`dbb_${engine}`, 'databaseBackup'), backupName, source, bucket, 7));
      expect(conditionOf(await ended(backupName), 'Complete')?.status).toBe('True');
      // A write after the dump is not in it.
      t.sim[engine].write(ns, objectName(source.id), 'order-3', 'cake');
      const key = dumpKey(source.id, engine, backupName);
      expect(t.sim.objects.keys(bucket.bucketName, `databases/${objectName(source.id)}/`)).toEqual([key]);
      expect(JSON.parse(t.sim.objects.get(bucket.bucketName, key)!).rows).toEqual({
        'order-1': 'coffee',
        'order-2': 'tea',
      });

      const target = await server(
        engine === 'mysql' ? 'db_eeeeeeeeeeeeeeeeeeee' : 'db_ffffffffffffffffffff',
        engine,
      );
      const restore = restoreJobManifest(owner(target.id), target, {
        bucket,
        sourceDatabaseId: source.id,
        backupName,
      });
      await apply(restore);
      expect(conditionOf(await ended(restore.metadata.name), 'Complete')?.status).toBe('True');
      expect(t.sim[engine].read(ns, objectName(target.id))).toEqual({
        'order-1': 'coffee',
        'order-2': 'tea',
      });
    },
  );

  it('fails a restore at once when its dump is not in the bucket, through the pod failure policy', async () => {
    const target = await server('db_gggggggggggggggggggg', 'mysql');
    const restore = restoreJobManifest(owner(target.id), target, {
      bucket,
      sourceDatabaseId: 'db_hhhhhhhhhhhhhhhhhhhh',
      backupName: 'dbb-never',
    });
    await apply(restore);
    const failed = await ended(restore.metadata.name);
    expect(conditionOf(failed, 'Failed')).toMatchObject({
      status: 'True',
      reason: 'PodFailurePolicy',
      message: expect.stringMatching(
        new RegExp(
          `^Container download for pod ${ns}/${restore.metadata.name}-\\w+ failed with exit code 3 matching FailJob rule at index 0$`,
        ),
      ),
    });
    expect(conditionOf(failed, 'FailureTarget')?.status).toBe('True');
    expect(failed!.status!.failed).toBe(1);
    const pods = t.sim.api.store
      .list('/pods', ns)
      .filter((p) => p.metadata.labels?.['job-name'] === restore.metadata.name);
    expect(pods.map((p) => p.status?.phase)).toEqual(['Failed']);
    expect(pods[0]!.status!.initContainerStatuses[0].state.terminated).toMatchObject({
      exitCode: 3,
      message: `the dump s3://${bucket.bucketName}/databases/db-hhhhhhhhhhhhhhhhhhhh/dbb-never/dump.sql.gz is not in the bucket`,
    });
    expect(t.sim.mysql.read(ns, objectName(target.id))).toEqual({});
  });

  it('retries a dump of a server that does not run until the backoff limit, then fails it', async () => {
    const gone = { id: 'db_iiiiiiiiiiiiiiiiiiii', projectId, engine: 'mysql' as const, version: '8.4' };
    const dump = dumpJobManifest(owner('dbb_gone', 'databaseBackup'), 'dbb-gone', gone, bucket, 7);
    await apply(dump);
    const failed = await ended('dbb-gone');
    expect(conditionOf(failed, 'Failed')).toMatchObject({
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    });
    // backoffLimit 2: three pods failed.
    expect(failed!.status!.failed).toBe(3);
  });
});

describe('a Job whose pod the quota refuses', () => {
  it('reports it as the job controller does, and runs the pod once there is room', async () => {
    const quotaNs = 'job-quota';
    await t.core.createNamespace({ body: { metadata: { name: quotaNs } } });
    await t.core.createNamespacedResourceQuota({
      namespace: quotaNs,
      body: { metadata: { name: 'q' }, spec: { hard: { 'requests.cpu': '10m' } } },
    });
    const container = {
      name: 'run',
      image: 'busybox:1.36',
      resources: { requests: { cpu: '100m' }, limits: { cpu: '100m' } },
    };
    await t.objects.create({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'big', namespace: quotaNs },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [container] } } },
    } as never);
    const warning = await waitFor(() =>
      t.sim.api.store
        .list('/events', quotaNs)
        .find(
          (e) =>
            e.reason === 'FailedCreate' &&
            (e.involvedObject as { name?: string } | undefined)?.name === 'big',
        ),
    );
    expect(warning.type).toBe('Warning');
    expect(warning.message).toMatch(/^Error creating: .*exceeded quota: q/);
    await t.core.replaceNamespacedResourceQuota({
      name: 'q',
      namespace: quotaNs,
      body: { metadata: { name: 'q' }, spec: { hard: { 'requests.cpu': '1' } } },
    });
    await waitFor(
      () => {
        const conditions = (t.sim.api.store.get('batch/jobs', quotaNs, 'big')?.status?.conditions ?? []) as {
          type: string;
        }[];
        return conditions.some((c) => c.type === 'Complete') ? true : undefined;
      },
      { message: 'the Job completed once the quota had room' },
    );
  });
});

describe('the CronJob controller', () => {
  /** A CronJob of a Valkey database's dumps; its server runs only when the test needs its Jobs to complete. */
  const cronJob = async (id: string, patch: Record<string, unknown> = {}, running = true) => {
    const source = running
      ? await server(id, 'valkey')
      : { id, projectId, engine: 'valkey' as const, version: '8' };
    const manifest = dumpCronJobManifest(owner(id), source, {
      bucket,
      schedule: '0 * * * * *',
      retentionDays: 7,
    });
    await apply({ ...manifest, spec: { ...manifest.spec, ...patch } });
    return { source, name: manifest.metadata.name };
  };
  /** As if the CronJob last ran some minutes ago: its next start is due now. */
  const lastRanMinutesAgo = (name: string, minutes: number) => {
    const type = t.sim.api.registry.get('batch/cronjobs')!;
    const cj = t.sim.api.store.get('batch/cronjobs', ns, name)!;
    const at = new Date(Date.now() - minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    t.sim.api.update(
      type,
      ns,
      name,
      { ...cj, status: { ...cj.status, lastScheduleTime: at } },
      { subresource: 'status' },
    );
  };
  const jobsOf = (name: string) =>
    t.sim.api.store
      .list('batch/jobs', ns)
      .filter((j) => j.metadata.ownerReferences?.some((r) => r.kind === 'CronJob' && r.name === name));

  it('creates a Job when the schedule fires, owned by it and labelled from its template, and records the times', async () => {
    const { source, name } = await cronJob('db_jjjjjjjjjjjjjjjjjjjj');
    t.sim.valkey.write(ns, objectName(source.id), 'session', 'abc');
    expect(jobsOf(name)).toEqual([]);
    lastRanMinutesAgo(name, 5);
    const cj = await waitFor(
      () => {
        const c = t.sim.api.store.get('batch/cronjobs', ns, name);
        return c?.status?.lastSuccessfulTime ? c : undefined;
      },
      { message: 'a scheduled Job completed' },
    );
    const [made] = jobsOf(name);
    // Named after the minute it was scheduled for (the latest missed start), as the controller names them.
    const minute = Math.floor(Date.parse(cj.status!.lastScheduleTime as string) / 60_000);
    expect(made!.metadata.name).toBe(`${name}-${minute}`);
    expect(Date.now() - minute * 60_000).toBeLessThan(60_000 + 5_000);
    expect(made!.metadata.labels?.['uncloud.dev/backup-of']).toBe(source.id);
    expect(made!.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', name, controller: true });
    expect(cj.status?.active).toBeUndefined();
    const key = dumpKey(source.id, 'valkey', made!.metadata.name!);
    expect(JSON.parse(t.sim.objects.get(bucket.bucketName, key)!).rows).toEqual({ session: 'abc' });
  });

  it('makes nothing while suspended, and keeps only the newest finished Jobs of its history', async () => {
    const { name } = await cronJob('db_kkkkkkkkkkkkkkkkkkkk', {
      suspend: true,
      successfulJobsHistoryLimit: 1,
    });
    lastRanMinutesAgo(name, 5);
    const cj = t.sim.api.store.get('batch/cronjobs', ns, name)!;
    // Two Jobs of its own (as two earlier starts made them), one after the other.
    for (const minute of [1, 2]) {
      const template = cj.spec!.jobTemplate as { metadata: StoredObject['metadata']; spec: unknown };
      await apply({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {
          ...template.metadata,
          name: `${name}-${minute}`,
          namespace: ns,
          ownerReferences: [
            {
              apiVersion: 'batch/v1',
              kind: 'CronJob',
              name,
              uid: cj.metadata.uid!,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: template.spec,
      } as KubeObject);
      await ended(`${name}-${minute}`);
    }
    await waitFor(() => (jobsOf(name).length === 1 ? true : undefined), { message: 'the older Job deleted' });
    // The newest is kept; the due start was not made while suspended.
    expect(jobsOf(name).map((j) => j.metadata.name)).toEqual([`${name}-2`]);
    expect(t.sim.api.store.get('batch/cronjobs', ns, name)!.status?.lastSuccessfulTime).toEqual(
      expect.any(String),
    );
  });

  it('looks again within hours for a schedule months away, which no timer can hold', async () => {
    const { name } = await cronJob('db_mmmmmmmmmmmmmmmmmmmm', { schedule: '0 0 29 2 *' }, false);
    const result = cronJobController.reconcile(objKey('batch/cronjobs', ns, name), {
      api: t.sim.api,
      isHeld: () => false,
      nodeName: 'node',
      nodeIp: '10.0.0.1',
      caPem: '',
      stepMs: 2,
    });
    expect(result).toEqual({ requeueAfterMs: 6 * 3_600_000 });
  });

  it('skips a start while a Job is active under concurrencyPolicy Forbid', async () => {
    const { name } = await cronJob('db_llllllllllllllllllll', {}, false);
    // The Job of the start now due (this minute's, or the next if the minute turns) stays running:
    // the job controller leaves a held Job be.
    const minute = Math.floor(Date.now() / 60_000);
    for (const m of [minute, minute + 1])
      t.sim.holdObject({ resource: 'batch/jobs', namespace: ns, name: `${name}-${m}` });
    lastRanMinutesAgo(name, 5);
    await waitFor(() => (jobsOf(name).length === 1 ? true : undefined));
    const [running] = jobsOf(name);
    lastRanMinutesAgo(name, 3);
    const cj = await waitFor(() => {
      const c = t.sim.api.store.get('batch/cronjobs', ns, name);
      return (c?.status?.active as unknown[] | undefined)?.length === 1 ? c : undefined;
    });
    expect((cj.status!.active as { name: string }[])[0]!.name).toBe(running!.metadata.name);
    expect(jobsOf(name)).toHaveLength(1);
  });
});
