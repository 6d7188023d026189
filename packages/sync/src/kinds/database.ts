import { randomBytes } from 'node:crypto';
import { type DatabaseRow, backupSourceOf, databaseBackupsRepository, databasesRepository, newId } from '@uncloud/db';
import {
  BACKUP_OF,
  type BackupSettings,
  DATABASE_NAME,
  RESOURCE_ID,
  dumpCronJobManifest,
  restoreJobManifest,
  restoreJobName,
  scheduledBackupManifest,
  withBackupAndRestore,
  DATABASE_USER,
  type KubeObject,
  credentialsSecretName,
  databaseManifests,
  metadata,
  nextPasswordSecretName,
  passwordResetJobManifest,
  namespaceName,
  objectName,
} from '@uncloud/kube';
import { databaseEngines, databaseStorageGiB, runningDatabaseNodes } from '@uncloud/sdk';
import { latestFailedCreate, refusalSentence } from './refusal.ts';
import { statusOf } from './status.ts';
import type { IntentLookup } from './lookup.ts';
import { CREATE_ONLY, REVISION, waitingForNamespace, type KindReconciler, firstOf } from './types.ts';

const endpointOf = (row: DatabaseRow) => {
  const namespace = namespaceName(row.projectId);
  const port = databaseEngines.find((e) => e.engine === row.engine)!.defaultPort;
  const host =
    row.engine === 'postgres'
      ? `${objectName(row.id)}-rw.${namespace}.svc`
      : `${objectName(row.id)}.${namespace}.svc`;
  return { host, port };
};

const dateOf = (value: string | undefined) => (value ? new Date(value) : null);

/** A new password: 24 random bytes in base64url, which needs no escaping in a URL, SQL or a shell. */
export const newPassword = () => randomBytes(24).toString('base64url');

/**
 * The password, made by us for every engine: created once and never re-applied (so the password
 * stays) until its revision is older than the one intent wants. Shaped like CloudNativePG's own
 * `-app` Secret, and labelled for CloudNativePG to reload the role's password when it changes.
 */
export const credentialsSecret = (
  row: DatabaseRow,
  { revision, password = newPassword() }: { revision: number; password?: string },
): KubeObject => {
  const { host, port } = endpointOf(row);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: metadata(
      { kind: 'database', id: row.id, projectId: row.projectId, name: row.name },
      credentialsSecretName(row),
      {
        labels: { 'cnpg.io/reload': 'true' },
        annotations: { [CREATE_ONLY]: 'true', [REVISION]: String(revision) },
      },
    ),
    type: 'kubernetes.io/basic-auth',
    stringData: { username: DATABASE_USER, password, host, port: String(port), dbname: DATABASE_NAME },
  };
};

const intentOf = (row: DatabaseRow) => ({
  id: row.id,
  projectId: row.projectId,
  name: row.name,
  engine: row.engine,
  version: row.version,
  size: row.size,
  nodes: row.nodes,
  storageGiB: databaseStorageGiB(row),
});

/** The password a pending reset sets: created once per revision, kept until the reset is done. */
const nextPasswordSecret = (row: DatabaseRow, revision: number): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: metadata(
    { kind: 'database', id: row.id, projectId: row.projectId, name: row.name },
    nextPasswordSecretName(row, revision),
    { annotations: { [CREATE_ONLY]: 'true', [REVISION]: String(revision) } },
  ),
  type: 'Opaque',
  stringData: { password: newPassword() },
});

/**
 * Objects whose FailedCreate warnings tell that a database's pods or claims were refused: the
 * StatefulSet (MySQL, Valkey), or CloudNativePG's Cluster and the Job it bootstraps the first
 * instance with.
 */
const failureSources = (row: DatabaseRow) => {
  const name = objectName(row.id);
  if (row.engine === 'postgres') return [name, `${name}-1-initdb`];
  // A restored one's restore Job: its pod may be refused too.
  return row.restoreFrom ? [name, restoreJobName(row.id)] : [name];
};

const ownerOf = (row: DatabaseRow) => ({
  kind: 'database' as const,
  id: row.id,
  projectId: row.projectId,
  name: row.name,
});

/** The database's backup settings, once its bucket is bound (until then it is not backed up). */
const backupSettingsOf = (lookup: IntentLookup, row: DatabaseRow): BackupSettings | undefined => {
  const bucket = row.backupBucketId ? lookup.bucket(row.projectId, row.backupBucketId) : undefined;
  return bucket
    ? { bucket, schedule: row.backupSchedule, retentionDays: row.backupRetentionDays ?? 7 }
    : undefined;
};

/**
 * What backups and a restore add to a database: the archive and the schedule (a ScheduledBackup,
 * or a CronJob), and where a restored one's data comes from.
 */
const backupAndRestoreOf = (lookup: IntentLookup, row: DatabaseRow) => {
  const backup = backupSettingsOf(lookup, row);
  const owner = ownerOf(row);
  const objects: KubeObject[] = [];
  const { schedule } = backup ?? {};
  if (backup && schedule)
    objects.push(
      row.engine === 'postgres'
        ? scheduledBackupManifest(owner, schedule)
        : dumpCronJobManifest(
            owner,
            { id: row.id, projectId: row.projectId, engine: row.engine, version: row.version },
            { ...backup, schedule },
          ),
    );
  const from = row.restoreFrom;
  if (!from) return { objects, ...(backup ? { backup } : {}) };
  const bucket = lookup.bucket(row.projectId, from.bucketId);
  if (row.engine === 'postgres') {
    if (from.backupName)
      return { objects, ...(backup ? { backup } : {}), recovery: { kind: 'backup' as const, backupName: from.backupName } };
    if (!bucket || !from.targetTime) return { waitingFor: 'the bucket the backups are in' };
    const recovery = {
      kind: 'pointInTime' as const,
      bucket,
      sourceDatabaseId: from.databaseId,
      targetTime: from.targetTime,
    };
    return { objects, ...(backup ? { backup } : {}), recovery };
  }
  // Loaded: the data is the database's own now. The Job is not kept (the bucket may go) nor made
  // again (it would load the dump over the data).
  if (row.restoreLoadedAt) return { objects, ...(backup ? { backup } : {}) };
  if (!bucket || !from.backupName) return { waitingFor: 'the bucket the backup is in' };
  const dump = { bucket, sourceDatabaseId: from.databaseId, backupName: from.backupName };
  objects.push(
    restoreJobManifest(owner, { id: row.id, projectId: row.projectId, engine: row.engine, version: row.version }, dump),
  );
  return { objects, ...(backup ? { backup } : {}) };
};

const notConnectable = {
  connectionHost: null,
  connectionPort: null,
  connectionDatabase: null,
  connectionUser: null,
};

type JobCondition = { type: string; status: string; reason?: string; message?: string };

/** The words of a failed restore Job's condition: a dump missing from the bucket said plainly. */
const restoreFailure = (condition: JobCondition) => {
  if (condition.reason === 'PodFailurePolicy' && /Container download .*exit code 3\b/.test(condition.message ?? ''))
    return 'its dump is not in the bucket (deleted, or the backup never completed)';
  if (condition.reason === 'BackoffLimitExceeded')
    return `the restore Job failed every attempt (${condition.message ?? 'backoff limit reached'})`;
  return condition.message ?? condition.reason ?? 'the restore Job failed';
};

/**
 * Where a restored MySQL or Valkey database's data stands: its restore Job still `loading` (not
 * there yet, or running), `failed` with the reason, or `loaded`; `none` when it is not restored
 * from a dump (PostgreSQL recovers inside its Cluster, which is not ready before).
 */
export const restoreOf = (
  row: DatabaseRow,
  objects: KubeObject[],
):
  | { state: 'none' }
  | { state: 'loaded'; at?: Date }
  | { state: 'loading'; started: boolean }
  | { state: 'failed'; reason: string } => {
  if (row.engine === 'postgres' || !row.restoreFrom) return { state: 'none' };
  if (row.restoreLoadedAt) return { state: 'loaded' };
  const job = objects.find((o) => o.kind === 'Job' && o.metadata.name === restoreJobName(row.id));
  const status = statusOf(job, 'Job');
  const conditions = (status.conditions ?? []) as JobCondition[];
  const failed = conditions.find((c) => c.type === 'Failed' && c.status === 'True');
  if (failed) return { state: 'failed', reason: restoreFailure(failed) };
  if (conditions.some((c) => c.type === 'Complete' && c.status === 'True'))
    return { state: 'loaded', at: dateOf(status.completionTime) ?? new Date() };
  // Started: a pod of it ran or runs (the Job controller could create one).
  const started = (status.active ?? 0) + (status.succeeded ?? 0) + (status.failed ?? 0) > 0;
  return { state: 'loading', started };
};

/** PostgreSQL is a CloudNativePG Cluster; other engines a StatefulSet, Service and credentials Secret. */
export const databaseReconciler: KindReconciler<DatabaseRow> = {
  kind: 'database',
  ownedKinds: ['Cluster', 'StatefulSet', 'Service', 'Secret', 'Job', 'ScheduledBackup', 'CronJob'],
  runtimeKinds: [],
  find: (db, id) => databasesRepository.byId(db, id),
  all: (db) => databasesRepository.all(db),
  namespaceOf: (row) => namespaceName(row.projectId),

  desired(lookup, row) {
    if (!lookup.namespaceReady(row.projectId)) return waitingForNamespace;
    const extras = backupAndRestoreOf(lookup, row);
    if ('waitingFor' in extras) return extras;
    const objects = [
      ...databaseManifests(intentOf(row)).map((o) => withBackupAndRestore(o, row.id, extras)),
      ...extras.objects,
    ];
    if (row.engine === 'postgres') {
      // CloudNativePG sets the role's password from the Secret whenever it changes: a reset
      // replaces the Secret at once, and the action waits for the operator to apply it.
      return { objects: [...objects, credentialsSecret(row, { revision: row.passwordRevision })] };
    }
    // MySQL and Valkey read the Secret only when they start: the Secret keeps the password the
    // server accepts, and a pending reset is a Job that sets the next one (from a Secret of its
    // own); the action copies it into the credentials Secret once the Job has succeeded.
    // Created once (revision 1); a reset's new password is written by the action itself once the
    // server took it, so the engine never writes a password here that the server does not have.
    const credentials = credentialsSecret(row, { revision: 1 });
    const pending = row.passwordRevision > row.activePasswordRevision;
    const intent = { ...intentOf(row), engine: row.engine };
    return {
      objects: [
        ...objects,
        credentials,
        ...(pending
          ? [
              nextPasswordSecret(row, row.passwordRevision),
              passwordResetJobManifest(intent, row.passwordRevision),
            ]
          : []),
      ],
    };
  },

  observe(row, objects) {
    const restore = restoreOf(row, objects);
    if (restore.state === 'failed') {
      const backup = row.restoreFrom?.backupId ?? row.restoreFrom?.backupName;
      const error = `the backup ${backup} could not be loaded: ${restore.reason}`;
      return { state: 'error', error, values: notConnectable };
    }
    // A restore Job with no pod, whose controller says it could not create one (a quota).
    const restoreRefused = restore.state === 'loading' && !restore.started
      ? latestFailedCreate(objects, [restoreJobName(row.id)])
      : undefined;
    if (restoreRefused)
      return { state: 'error', error: refusalSentence('database', restoreRefused), values: notConnectable };
    // PostgreSQL runs as a CloudNativePG Cluster, which names its primary; other engines as a
    // StatefulSet whose first pod is the primary.
    const cluster = row.engine === 'postgres' ? firstOf(objects, 'Cluster') : undefined;
    const workload = row.engine === 'postgres' ? cluster : firstOf(objects, 'StatefulSet');
    const ready = cluster
      ? statusOf(cluster, 'Cluster').readyInstances
      : statusOf(workload, 'StatefulSet').readyReplicas;
    // Healthy once the nodes it runs are ready: a MySQL or Valkey row stored with more nodes runs one.
    const wanted = runningDatabaseNodes(row.engine, row.nodes);
    const serving = workload !== undefined && (ready ?? 0) >= wanted;
    // A restored MySQL or Valkey holds its data once its restore Job has loaded the dump: until
    // then it is not given out to clients.
    const healthy = serving && restore.state !== 'loading';
    // Fewer pods than wanted and a controller that says it could not create one: refused (a quota).
    const running = cluster
      ? (statusOf(cluster, 'Cluster').instances ?? 0)
      : (statusOf(workload, 'StatefulSet').replicas ?? 0);
    const failure =
      !healthy && running < wanted ? latestFailedCreate(objects, failureSources(row)) : undefined;
    const error = failure ? refusalSentence('database', failure) : undefined;
    const { host, port } = endpointOf(row);
    return {
      ...(error ? { error } : {}),
      state: error ? 'error' : healthy ? 'active' : 'provisioning',
      values: {
        // Seen loaded for the first time: recorded, so the Job is let go.
        ...(restore.state === 'loaded' && restore.at ? { restoreLoadedAt: restore.at } : {}),
        readyNodes: workload ? (ready ?? 0) : null,
        primaryInstance: cluster
          ? (statusOf(cluster, 'Cluster').currentPrimary ?? null)
          : row.engine === 'postgres'
            ? null
            : healthy
              ? `${objectName(row.id)}-0`
              : null,
        connectionHost: healthy ? host : null,
        connectionPort: healthy ? port : null,
        connectionDatabase: healthy ? DATABASE_NAME : null,
        connectionUser: healthy ? DATABASE_USER : null,
        // The point-in-time window, while backups are set up.
        ...(cluster && row.backupBucketId
          ? {
              firstRecoverabilityPoint: dateOf(statusOf(cluster, 'Cluster').firstRecoverabilityPoint),
              lastSuccessfulBackup: dateOf(statusOf(cluster, 'Cluster').lastSuccessfulBackup),
            }
          : {}),
      },
    };
  },

  failuresAbout: (row) => (row.state === 'active' ? [] : failureSources(row)),

  // The backups its schedule took (a ScheduledBackup's Backups, a CronJob's Jobs) become backups.
  adopts: (row) =>
    row.backupBucketId && row.backupSchedule
      ? row.engine === 'postgres'
        ? { kind: 'Backup', labelSelector: `cnpg.io/scheduled-backup=${objectName(row.id)},!${RESOURCE_ID}` }
        : { kind: 'Job', labelSelector: `${BACKUP_OF}=${row.id},!${RESOURCE_ID}` }
      : undefined,
  take(db, row, objects) {
    const known = new Set(databaseBackupsRepository.ofDatabase(db, row.id).map((b) => b.objectName));
    const taken = [];
    for (const object of objects) {
      const name = object.metadata.name;
      if (known.has(name) || !row.backupBucketId) continue;
      const id = newId('databaseBackup');
      databaseBackupsRepository.insert(db, {
        id,
        projectId: row.projectId,
        name,
        databaseId: row.id,
        databaseName: row.name,
        engine: row.engine,
        bucketId: row.backupBucketId,
        origin: 'scheduled',
        objectName: name,
        source: backupSourceOf(row),
      });
      taken.push({ kind: 'databaseBackup' as const, id, projectId: row.projectId });
    }
    return taken;
  },

  record: (db, id, values) => databasesRepository.recordSync(db, id, values),
  remove: (db, id) => void databasesRepository.remove(db, id),
  touch: (db, ids, at) => databasesRepository.touchObserved(db, ids, at),
};
