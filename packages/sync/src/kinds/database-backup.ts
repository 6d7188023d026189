import { type DatabaseBackupRow, type Db, databaseBackupsRepository } from '@uncloud/db';
import { cnpgBackupManifest, dumpJobManifest, namespaceName } from '@uncloud/kube';
import { baseBackupLocation } from '../backup-size/backup-info.ts';
import { statusOf } from './status.ts';
import { ADOPT, type KindReconciler, firstOf, waitingForNamespace } from './types.ts';

const ownerOf = (row: DatabaseBackupRow) => ({
  kind: 'databaseBackup' as const,
  id: row.id,
  projectId: row.projectId,
  name: row.name,
});

/** A backup's phase once it has ended, which no later observation changes. */
const ended = (phase: string | null) => phase === 'completed' || phase === 'failed';

const date = (value: string | undefined) => (value ? new Date(value) : null);

/** A database's backups that have not started: waiting, perhaps, for its settings to be applied. */
export const backupsNotStarted = (db: Db, databaseId: string) =>
  databaseBackupsRepository
    .ofDatabase(db, databaseId)
    .filter((b) => b.phase === null)
    .map((b) => b.id);

/**
 * A database backup. PostgreSQL: a CloudNativePG Backup, written by Uncloud (taken now) or made by
 * the database's ScheduledBackup and taken in (labelled, same name), kept as long as the backup is:
 * a restore by backup reads it. MySQL and Valkey: the Job that dumps and uploads, until it has
 * ended (the dump stays in the bucket; the Job is not run again).
 */
export const databaseBackupReconciler: KindReconciler<DatabaseBackupRow> = {
  kind: 'databaseBackup',
  ownedKinds: ['Backup', 'Job'],
  runtimeKinds: [],
  find: (db, id) => databaseBackupsRepository.byId(db, id),
  all: (db) => databaseBackupsRepository.all(db),
  namespaceOf: (row) => namespaceName(row.projectId),

  desired(lookup, row) {
    if (!lookup.namespaceReady(row.projectId)) return waitingForNamespace;
    const owner = ownerOf(row);
    const adopted = row.origin === 'scheduled' ? { annotations: { [ADOPT]: 'true' } } : {};
    if (row.engine === 'postgres') {
      // A backup asked for right after the settings changed waits until the Cluster has them: the
      // operator fails a Backup of a Cluster without its object store at once.
      const database = lookup.databaseRow(row.projectId, row.databaseId);
      if (row.phase === null && database && database.observedGeneration < database.generation)
        return { waitingFor: "the database's backup settings to be applied" };
      const backup = cnpgBackupManifest(owner, row.objectName, row.databaseId);
      return { objects: [{ ...backup, metadata: { ...backup.metadata, ...adopted } }] };
    }
    // A dump that has ended is in the bucket (or failed); its Job is not run again.
    if (ended(row.phase)) return { objects: [] };
    if (row.origin === 'scheduled') {
      // The CronJob's own Job: only labelled (its pod template is the CronJob's, and immutable).
      return {
        objects: [
          {
            apiVersion: 'batch/v1',
            kind: 'Job',
            metadata: {
              name: row.objectName,
              namespace: namespaceName(row.projectId),
              labels: cnpgBackupManifest(owner, row.objectName, row.databaseId).metadata.labels,
              ...adopted,
            },
          },
        ],
      };
    }
    const database = lookup.databaseRow(row.projectId, row.databaseId);
    const bucket = lookup.bucket(row.projectId, row.bucketId);
    if (!database || database.engine === 'postgres') return { waitingFor: 'the database to back up' };
    if (!bucket) return { waitingFor: 'the backup bucket to be bound' };
    return {
      objects: [
        dumpJobManifest(
          owner,
          row.objectName,
          { id: database.id, projectId: database.projectId, engine: database.engine, version: database.version },
          bucket,
          database.backupRetentionDays ?? 7,
        ),
      ],
    };
  },

  observe(row, objects) {
    if (row.engine === 'postgres') {
      const status = statusOf(firstOf(objects, 'Backup'), 'Backup');
      const phase = status.phase ?? null;
      return {
        state: phase === 'completed' ? 'active' : phase === 'failed' ? 'error' : 'provisioning',
        ...(phase === 'failed' ? { error: `the backup failed: ${status.error ?? 'no reason given'}` } : {}),
        values: {
          phase,
          startedAt: date(status.startedAt),
          stoppedAt: date(status.stoppedAt),
          beginWal: status.beginWal ?? null,
          endWal: status.endWal ?? null,
          error: status.error ?? null,
          // Kept on the row: once the Backup is deleted, its status no longer says where its files are.
          ...(baseBackupLocation(status) ? { dataLocation: baseBackupLocation(status)! } : {}),
        },
      };
    }
    const job = firstOf(objects, 'Job');
    if (!job) {
      // Ended before (its Job pruned): what was observed stays.
      if (ended(row.phase))
        return {
          state: row.phase === 'completed' ? 'active' : 'error',
          ...(row.phase === 'failed' ? { error: `the backup failed: ${row.error ?? 'no reason given'}` } : {}),
          values: {},
        };
      return { state: 'provisioning', values: {} };
    }
    const status = statusOf(job, 'Job');
    const conditions = status.conditions ?? [];
    const complete = conditions.some((c) => c.type === 'Complete' && c.status === 'True');
    const failed = conditions.find((c) => c.type === 'Failed' && c.status === 'True');
    const phase = complete ? 'completed' : failed ? 'failed' : status.startTime ? 'running' : 'pending';
    const error = failed ? (failed.message ?? failed.reason ?? 'the dump Job failed') : null;
    return {
      state: complete ? 'active' : failed ? 'error' : 'provisioning',
      ...(error ? { error: `the backup failed: ${error}` } : {}),
      values: {
        phase,
        startedAt: date(status.startTime),
        stoppedAt: date(status.completionTime),
        error,
      },
    };
  },

  record: (db, id, values) => databaseBackupsRepository.recordSync(db, id, values),
  remove: (db, id) => {
    // Its data leaves the bucket first (the backup objects worker, off the reconcile), then the row.
    const row = databaseBackupsRepository.byId(db, id);
    if (row && row.dataDeletedAt === null) return;
    databaseBackupsRepository.remove(db, id);
  },
  touch: (db, ids, at) => databaseBackupsRepository.touchObserved(db, ids, at),
};
