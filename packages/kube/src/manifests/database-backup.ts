/**
 * Database backups and restores, as pure manifests.
 *
 * PostgreSQL: CloudNativePG's in-tree Barman object store (`spec.backup.barmanObjectStore`), a
 * `ScheduledBackup` for the schedule and a `Backup` per backup taken now. The provisioner pins
 * CloudNativePG 1.28, where the in-tree store still works (deprecated since 1.26 in favour of the
 * Barman Cloud plugin, which needs cert-manager and a component of its own); see docs/databases.md.
 * Restores are new Clusters bootstrapped with `recovery`: from a Backup object by name, or from the
 * object store (`externalClusters`) to a point in time.
 *
 * MySQL and Valkey: a dump (`mysqldump`, `valkey-cli --rdb`) that an S3 client uploads, in a Job
 * (now) or a CronJob (the schedule); a restore loads the dump into a new database.
 *
 * Credentials are never copied: every object names the bucket's own Secret (the ObjectBucketClaim's,
 * `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`), which lives in the same namespace.
 */
import type { V1Container, V1CronJob, V1Job } from '@kubernetes/client-node';
import { DATABASE_NAME, DATABASE_USER, credentialsSecretName } from './database.ts';
import { type KubeObject, type Owner, metadata, namespaceName, objectName } from './meta.ts';

/** Where a database's backups go: a bound bucket of its project. */
export interface BackupBucket {
  id: string;
  /** The S3 bucket name and endpoint the object store bound the claim to. */
  bucketName: string;
  endpoint: string;
}

export interface BackupSettings {
  bucket: BackupBucket;
  /** Six fields, seconds first (CloudNativePG's form); null: backups are taken only on demand. */
  schedule: string | null;
  retentionDays: number;
}

/** The prefix inside the bucket under which every database keeps its backups (one folder each). */
export const BACKUP_PREFIX = 'databases';

/** The folder of one database's backups: named after the database, so it outlives it. */
export const backupServerName = (databaseId: string) => objectName(databaseId);

/** The S3 client image the MySQL and Valkey backup and restore pods upload and download with. */
export const S3_CLIENT_IMAGE = 'amazon/aws-cli:2.22.35';

/** What backup and restore pods ask of the quota. */
export const BACKUP_JOB_REQUESTS = { cpu: '100m', memory: '128Mi' };

/** The label MySQL and Valkey backup Jobs carry (the CronJob's included), naming their database. */
export const BACKUP_OF = 'uncloud.dev/backup-of';

const bucketKey = (bucket: BackupBucket, key: 'AWS_ACCESS_KEY_ID' | 'AWS_SECRET_ACCESS_KEY') => ({
  name: objectName(bucket.id),
  key,
});

/** CloudNativePG's Barman object store for a database's backups in a bucket. */
export const barmanObjectStore = (bucket: BackupBucket, databaseId: string) => ({
  destinationPath: `s3://${bucket.bucketName}/${BACKUP_PREFIX}`,
  endpointURL: bucket.endpoint,
  serverName: backupServerName(databaseId),
  s3Credentials: {
    accessKeyId: bucketKey(bucket, 'AWS_ACCESS_KEY_ID'),
    secretAccessKey: bucketKey(bucket, 'AWS_SECRET_ACCESS_KEY'),
  },
  wal: { compression: 'gzip' },
  data: { compression: 'gzip' },
});

/** The Cluster's `spec.backup`: WAL archived continuously, base backups kept `retentionDays`. */
export const cnpgBackupSpec = (settings: BackupSettings, databaseId: string) => ({
  barmanObjectStore: barmanObjectStore(settings.bucket, databaseId),
  retentionPolicy: `${settings.retentionDays}d`,
});

/**
 * The schedule. Its Backups are not owned by it (`backupOwnerReference: none`): they must outlive
 * the database, which is what they are restored from after it is deleted.
 */
export const scheduledBackupManifest = (owner: Owner, schedule: string): KubeObject => ({
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'ScheduledBackup',
  metadata: metadata(owner, objectName(owner.id)),
  spec: {
    schedule,
    cluster: { name: objectName(owner.id) },
    method: 'barmanObjectStore',
    backupOwnerReference: 'none',
    immediate: false,
  },
});

/** A CloudNativePG Backup, written by Uncloud (now) or taken in from the schedule (same name). */
export const cnpgBackupManifest = (owner: Owner, name: string, databaseId: string): KubeObject => ({
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Backup',
  metadata: metadata(owner, name),
  spec: { cluster: { name: objectName(databaseId) }, method: 'barmanObjectStore' },
});

/** Where a restored PostgreSQL database comes from. */
export type PostgresRecovery =
  | { kind: 'backup'; backupName: string }
  | { kind: 'pointInTime'; bucket: BackupBucket; sourceDatabaseId: string; targetTime: string };

export const RECOVERY_SOURCE = 'origin';

/**
 * `spec.bootstrap` and `spec.externalClusters` of a Cluster restored from a backup: the app
 * database and owner are kept, and the owner's password comes from the new database's Secret.
 */
export const cnpgRecoveryBootstrap = (recovery: PostgresRecovery, databaseId: string) => {
  const secret = { name: credentialsSecretName({ id: databaseId }) };
  const common = { database: DATABASE_NAME, owner: DATABASE_USER, secret };
  // A backup restores as it was taken: recovery stops at its end instead of replaying the WAL after it.
  if (recovery.kind === 'backup')
    return {
      bootstrap: {
        recovery: { ...common, backup: { name: recovery.backupName }, recoveryTarget: { targetImmediate: true } },
      },
    };
  return {
    bootstrap: {
      recovery: {
        ...common,
        source: RECOVERY_SOURCE,
        recoveryTarget: { targetTime: recovery.targetTime },
      },
    },
    externalClusters: [
      {
        name: RECOVERY_SOURCE,
        barmanObjectStore: barmanObjectStore(recovery.bucket, recovery.sourceDatabaseId),
      },
    ],
  };
};

// ---- MySQL and Valkey ----

type StatefulEngine = 'mysql' | 'valkey';

export interface DumpTarget {
  id: string;
  projectId: string;
  engine: StatefulEngine;
  version: string;
}

const engineImage = (engine: StatefulEngine, version: string) =>
  engine === 'mysql' ? `mysql:${version}` : `valkey/valkey:${version}`;

const dumpFile = (engine: StatefulEngine) => (engine === 'mysql' ? 'dump.sql.gz' : 'dump.rdb');

/** The object key of one dump: the database's folder and the backup's (or Job's) name. */
export const dumpKey = (databaseId: string, engine: StatefulEngine, name: string) =>
  `${BACKUP_PREFIX}/${backupServerName(databaseId)}/${name}/${dumpFile(engine)}`;

const s3Env = (bucket: BackupBucket) => [
  { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: bucketKey(bucket, 'AWS_ACCESS_KEY_ID') } },
  { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: bucketKey(bucket, 'AWS_SECRET_ACCESS_KEY') } },
  { name: 'AWS_DEFAULT_REGION', value: 'us-east-1' },
  { name: 'S3_ENDPOINT', value: bucket.endpoint },
  { name: 'S3_BUCKET', value: bucket.bucketName },
];

const hostOf = (db: DumpTarget) => `${objectName(db.id)}.${namespaceName(db.projectId)}.svc`;

/** The shell that writes the dump to /backup (the engine's own client, in the engine's image). */
export const dumpScript = (db: DumpTarget): string =>
  db.engine === 'mysql'
    ? `mysqldump --protocol=TCP -h ${hostOf(db)} -u root -p"$PASSWORD" --single-transaction --routines --databases ${DATABASE_NAME} | gzip > /backup/${dumpFile('mysql')}`
    : `valkey-cli -h ${hostOf(db)} -a "$PASSWORD" --no-auth-warning --rdb /backup/${dumpFile('valkey')}`;

/**
 * The shell that uploads the dump under `$NAME` (the Job's name), then deletes this database's
 * dumps older than the retention.
 */
export const uploadScript = (db: DumpTarget, retentionDays: number): string => {
  const folder = `${BACKUP_PREFIX}/${backupServerName(db.id)}/`;
  return [
    'set -e',
    `aws --endpoint-url "$S3_ENDPOINT" s3 cp /backup/${dumpFile(db.engine)} "s3://$S3_BUCKET/${folder}$NAME/${dumpFile(db.engine)}"`,
    `cutoff=$(date -u -d "@$(( $(date +%s) - ${retentionDays} * 86400 ))" +%Y-%m-%dT%H:%M:%S)`,
    `aws --endpoint-url "$S3_ENDPOINT" s3api list-objects-v2 --bucket "$S3_BUCKET" --prefix "${folder}" --query "Contents[?LastModified<='$cutoff'].Key" --output text | tr '\\t' '\\n' | grep -v '^None$' | while read -r key; do [ -n "$key" ] && aws --endpoint-url "$S3_ENDPOINT" s3 rm "s3://$S3_BUCKET/$key"; done`,
  ].join('\n');
};

const password = (db: { id: string }) => ({
  name: 'PASSWORD',
  valueFrom: { secretKeyRef: { name: credentialsSecretName(db), key: 'password' } },
});

const resources = { requests: BACKUP_JOB_REQUESTS, limits: BACKUP_JOB_REQUESTS };

/** The pod of a dump: the engine's client writes it, then the S3 client uploads it. */
const dumpPodSpec = (db: DumpTarget, bucket: BackupBucket, retentionDays: number) => {
  const dump: V1Container = {
    name: 'dump',
    image: engineImage(db.engine, db.version),
    command: ['sh', '-c', dumpScript(db)],
    env: [password(db)],
    resources,
    volumeMounts: [{ name: 'backup', mountPath: '/backup' }],
  };
  const upload: V1Container = {
    name: 'upload',
    image: S3_CLIENT_IMAGE,
    command: ['sh', '-c', uploadScript(db, retentionDays)],
    env: [
      ...s3Env(bucket),
      // The Job's name: the backup's folder in the bucket.
      { name: 'NAME', valueFrom: { fieldRef: { fieldPath: "metadata.labels['job-name']" } } },
    ],
    resources,
    volumeMounts: [{ name: 'backup', mountPath: '/backup' }],
  };
  return {
    restartPolicy: 'Never' as const,
    initContainers: [dump],
    containers: [upload],
    volumes: [{ name: 'backup', emptyDir: {} }],
  };
};

/** A MySQL or Valkey backup taken now: a Job named after the backup. */
export const dumpJobManifest = (
  owner: Owner,
  name: string,
  db: DumpTarget,
  bucket: BackupBucket,
  retentionDays: number,
): V1Job & KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: metadata(owner, name),
  spec: {
    backoffLimit: 2,
    template: {
      metadata: { labels: { [BACKUP_OF]: db.id } },
      spec: dumpPodSpec(db, bucket, retentionDays),
    },
  },
});

/**
 * The schedule of a MySQL or Valkey database: a CronJob (five fields: CloudNativePG's six without
 * the seconds). Its Jobs carry `BACKUP_OF` but not the database's ownership labels, so the sync
 * engine takes them in as backups instead of pruning them as the database's.
 */
export const dumpCronJobManifest = (
  owner: Owner,
  db: DumpTarget,
  settings: BackupSettings & { schedule: string },
): V1CronJob & KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: metadata(owner, `${objectName(db.id)}-backup`),
  spec: {
    schedule: settings.schedule.trim().split(/\s+/).slice(1).join(' '),
    timeZone: 'Etc/UTC',
    concurrencyPolicy: 'Forbid',
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 3,
    jobTemplate: {
      metadata: { labels: { [BACKUP_OF]: db.id } },
      spec: {
        backoffLimit: 2,
        template: {
          metadata: { labels: { [BACKUP_OF]: db.id } },
          spec: dumpPodSpec(db, settings.bucket, settings.retentionDays),
        },
      },
    },
  },
});

/** Where a restored MySQL or Valkey database's dump is. */
export interface DumpSource {
  bucket: BackupBucket;
  sourceDatabaseId: string;
  backupName: string;
}

/** The shell that downloads the dump into /restore. */
const downloadScript = (engine: StatefulEngine, source: DumpSource) =>
  `aws --endpoint-url "$S3_ENDPOINT" s3 cp "s3://$S3_BUCKET/${dumpKey(source.sourceDatabaseId, engine, source.backupName)}" /restore/${dumpFile(engine)}`;

/**
 * A MySQL restore: once the new server runs, a Job downloads the dump and loads it with the
 * engine's client (the dump creates the `app` database's tables and rows).
 */
export const mysqlRestoreJobManifest = (owner: Owner, db: DumpTarget, source: DumpSource): V1Job & KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: metadata(owner, `${objectName(db.id)}-restore`),
  spec: {
    backoffLimit: 6,
    template: {
      metadata: { labels: { 'uncloud.dev/restore-of': db.id } },
      spec: {
        restartPolicy: 'Never',
        initContainers: [
          {
            name: 'download',
            image: S3_CLIENT_IMAGE,
            command: ['sh', '-c', downloadScript('mysql', source)],
            env: s3Env(source.bucket),
            resources,
            volumeMounts: [{ name: 'restore', mountPath: '/restore' }],
          },
        ],
        containers: [
          {
            name: 'load',
            image: engineImage('mysql', db.version),
            command: [
              'sh',
              '-c',
              `gunzip -c /restore/${dumpFile('mysql')} | mysql --protocol=TCP -h ${hostOf(db)} -u root -p"$PASSWORD"`,
            ],
            env: [password(db)],
            resources,
            volumeMounts: [{ name: 'restore', mountPath: '/restore' }],
          },
        ],
        volumes: [{ name: 'restore', emptyDir: {} }],
      },
    },
  },
});

/**
 * A Valkey restore: the server loads `dump.rdb` from its data directory when it starts, so the
 * StatefulSet's pod gets an init container that downloads it there, once (never over data).
 */
export const valkeyRestoreInitContainer = (source: DumpSource): V1Container => ({
  name: 'restore',
  image: S3_CLIENT_IMAGE,
  command: [
    'sh',
    '-c',
    `[ -e /data/${dumpFile('valkey')} ] || ${downloadScript('valkey', source).replace('/restore/', '/data/')}`,
  ],
  env: s3Env(source.bucket),
  resources,
  volumeMounts: [{ name: 'data', mountPath: '/data' }],
});

/**
 * A database's Cluster or StatefulSet with its backups and restore: the Cluster archives to the
 * bucket and, when restored, bootstraps by recovery instead of `initdb`; a restored Valkey's pod
 * downloads the dump before the server starts.
 */
export const withBackupAndRestore = (
  object: KubeObject,
  databaseId: string,
  { backup, recovery, dump }: { backup?: BackupSettings; recovery?: PostgresRecovery; dump?: DumpSource },
): KubeObject => {
  if (object.kind === 'Cluster') {
    const spec = { ...(object.spec as Record<string, unknown>) };
    if (backup) spec.backup = cnpgBackupSpec(backup, databaseId);
    if (recovery) Object.assign(spec, cnpgRecoveryBootstrap(recovery, databaseId));
    return { ...object, spec };
  }
  if (object.kind === 'StatefulSet' && dump && object.metadata.name === objectName(databaseId)) {
    const sts = object as unknown as { spec: { template: { spec: Record<string, unknown> } } };
    const podSpec = sts.spec.template.spec;
    const isValkey = ((podSpec.containers as V1Container[] | undefined) ?? []).some((c) => c.name === 'valkey');
    if (!isValkey) return object;
    return {
      ...object,
      spec: {
        ...sts.spec,
        template: {
          ...sts.spec.template,
          spec: { ...podSpec, initContainers: [valkeyRestoreInitContainer(dump)] },
        },
      },
    };
  }
  return object;
};
