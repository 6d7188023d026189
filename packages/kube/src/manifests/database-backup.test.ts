import { describe, expect, it } from 'vitest';
import {
  barmanObjectStore,
  cnpgBackupManifest,
  cnpgRecoveryBootstrap,
  dumpCronJobManifest,
  dumpJobManifest,
  dumpKey,
  restoreJobManifest,
  scheduledBackupManifest,
  uploadScript,
  withBackupAndRestore,
} from './database-backup.ts';
import { DatabaseId, ProjectId } from '@uncloud/sdk';
import { cnpgClusterManifest, statefulSetManifest } from './database.ts';

const bucket = { id: 'bkt_aaaaaaaaaaaaaaaaaaaa', bucketName: 'bkt-aaaaaaaaaaaaaaaaaaaa', endpoint: 'http://rgw:80' };
const db = {
  id: DatabaseId.parse('db_bbbbbbbbbbbbbbbbbbbb'),
  projectId: ProjectId.parse('proj_cccccccccccccccccccc'),
  name: 'orders',
  engine: 'postgres' as const,
  version: '16',
  size: 'db-s-1vcpu-1gb' as const,
  nodes: 1,
  storageGiB: 10,
};
const owner = { kind: 'database' as const, id: db.id, projectId: db.projectId, name: db.name };
const settings = { bucket, schedule: '0 0 3 * * *', retentionDays: 7 };

describe('PostgreSQL backup manifests', () => {
  it("archives to the bucket with the bucket's own Secret, by reference", () => {
    expect(barmanObjectStore(bucket, db.id)).toEqual({
      destinationPath: 's3://bkt-aaaaaaaaaaaaaaaaaaaa/databases',
      endpointURL: 'http://rgw:80',
      serverName: 'db-bbbbbbbbbbbbbbbbbbbb',
      s3Credentials: {
        accessKeyId: { name: 'bkt-aaaaaaaaaaaaaaaaaaaa', key: 'AWS_ACCESS_KEY_ID' },
        secretAccessKey: { name: 'bkt-aaaaaaaaaaaaaaaaaaaa', key: 'AWS_SECRET_ACCESS_KEY' },
      },
      wal: { compression: 'gzip' },
      data: { compression: 'gzip' },
    });
  });

  it('adds the backup section and retention to the Cluster, and keeps initdb when not restoring', () => {
    const cluster = withBackupAndRestore(cnpgClusterManifest(db), db.id, { backup: settings });
    const spec = cluster.spec as Record<string, unknown>;
    expect(spec.backup).toMatchObject({ retentionPolicy: '7d', barmanObjectStore: { serverName: 'db-bbbbbbbbbbbbbbbbbbbb' } });
    expect(spec.bootstrap).toEqual((cnpgClusterManifest(db).spec as Record<string, unknown>).bootstrap);
  });

  it('bootstraps a restored Cluster from a Backup object, stopping where the backup ends', () => {
    const cluster = withBackupAndRestore(cnpgClusterManifest(db), db.id, {
      recovery: { kind: 'backup', backupName: 'dbb-x' },
    });
    expect((cluster.spec as Record<string, unknown>).bootstrap).toEqual({
      recovery: {
        database: 'app',
        owner: 'app',
        secret: { name: 'db-bbbbbbbbbbbbbbbbbbbb-credentials' },
        backup: { name: 'dbb-x' },
        recoveryTarget: { targetImmediate: true },
      },
    });
  });

  it('bootstraps a point-in-time restore from the source database archive', () => {
    const source = 'db_dddddddddddddddddddd';
    expect(
      cnpgRecoveryBootstrap(
        { kind: 'pointInTime', bucket, sourceDatabaseId: source, targetTime: '2026-12-02T10:00:00.000Z' },
        db.id,
      ),
    ).toEqual({
      bootstrap: {
        recovery: {
          database: 'app',
          owner: 'app',
          secret: { name: 'db-bbbbbbbbbbbbbbbbbbbb-credentials' },
          source: 'origin',
          recoveryTarget: { targetTime: '2026-12-02T10:00:00.000Z' },
        },
      },
      externalClusters: [{ name: 'origin', barmanObjectStore: barmanObjectStore(bucket, source) }],
    });
  });

  it('schedules backups that outlive the database (no owner reference)', () => {
    expect(scheduledBackupManifest(owner, '0 0 3 * * *').spec).toEqual({
      schedule: '0 0 3 * * *',
      cluster: { name: 'db-bbbbbbbbbbbbbbbbbbbb' },
      method: 'barmanObjectStore',
      backupOwnerReference: 'none',
      immediate: false,
    });
    expect(cnpgBackupManifest(owner, 'dbb-x', db.id).spec).toEqual({
      cluster: { name: 'db-bbbbbbbbbbbbbbbbbbbb' },
      method: 'barmanObjectStore',
    });
  });
});

describe('MySQL and Valkey backup manifests', () => {
  const mysql = { id: db.id, projectId: db.projectId, engine: 'mysql' as const, version: '8.4' };

  it('runs the schedule as a CronJob of five fields, whose Jobs are labelled for the engine to take in', () => {
    const cron = dumpCronJobManifest(owner, mysql, settings);
    expect(cron.spec!.schedule).toBe('0 3 * * *');
    expect(cron.spec!.jobTemplate.metadata!.labels).toEqual({ 'uncloud.dev/backup-of': db.id });
    // The Jobs carry none of the database's ownership labels, which would have them pruned as its own.
    expect(cron.spec!.jobTemplate.metadata!.labels!['uncloud.dev/resource-id']).toBeUndefined();
  });

  it("dumps with the engine's client and uploads with the S3 client, keys by reference", () => {
    const job = dumpJobManifest(owner, 'dbb-x', mysql, bucket, 7);
    const pod = job.spec!.template.spec!;
    expect(pod.initContainers![0]!.command!.join(' ')).toContain('mysqldump');
    expect(pod.initContainers![0]!.image).toBe('mysql:8.4');
    expect(pod.containers[0]!.image).toMatch(/^amazon\/aws-cli:/);
    expect(pod.containers[0]!.env).toContainEqual({
      name: 'AWS_SECRET_ACCESS_KEY',
      valueFrom: { secretKeyRef: { name: 'bkt-aaaaaaaaaaaaaaaaaaaa', key: 'AWS_SECRET_ACCESS_KEY' } },
    });
    const valkey = dumpJobManifest(owner, 'dbb-x', { ...mysql, engine: 'valkey', version: '8' }, bucket, 7);
    expect(valkey.spec!.template.spec!.initContainers![0]!.command!.join(' ')).toContain('--rdb /backup/dump.rdb');
  });

  it('uploads under the Job name and prunes dumps older than the retention', () => {
    const script = uploadScript(mysql, 5);
    expect(script).toContain('s3://$S3_BUCKET/databases/db-bbbbbbbbbbbbbbbbbbbb/$NAME/dump.sql.gz');
    expect(script).toContain('5 * 86400');
    expect(dumpKey(db.id, 'mysql', 'dbb-x')).toBe('databases/db-bbbbbbbbbbbbbbbbbbbb/dbb-x/dump.sql.gz');
  });

  it('restores MySQL and Valkey with a Job that loads the dump once the server answers', () => {
    const source = { bucket, sourceDatabaseId: 'db_dddddddddddddddddddd', backupName: 'dbb-x' };
    const job = restoreJobManifest(owner, mysql, source);
    const pod = job.spec!.template.spec!;
    expect(pod.initContainers![0]!.command!.join(' ')).toContain('databases/db-dddddddddddddddddddd/dbb-x/dump.sql.gz');
    expect(pod.containers[0]!.command!.join(' ')).toMatch(/mysqladmin .* ping[\s\S]*gunzip -c \/restore\/dump.sql.gz \| mysql /);
    // A dump missing from the bucket fails the Job at once: retrying cannot make it appear.
    expect(job.spec!.podFailurePolicy!.rules[0]).toEqual({
      action: 'FailJob',
      onExitCodes: { containerName: 'download', operator: 'In', values: [3] },
    });
    expect(pod.initContainers![0]!.command!.join(' ')).toContain('exit 3');
    const valkey = restoreJobManifest(owner, { ...mysql, engine: 'valkey', version: '8' }, source);
    const load = valkey.spec!.template.spec!.containers[0]!;
    expect(load.image).toBe('valkey/valkey:8');
    expect(load.command!.join(' ')).toContain('--dbfilename dump.rdb');
    expect(load.command!.join(' ')).toContain('MIGRATE db-bbbbbbbbbbbbbbbbbbbb.');
    expect(load.command!.join(' ')).toContain('COPY REPLACE AUTH "$PASSWORD"');
    // The StatefulSets are left as they are.
    const sts = statefulSetManifest({ ...db, engine: 'valkey', version: '8' });
    expect(withBackupAndRestore(sts, db.id, {})).toBe(sts);
  });
});
