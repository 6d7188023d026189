import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@uncloud/kube';
import { BucketId } from '@uncloud/sdk';
import { databaseBackupReconciler } from './database-backup.ts';
import { databaseReconciler } from './database.ts';
import { backupBucket, databaseBackupRow, databaseRow, fakeLookup, ids, settings } from '../test-support/rows.ts';

const bucket = backupBucket;
const bucketId = BucketId.parse(bucket.id);
const backupRow = databaseBackupRow;
const objectsOf = (desired: ReturnType<typeof databaseBackupReconciler.desired>) =>
  'objects' in desired ? desired.objects : [];

describe('database backup desired', () => {
  it('is a CloudNativePG Backup of the database Cluster, named after the backup', () => {
    const [backup] = objectsOf(databaseBackupReconciler.desired(fakeLookup(), backupRow(), settings));
    expect(backup).toMatchObject({
      kind: 'Backup',
      metadata: { name: 'dbb-jjjjjjjjjjjjjjjjjjjj', labels: { 'uncloud.dev/kind': 'databaseBackup' } },
      spec: { cluster: { name: 'db-eeeeeeeeeeeeeeeeeeee' }, method: 'barmanObjectStore' },
    });
  });

  it('waits until the database has applied its backup settings before asking for a Backup', () => {
    const applying = databaseRow({ backupBucketId: bucketId, generation: 3, observedGeneration: 2 });
    const lookup = fakeLookup({ databaseRows: { [ids.database]: applying } });
    expect(databaseBackupReconciler.desired(lookup, backupRow(), settings)).toEqual({
      waitingFor: "the database's backup settings to be applied",
    });
    // A backup already running is never taken back.
    expect(objectsOf(databaseBackupReconciler.desired(lookup, backupRow({ phase: 'running' }), settings))).toHaveLength(1);
  });

  it("takes a schedule's Backup over by its name", () => {
    const [backup] = objectsOf(
      databaseBackupReconciler.desired(
        fakeLookup(),
        backupRow({ origin: 'scheduled', objectName: 'db-eeeeeeeeeeeeeeeeeeee-20250101000000' }),
        settings,
      ),
    );
    expect(backup!.metadata).toMatchObject({
      name: 'db-eeeeeeeeeeeeeeeeeeee-20250101000000',
      annotations: { 'uncloud.dev/adopt': 'true' },
    });
  });

  it('is a dump Job for MySQL until it has ended, then nothing (the dump is in the bucket)', () => {
    const mysql = databaseRow({ engine: 'mysql', version: '8.4', backupBucketId: bucketId, backupRetentionDays: 3 });
    const lookup = fakeLookup({ buckets: { [bucketId]: bucket }, databaseRows: { [ids.database]: mysql } });
    const [job] = objectsOf(databaseBackupReconciler.desired(lookup, backupRow({ engine: 'mysql' }), settings));
    expect(job).toMatchObject({ kind: 'Job', metadata: { name: 'dbb-jjjjjjjjjjjjjjjjjjjj' } });
    expect(
      databaseBackupReconciler.desired(lookup, backupRow({ engine: 'mysql', phase: 'completed' }), settings),
    ).toEqual({ objects: [] });
  });
});

describe('database backup observe', () => {
  const backup = (status: Record<string, unknown>): KubeObject => ({
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Backup',
    metadata: { name: 'dbb-jjjjjjjjjjjjjjjjjjjj' },
    status,
  });

  it('is active once CloudNativePG reports it completed, with its times and WAL', () => {
    const seen = databaseBackupReconciler.observe(backupRow(), [
      backup({
        phase: 'completed',
        startedAt: '2025-01-01T00:00:01Z',
        stoppedAt: '2025-01-01T00:00:09Z',
        beginWal: '000000010000000000000002',
        endWal: '000000010000000000000003',
      }),
    ]);
    expect(seen).toEqual({
      state: 'active',
      values: {
        phase: 'completed',
        startedAt: new Date('2025-01-01T00:00:01Z'),
        stoppedAt: new Date('2025-01-01T00:00:09Z'),
        beginWal: '000000010000000000000002',
        endWal: '000000010000000000000003',
        error: null,
      },
    });
  });

  it("keeps where Barman wrote the base backup, for deleting its data once the Backup is gone", () => {
    const seen = databaseBackupReconciler.observe(backupRow(), [
      backup({
        phase: 'completed',
        destinationPath: 's3://bkt-a/databases',
        serverName: 'db-bbbbbbbbbbbbbbbbbbbb',
        backupId: '20261202T171500',
      }),
    ]);
    expect(seen.values.dataLocation).toBe('s3://bkt-a/databases/db-bbbbbbbbbbbbbbbbbbbb/base/20261202T171500/');
    expect(databaseBackupReconciler.observe(backupRow(), [backup({ phase: 'running' })]).values).not.toHaveProperty(
      'dataLocation',
    );
  });

  it("is in error with the operator's words when it failed", () => {
    const seen = databaseBackupReconciler.observe(backupRow(), [
      backup({ phase: 'failed', error: 'no barmanObjectStore section defined on the target cluster' }),
    ]);
    expect(seen.state).toBe('error');
    expect(seen.error).toBe('the backup failed: no barmanObjectStore section defined on the target cluster');
  });

  it('reads a dump Job: running, then completed', () => {
    const job = (status: Record<string, unknown>): KubeObject => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'dbb-jjjjjjjjjjjjjjjjjjjj' },
      status,
    });
    const row = backupRow({ engine: 'mysql' });
    expect(databaseBackupReconciler.observe(row, [job({ startTime: '2025-01-01T00:00:01Z' })]).values.phase).toBe(
      'running',
    );
    const done = databaseBackupReconciler.observe(row, [
      job({
        startTime: '2025-01-01T00:00:01Z',
        completionTime: '2025-01-01T00:00:05Z',
        conditions: [{ type: 'Complete', status: 'True' }],
      }),
    ]);
    expect(done).toMatchObject({ state: 'active', values: { phase: 'completed', stoppedAt: new Date('2025-01-01T00:00:05Z') } });
  });
});

describe('a database with backups', () => {
  const configured = databaseRow({ backupBucketId: bucketId, backupSchedule: '0 0 3 * * *', backupRetentionDays: 7 });

  it('archives to its bucket and schedules backups, once the bucket is bound', () => {
    const waiting = objectsOf(databaseReconciler.desired(fakeLookup(), configured, settings));
    expect(waiting.map((o) => o.kind)).not.toContain('ScheduledBackup');
    const objects = objectsOf(databaseReconciler.desired(fakeLookup({ buckets: { [bucketId]: bucket } }), configured, settings));
    expect(objects.find((o) => o.kind === 'ScheduledBackup')).toMatchObject({ spec: { schedule: '0 0 3 * * *' } });
    expect(objects.find((o) => o.kind === 'Cluster')!.spec).toMatchObject({ backup: { retentionPolicy: '7d' } });
  });

  it('lists the backups of its schedule that Uncloud has not labelled yet', () => {
    expect(databaseReconciler.adopts!(configured)).toEqual({
      kind: 'Backup',
      labelSelector: 'cnpg.io/scheduled-backup=db-eeeeeeeeeeeeeeeeeeee,!uncloud.dev/resource-id',
    });
    expect(databaseReconciler.adopts!(databaseRow())).toBeUndefined();
    expect(databaseReconciler.adopts!({ ...configured, engine: 'valkey' })).toEqual({
      kind: 'Job',
      labelSelector: `uncloud.dev/backup-of=${ids.database},!uncloud.dev/resource-id`,
    });
  });

  it('reports the recoverability window CloudNativePG writes', () => {
    const cluster: KubeObject = {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name: 'db-eeeeeeeeeeeeeeeeeeee' },
      status: {
        readyInstances: 1,
        firstRecoverabilityPoint: '2025-01-01T00:00:00Z',
        lastSuccessfulBackup: '2025-01-02T00:00:00Z',
      },
    };
    expect(databaseReconciler.observe(configured, [cluster]).values).toMatchObject({
      firstRecoverabilityPoint: new Date('2025-01-01T00:00:00Z'),
      lastSuccessfulBackup: new Date('2025-01-02T00:00:00Z'),
    });
  });
});
