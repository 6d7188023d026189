// Database backups and restores through the API on the simulated cluster, whose CloudNativePG takes
// Backups, makes them on a ScheduledBackup's schedule and bootstraps Clusters by recovery, and whose
// PostgreSQL keeps rows on the primary's volume (packages/kube-sim, pg-archive.ts). Backup → delete
// the database → restore → the same rows, read from the new Cluster's own volume.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import { type KindName, type KubeObject, dumpKey, namespaceName, objectName } from '@uncloud/kube';
import type { Bucket, Database, DatabaseBackup, ProjectId, UncloudClient } from '@uncloud/sdk';
import { waitFor } from '@uncloud/testing';
import { failure } from './errors.ts';

let stack: Stack;
let c: UncloudClient;
let projectId: ProjectId;
let namespace: string;
let bucket: Bucket;
let viewer: UncloudClient;

const fast = { timeoutMs: 20_000, intervalMs: 50 };
const poll = { timeout: 20_000, interval: 50 };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = KubeObject & Record<string, any>;
const object = (kind: KindName, name: string) =>
  stack.kube!.get(kind, namespace, name) as Promise<Loose | null>;

beforeAll(async () => {
  stack = await startStack();
  c = stack.client;
  projectId = (await c.projects.create.mutate({ name: 'backups', description: '' })).id;
  // Room for the databases the suite makes and restores.
  await c.quotas.update.mutate({ projectId, databases: 20, vcpus: 40, memoryMiB: 65_536, volumeGiB: 2_000 });
  namespace = namespaceName(projectId);
  const created = await c.buckets.create.mutate({ projectId, name: 'db-backups' });
  bucket = await c.waitFor(c.buckets, { projectId, id: created.id }, 'active', fast);
  const { user, token } = await c.users.create.mutate({ name: 'backup-viewer' });
  await c.projects.addMember.mutate({ projectId, userId: user.id, role: 'viewer' });
  viewer = stack.clientWith(token.token);
}, 60_000);
afterAll(() => stack?.close());

const activeDatabase = async (name: string, engine: Database['engine'] = 'postgres') => {
  const db = await c.databases.create.mutate({ projectId, name, engine, size: 'db-s-1vcpu-1gb' });
  return c.waitFor(c.databases, { projectId, id: db.id }, 'active', fast);
};
const backUp = async (databaseId: Database['id']) => {
  const backup = await c.databaseBackups.create.mutate({ projectId, databaseId });
  return c.waitFor(c.databaseBackups, { projectId, id: backup.id }, 'active', fast);
};
const rows = (db: Database) => stack.sim!.postgres.read(namespace, objectName(db.id));
const write = (db: Database, key: string, value: string) =>
  stack.sim!.postgres.write(namespace, objectName(db.id), key, value);

describe('PostgreSQL backups', () => {
  it('backs up to the bucket, deletes the database, and restores the same data into a new one', async () => {
    const orders = await activeDatabase('orders');
    const configured = await c.databases.configureBackups.mutate({
      projectId,
      id: orders.id,
      bucketId: bucket.id,
      schedule: null,
      retentionDays: 14,
    });
    expect(configured.backups).toEqual({ bucketId: bucket.id, schedule: null, retentionDays: 14 });
    // The archive names the bucket's own Secret: no key is copied anywhere.
    const cluster = await waitFor(
      async () => {
        const x = await object('Cluster', objectName(orders.id));
        return x?.spec?.backup ? x : undefined;
      },
      { ...poll, message: 'the Cluster archiving to the bucket' },
    );
    expect(cluster.spec.backup).toMatchObject({
      barmanObjectStore: expect.objectContaining({
        destinationPath: `s3://${bucket.bucketName}/databases`,
        endpointURL: bucket.endpoint,
        serverName: objectName(orders.id),
        s3Credentials: {
          accessKeyId: { name: objectName(bucket.id), key: 'AWS_ACCESS_KEY_ID' },
          secretAccessKey: { name: objectName(bucket.id), key: 'AWS_SECRET_ACCESS_KEY' },
        },
      }),
      retentionPolicy: '14d',
    });
    await c.waitFor(c.databases, { projectId, id: orders.id }, (d) => d.syncState === 'synced', fast);

    write(orders, 'order-1', 'coffee');
    const taken = await backUp(orders.id);
    // Its size is read from the bucket once it completed: the simulated cluster's own S3 server holds
    // the backup.info CloudNativePG left, and the sync engine reads it there.
    const backup = await c.waitFor(
      c.databaseBackups,
      { projectId, id: taken.id },
      (b) => b.sizeNote !== 'unknown: not read from the bucket yet',
      fast,
    );
    expect(backup).toMatchObject({
      databaseId: orders.id,
      databaseName: 'orders',
      engine: 'postgres',
      bucketId: bucket.id,
      origin: 'manual',
      phase: 'completed',
      state: 'active',
      sizeBytes: expect.any(Number),
      sizeNote: null,
    });
    expect(backup.sizeBytes).toBeGreaterThan(0);
    for (const field of ['startedAt', 'stoppedAt', 'beginWal', 'endWal'] as const)
      expect(backup[field], field).toEqual(expect.any(String));
    const backupObject = (await object('Backup', objectName(backup.id)))!;
    expect(backupObject.spec).toEqual({
      cluster: { name: objectName(orders.id) },
      method: 'barmanObjectStore',
    });

    write(orders, 'order-2', 'tea');
    const recoverable = await c.waitFor(
      c.databases,
      { projectId, id: orders.id },
      (d) => d.recoverability?.firstPoint !== null && d.recoverability?.lastBackup !== null,
      fast,
    );
    // A moment after the last write, then one more write that a restore to that moment leaves out.
    await waitFor(() => Date.now() > Date.parse(recoverable.recoverability!.firstPoint!) + 1100);
    const between = new Date().toISOString();
    await waitFor(() => Date.now() > Date.parse(between) + 5);
    write(orders, 'order-3', 'cake');

    const pitr = await c.databases.restore.mutate({
      projectId,
      name: 'orders-pitr',
      databaseId: orders.id,
      targetTime: between,
    });
    expect(pitr).toMatchObject({
      engine: 'postgres',
      size: 'db-s-1vcpu-1gb',
      restoredFrom: { databaseId: orders.id, backupId: null, targetTime: between },
      backups: null,
    });
    const pitrCluster = (await waitFor(() => object('Cluster', objectName(pitr.id)), poll))!;
    expect(pitrCluster.spec.bootstrap.recovery).toMatchObject({
      source: 'origin',
      recoveryTarget: { targetTime: between },
    });
    expect(pitrCluster.spec.externalClusters[0].barmanObjectStore.serverName).toBe(objectName(orders.id));
    const pitrActive = await c.waitFor(c.databases, { projectId, id: pitr.id }, 'active', fast);
    expect(rows(pitrActive)).toEqual({ 'order-1': 'coffee', 'order-2': 'tea' });

    await c.databases.delete.mutate({ projectId, id: orders.id });
    await c.waitFor(c.databases, { projectId, id: orders.id }, 'gone', fast);
    expect(await object('Cluster', objectName(orders.id))).toBeNull();
    // The backup outlives its database.
    expect((await c.databaseBackups.get.query({ projectId, id: backup.id })).state).toBe('active');

    const restored = await c.databases.restore.mutate({
      projectId,
      name: 'orders-again',
      backupId: backup.id,
      size: 'db-s-1vcpu-1gb',
    });
    expect(restored.restoredFrom).toEqual({ databaseId: orders.id, backupId: backup.id, targetTime: null });
    const restoredCluster = (await waitFor(() => object('Cluster', objectName(restored.id)), poll))!;
    expect(restoredCluster.spec.bootstrap).toEqual({
      recovery: {
        database: 'app',
        owner: 'app',
        secret: { name: `${objectName(restored.id)}-credentials` },
        backup: { name: objectName(backup.id) },
        recoveryTarget: { targetImmediate: true },
      },
    });
    const active = await c.waitFor(c.databases, { projectId, id: restored.id }, 'active', fast);
    expect(rows(active)).toEqual({ 'order-1': 'coffee' });
    const credentials = await c.databases.credentials.query({ projectId, id: restored.id });
    expect(credentials.uri).toContain(`${objectName(restored.id)}-rw`);
  });

  it('takes the backups of its schedule in as backups of its own', async () => {
    const ledger = await activeDatabase('ledger');
    await c.databases.configureBackups.mutate({
      projectId,
      id: ledger.id,
      bucketId: bucket.id,
      schedule: '*/2 * * * * *',
      retentionDays: 7,
    });
    const scheduled = (await waitFor(() => object('ScheduledBackup', objectName(ledger.id)), poll))!;
    expect(scheduled.spec).toMatchObject({
      schedule: '*/2 * * * * *',
      cluster: { name: objectName(ledger.id) },
      backupOwnerReference: 'none',
    });
    const taken = await waitFor(
      async () => {
        const page = await c.databaseBackups.list.query({ projectId, databaseId: ledger.id });
        return page.items.find((b) => b.origin === 'scheduled' && b.state === 'active');
      },
      { ...poll, message: 'a scheduled backup, taken in and completed' },
    );
    expect(taken.name).toMatch(new RegExp(`^${objectName(ledger.id)}-\\d{14}$`));
    expect(taken.source).toMatchObject({
      name: 'ledger',
      engine: 'postgres',
      version: ledger.version,
      size: ledger.size,
    });
    // Labelled as Uncloud's, so the engine follows it and deletes it with the backup.
    const labelled = (await object('Backup', taken.name))!;
    expect(labelled.metadata.labels?.['uncloud.dev/resource-id']).toBe(taken.id);
    await c.databases.configureBackups.mutate({
      projectId,
      id: ledger.id,
      bucketId: bucket.id,
      schedule: null,
    });
    await waitFor(
      async () => ((await object('ScheduledBackup', objectName(ledger.id))) ? undefined : true),
      poll,
    );

    const dataDir = `databases/${objectName(ledger.id)}/base/${labelled.status.backupId}/`;
    expect(stack.sim!.objects.keys(bucket.bucketName!, dataDir)).toEqual([`${dataDir}backup.info`]);
    await c.databaseBackups.delete.mutate({ projectId, id: taken.id });
    await waitFor(async () => ((await object('Backup', taken.name)) ? undefined : true), poll);
    // Its data is removed from the bucket (the simulated cluster's own S3 server), then it goes.
    await c.waitFor(c.databaseBackups, { projectId, id: taken.id }, 'gone', fast);
    expect(stack.sim!.objects.keys(bucket.bucketName!, dataDir)).toEqual([]);
  });
});

describe("a backup's source", () => {
  it('is recorded with the backup, and a restore after the database is gone is made like it', async () => {
    const created = await c.databases.create.mutate({
      projectId,
      name: 'archive',
      engine: 'postgres',
      version: '15',
      size: 'db-s-2vcpu-4gb',
    });
    const archive = await c.waitFor(c.databases, { projectId, id: created.id }, 'active', fast);
    await c.databases.configureBackups.mutate({
      projectId,
      id: archive.id,
      bucketId: bucket.id,
      schedule: null,
    });
    await c.waitFor(c.databases, { projectId, id: archive.id }, (d) => d.syncState === 'synced', fast);
    const backup = await backUp(archive.id);
    const source = {
      name: 'archive',
      engine: 'postgres',
      version: '15',
      size: 'db-s-2vcpu-4gb',
      nodes: 1,
      storageGiB: null,
    };
    expect(backup.source).toEqual(source);
    expect(
      (await c.databaseBackups.list.query({ projectId, databaseId: archive.id })).items[0]!.source,
    ).toEqual(source);

    await c.databases.delete.mutate({ projectId, id: archive.id });
    await c.waitFor(c.databases, { projectId, id: archive.id }, 'gone', fast);

    const otherEngine = await failure(
      c.databases.restore.mutate({ projectId, name: 'archive-mysql', backupId: backup.id, engine: 'mysql' }),
    );
    expect(otherEngine.data).toMatchObject({ code: 'BAD_REQUEST', field: 'engine' });
    expect(otherEngine.message).toContain("must be postgres, the backed-up database's engine");
    const otherMajor = await failure(
      c.databases.restore.mutate({ projectId, name: 'archive-17', backupId: backup.id, version: '17' }),
    );
    expect(otherMajor.data).toMatchObject({ code: 'BAD_REQUEST', field: 'version' });
    expect(otherMajor.message).toContain("must be PostgreSQL 15, the backed-up database's major version");
    const pitrMajor = await failure(
      c.databases.restore.mutate({
        projectId,
        name: 'archive-pitr-17',
        databaseId: archive.id,
        targetTime: backup.stoppedAt!,
        version: '17',
      }),
    );
    expect(pitrMajor.data).toMatchObject({ code: 'BAD_REQUEST', field: 'version' });

    // No size, no version: the backup's own.
    const restored = await c.databases.restore.mutate({
      projectId,
      name: 'archive-again',
      backupId: backup.id,
    });
    expect(restored).toMatchObject({ engine: 'postgres', version: '15', size: 'db-s-2vcpu-4gb' });
    const cluster = (await waitFor(() => object('Cluster', objectName(restored.id)), poll))!;
    expect(cluster.spec.imageName).toMatch(/:15(\.|$)/);
  });
});

describe("a restore's servers", () => {
  it('runs as many as the backed-up database did, unless told otherwise, and never more than the engine can', async () => {
    const created = await c.databases.create.mutate({
      projectId,
      name: 'replicated',
      engine: 'postgres',
      size: 'db-s-1vcpu-1gb',
      nodes: 2,
    });
    const replicated = await c.waitFor(c.databases, { projectId, id: created.id }, 'active', fast);
    await c.databases.configureBackups.mutate({
      projectId,
      id: replicated.id,
      bucketId: bucket.id,
      schedule: null,
    });
    await c.waitFor(c.databases, { projectId, id: replicated.id }, (d) => d.syncState === 'synced', fast);
    const backup = await backUp(replicated.id);
    expect(backup.source?.nodes).toBe(2);

    const same = await c.databases.restore.mutate({
      projectId,
      name: 'replicated-again',
      backupId: backup.id,
    });
    expect(same.nodes).toBe(2);
    const cluster = (await waitFor(() => object('Cluster', objectName(same.id)), poll))!;
    expect(cluster.spec.instances).toBe(2);
    const single = await c.databases.restore.mutate({
      projectId,
      name: 'replicated-single',
      backupId: backup.id,
      nodes: 1,
    });
    expect(single.nodes).toBe(1);

    const mysql = await activeDatabase('single-mysql', 'mysql');
    await c.databases.configureBackups.mutate({
      projectId,
      id: mysql.id,
      bucketId: bucket.id,
      schedule: null,
    });
    await c.waitFor(c.databases, { projectId, id: mysql.id }, (d) => d.syncState === 'synced', fast);
    const dump = await backUp(mysql.id);
    const refused = await failure(
      c.databases.restore.mutate({ projectId, name: 'mysql-pair', backupId: dump.id, nodes: 2 }),
    );
    expect(refused.data).toMatchObject({ code: 'BAD_REQUEST', field: 'nodes' });
  });
});

describe('refusals', () => {
  it('refuses a backup before a bucket is chosen, and a point in time without backups or outside the window', async () => {
    const fresh = await activeDatabase('fresh');
    const unconfigured = await failure(c.databaseBackups.create.mutate({ projectId, databaseId: fresh.id }));
    expect(unconfigured.data).toMatchObject({ code: 'CONFLICT', field: 'databaseId' });
    expect(unconfigured.message).toContain('has no backup bucket');

    const none = await failure(
      c.databases.restore.mutate({
        projectId,
        name: 'nothing',
        databaseId: fresh.id,
        targetTime: new Date().toISOString(),
      }),
    );
    expect(none.data).toMatchObject({ code: 'CONFLICT', field: 'databaseId' });
    expect(none.message).toContain('has no completed backups yet');

    await c.databases.configureBackups.mutate({
      projectId,
      id: fresh.id,
      bucketId: bucket.id,
      schedule: null,
    });
    // At once, without waiting for the settings to be applied (the wait is database-backup.test.ts's).
    await backUp(fresh.id);
    const early = await failure(
      c.databases.restore.mutate({
        projectId,
        name: 'too-early',
        databaseId: fresh.id,
        targetTime: '2001-01-01T00:00:00Z',
      }),
    );
    expect(early.data).toMatchObject({ code: 'BAD_REQUEST', field: 'targetTime' });
    expect(early.message).toContain('within the recoverability window');
    const future = await failure(
      c.databases.restore.mutate({
        projectId,
        name: 'too-late',
        databaseId: fresh.id,
        targetTime: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    );
    expect(future.data).toMatchObject({ code: 'BAD_REQUEST', field: 'targetTime' });

    const both = await failure(
      c.databases.restore.mutate({
        projectId,
        name: 'both',
        databaseId: fresh.id,
        targetTime: '2001-01-01T00:00:00Z',
        backupId: 'dbb_00000000000000000000' as DatabaseBackup['id'],
      }),
    );
    expect(both.data).toMatchObject({ code: 'BAD_REQUEST', field: 'backupId' });
  });

  it('refuses a restore over the quota, naming the limit', async () => {
    const [backup] = (await c.databaseBackups.list.query({ projectId, state: 'active' })).items;
    const count = (await c.databases.list.query({ projectId })).total ?? 0;
    await c.quotas.update.mutate({ projectId, databases: count });
    const refused = await failure(
      c.databases.restore.mutate({
        projectId,
        name: 'one-too-many',
        backupId: backup!.id,
        size: 'db-s-1vcpu-1gb',
      }),
    );
    expect(refused.data).toMatchObject({ code: 'QUOTA_EXCEEDED', field: 'name' });
    expect(refused.message).toContain('limit "databases"');
    await c.quotas.update.mutate({ projectId, databases: count + 10 });
  });

  it('lets a viewer list backups but not back up, restore or delete', async () => {
    const [backup] = (await c.databaseBackups.list.query({ projectId, state: 'active' })).items;
    const listed = await viewer.databaseBackups.list.query({ projectId });
    expect(listed.items.map((b) => b.id)).toContain(backup!.id);
    const restore = await failure(
      viewer.databases.restore.mutate({ projectId, name: 'sneaky', backupId: backup!.id }),
    );
    expect(restore.data.code).toBe('FORBIDDEN');
    const take = await failure(
      viewer.databaseBackups.create.mutate({ projectId, databaseId: backup!.databaseId }),
    );
    expect(take.data.code).toBe('FORBIDDEN');
    const remove = await failure(viewer.databaseBackups.delete.mutate({ projectId, id: backup!.id }));
    expect(remove.data.code).toBe('FORBIDDEN');
    const configure = await failure(
      viewer.databases.configureBackups.mutate({ projectId, id: backup!.databaseId, bucketId: null }),
    );
    expect(configure.data.code).toBe('FORBIDDEN');
  });

  it('answers an outsider as for a backup that does not exist', async () => {
    const [backup] = (await c.databaseBackups.list.query({ projectId, state: 'active' })).items;
    const { token } = await c.users.create.mutate({ name: 'backup-outsider' });
    const outsider = stack.clientWith(token.token);
    const theirs = (await outsider.projects.create.mutate({ name: 'elsewhere' })).id;
    const refused = await failure(outsider.databaseBackups.get.query({ projectId: theirs, id: backup!.id }));
    expect(refused.data.code).toBe('NOT_FOUND');
    const restore = await failure(
      outsider.databases.restore.mutate({ projectId: theirs, name: 'stolen', backupId: backup!.id }),
    );
    expect(restore.data).toMatchObject({ code: 'NOT_FOUND', field: 'backupId' });
  });
});

describe('MySQL and Valkey backups', () => {
  // The simulated MySQL and Valkey keep rows (keys) on their StatefulSet's volume; the dump Jobs copy
  // them into the bucket (the simulated store: no real S3 server here), restore Jobs load them back.
  const server = (engine: 'mysql' | 'valkey') => stack.sim![engine];
  const dumpOf = (engine: 'mysql' | 'valkey', databaseId: Database['id'], jobName: string) => {
    const text = stack.sim!.objects.get(bucket.bucketName!, dumpKey(databaseId, engine, jobName));
    return text === undefined ? undefined : (JSON.parse(text) as { rows: Record<string, string> }).rows;
  };
  const cronJobOf = (db: Database) => `${objectName(db.id)}-backup`;
  /** As if the CronJob last ran minutes ago: its next start is due now. */
  const dueNow = (db: Database) => {
    const api = stack.sim!.api;
    const cronJob = api.store.get('batch/cronjobs', namespace, cronJobOf(db))!;
    const at = new Date(Date.now() - 5 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    api.update(
      api.registry.get('batch/cronjobs')!,
      namespace,
      cronJobOf(db),
      {
        ...cronJob,
        status: { ...cronJob.status, lastScheduleTime: at },
      },
      { subresource: 'status' },
    );
  };

  it.each([
    ['mysql', 'shop', { 'order-1': 'coffee', 'order-2': 'tea' }],
    ['valkey', 'cache', { 'session:1': 'alice', 'session:2': 'bob' }],
  ] as const)(
    '%s: rows written, backed up on demand and by the CronJob, deleted, restored with the same rows',
    async (engine, name, rows) => {
      const source = await activeDatabase(name, engine);
      await c.databases.configureBackups.mutate({
        projectId,
        id: source.id,
        bucketId: bucket.id,
        // Every minute (CloudNativePG's six fields; the CronJob's five drop the seconds).
        schedule: '0 */1 * * * *',
        retentionDays: 3,
      });
      const cron = (await waitFor(() => object('CronJob', cronJobOf(source)), poll))!;
      expect(cron.spec.schedule).toBe('*/1 * * * *');
      const pod = cron.spec.jobTemplate.spec.template.spec;
      expect(pod.initContainers[0].command.join(' ')).toContain(
        engine === 'mysql' ? 'mysqldump' : 'valkey-cli',
      );
      expect(pod.containers[0].env).toEqual(
        expect.arrayContaining([
          {
            name: 'AWS_ACCESS_KEY_ID',
            valueFrom: { secretKeyRef: { name: objectName(bucket.id), key: 'AWS_ACCESS_KEY_ID' } },
          },
        ]),
      );
      expect(pod.containers[0].command.join(' ')).toContain('- 3 * 86400');
      for (const [key, value] of Object.entries(rows))
        server(engine).write(namespace, objectName(source.id), key, value);

      // On demand: a Job that dumps the rows into the bucket.
      const backup = await backUp(source.id);
      expect(backup).toMatchObject({ engine, phase: 'completed', origin: 'manual' });
      expect(dumpOf(engine, source.id, objectName(backup.id))).toEqual(rows);

      // On the schedule: the CronJob's Job, taken in as a backup of its own.
      dueNow(source);
      const scheduled = await waitFor(
        async () => {
          const page = await c.databaseBackups.list.query({ projectId, databaseId: source.id });
          return page.items.find((b) => b.origin === 'scheduled' && b.state === 'active');
        },
        { ...poll, message: 'a backup made by the CronJob, taken in and completed' },
      );
      expect(scheduled.name).toMatch(new RegExp(`^${cronJobOf(source)}-\\d+$`));
      expect(dumpOf(engine, source.id, scheduled.name)).toEqual(rows);
      const cronStatus = (await object('CronJob', cronJobOf(source)))!.status;
      expect(cronStatus.lastScheduleTime).toEqual(expect.any(String));

      await c.databases.delete.mutate({ projectId, id: source.id });
      await c.waitFor(c.databases, { projectId, id: source.id }, 'gone', fast);

      // The restore Job is held while the new server runs: the database waits for it.
      const restored = await c.databases.restore.mutate({
        projectId,
        name: `${name}-again`,
        backupId: backup.id,
        size: 'db-s-1vcpu-1gb',
      });
      const jobName = `${objectName(restored.id)}-restore`;
      stack.sim!.holdObject({ resource: 'batch/jobs', namespace, name: jobName });
      const loading = await c.waitFor(
        c.databases,
        { projectId, id: restored.id },
        (d) => d.readyNodes === 1,
        fast,
      );
      expect(loading).toMatchObject({
        state: 'provisioning',
        connection: null,
        note: `loading the backup ${backup.id} (restore job running)`,
      });
      expect(server(engine).read(namespace, objectName(restored.id))).toEqual({});
      const job = (await object('Job', jobName))!;
      expect(JSON.stringify(job.spec.template.spec)).toContain(
        `databases/${objectName(source.id)}/${objectName(backup.id)}/${engine === 'mysql' ? 'dump.sql.gz' : 'dump.rdb'}`,
      );
      stack.sim!.releaseObject({ resource: 'batch/jobs', namespace, name: jobName });

      const active = await c.waitFor(c.databases, { projectId, id: restored.id }, 'active', fast);
      expect(active.note).toBeNull();
      // Loaded: the Job is let go. Deleted (by hand, or pruned), it is not made again to load the
      // dump over the data.
      const deletedAt = Date.now();
      await stack.kube!.delete({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: jobName, namespace },
      });
      await c.waitFor(
        c.databases,
        { projectId, id: restored.id },
        (d) => d.observedAt !== null && Date.parse(d.observedAt) > deletedAt,
        fast,
      );
      expect(await object('Job', jobName)).toBeNull();
      expect(server(engine).read(namespace, objectName(restored.id))).toEqual(rows);
      expect(active.connection?.host).toBe(`${objectName(restored.id)}.${namespace}.svc`);
      expect(server(engine).read(namespace, objectName(restored.id))).toEqual(rows);
    },
    60_000,
  );

  it("counts the restore Job's pod in the quota a restore is checked against", async () => {
    const source = await activeDatabase('tight', 'mysql');
    await c.databases.configureBackups.mutate({
      projectId,
      id: source.id,
      bucketId: bucket.id,
      schedule: null,
    });
    await c.waitFor(c.databases, { projectId, id: source.id }, (d) => d.syncState === 'synced', fast);
    const backup = await backUp(source.id);
    const before = await c.quotas.get.query({ projectId });
    // Room for the new server (1 GiB), not for the restore Job's pod (128 MiB) beside it.
    await c.quotas.update.mutate({ projectId, memoryMiB: Math.ceil(before.usage.memoryMiB) + 1024 + 64 });
    const refused = await failure(
      c.databases.restore.mutate({ projectId, name: 'tight-again', backupId: backup.id }),
    );
    expect(refused.data).toMatchObject({ code: 'QUOTA_EXCEEDED', field: 'size' });
    await c.quotas.update.mutate({ projectId, memoryMiB: Math.ceil(before.usage.memoryMiB) + 1024 + 128 });
    const restored = await c.databases.restore.mutate({
      projectId,
      name: 'tight-again',
      backupId: backup.id,
    });
    await c.waitFor(c.databases, { projectId, id: restored.id }, 'active', fast);
    await c.quotas.update.mutate({ projectId, memoryMiB: before.memoryMiB });
  });

  it('puts a restore whose dump is gone from the bucket in error, never active', async () => {
    const source = await activeDatabase('lost', 'valkey');
    await c.databases.configureBackups.mutate({
      projectId,
      id: source.id,
      bucketId: bucket.id,
      schedule: null,
    });
    await c.waitFor(c.databases, { projectId, id: source.id }, (d) => d.syncState === 'synced', fast);
    server('valkey').write(namespace, objectName(source.id), 'k', 'v');
    const backup = await backUp(source.id);
    stack.sim!.objects.delete(bucket.bucketName!, dumpKey(source.id, 'valkey', objectName(backup.id)));

    const restored = await c.databases.restore.mutate({ projectId, name: 'lost-again', backupId: backup.id });
    const failed = await c.waitFor(
      c.databases,
      { projectId, id: restored.id },
      (d) => d.state === 'error' || d.state === 'active',
      fast,
    );
    expect(failed).toMatchObject({
      state: 'error',
      connection: null,
      note: null,
      syncError: `the backup ${backup.id} could not be loaded: its dump is not in the bucket (deleted, or the backup never completed)`,
    });
  });
});
