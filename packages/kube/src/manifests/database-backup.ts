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
 * (now) or a CronJob (the schedule); a restore is a Job that loads the dump into a new database.
 *
 * Credentials are never copied: every object names the bucket's own Secret (the ObjectBucketClaim's,
 * `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`), which lives in the same namespace.
 */
import type { V1Container, V1CronJob, V1Job } from '@kubernetes/client-node';
import { DATABASE_NAME, DATABASE_USER, credentialsSecretName } from './database.ts';
import { CREATE_ONLY, REVISION, type KubeObject, type Owner, metadata, namespaceName, objectName } from './meta.ts';

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

/** The label a restore Job's pods carry, naming the database the dump is loaded into. */
export const RESTORE_OF = 'uncloud.dev/restore-of';

/** The restore Job of a MySQL or Valkey database (one per database: it loads the dump once). */
export const restoreJobName = (databaseId: string) => `${objectName(databaseId)}-restore`;

/**
 * The exit code of the download when the dump is not in the bucket: the Job's pod failure policy
 * fails the Job at once (a retry cannot make it appear), with the container named in its condition.
 */
export const DUMP_MISSING_EXIT_CODE = 3;

/** How long the load waits for the new server to accept connections (seconds, in 2 s steps). */
const SERVER_WAIT_SECONDS = 300;

/**
 * The shell that downloads the dump into /restore: exits `DUMP_MISSING_EXIT_CODE` when the object
 * is not there (S3 answers 404 to HeadObject), 1 on any other failure (retried).
 */
export const downloadScript = (engine: StatefulEngine, source: DumpSource): string => {
  const key = dumpKey(source.sourceDatabaseId, engine, source.backupName);
  return [
    `if ! out=$(aws --endpoint-url "$S3_ENDPOINT" s3api head-object --bucket "$S3_BUCKET" --key "${key}" 2>&1); then`,
    '  echo "$out" >&2',
    `  case "$out" in *"Not Found"*|*"(404)"*|*NoSuchKey*) echo "the dump s3://$S3_BUCKET/${key} is not in the bucket" > /dev/termination-log; exit ${DUMP_MISSING_EXIT_CODE};; esac`,
    '  exit 1',
    'fi',
    `aws --endpoint-url "$S3_ENDPOINT" s3 cp "s3://$S3_BUCKET/${key}" /restore/${dumpFile(engine)}`,
  ].join('\n');
};

/** Waits (bounded) until the new server answers, so that the load does not fail on a starting one. */
const waitForServer = (engine: StatefulEngine, host: string) =>
  engine === 'mysql'
    ? `i=0; until mysqladmin --protocol=TCP -h ${host} -u root -p"$PASSWORD" ping >/dev/null 2>&1; do i=$((i+2)); [ $i -ge ${SERVER_WAIT_SECONDS} ] && { echo "the server ${host} did not answer" >&2; exit 1; }; sleep 2; done`
    : `i=0; until [ "$(valkey-cli -h ${host} -a "$PASSWORD" --no-auth-warning PING 2>/dev/null)" = PONG ]; do i=$((i+2)); [ $i -ge ${SERVER_WAIT_SECONDS} ] && { echo "the server ${host} did not answer" >&2; exit 1; }; sleep 2; done`;

/**
 * The shell that loads the downloaded dump into the new server. MySQL: the dump's SQL through the
 * client. Valkey has no command that loads an RDB file over the network: a server of the Job's own
 * (same image, local port) loads the file, and every key is copied to the database with MIGRATE
 * COPY REPLACE (the value, its type and its time to live, as DUMP/RESTORE keep them).
 */
export const loadScript = (engine: StatefulEngine, host: string): string =>
  engine === 'mysql'
    ? [
        'set -e',
        waitForServer('mysql', host),
        `gunzip -c /restore/${dumpFile('mysql')} | mysql --protocol=TCP -h ${host} -u root -p"$PASSWORD"`,
      ].join('\n')
    : [
        'set -e',
        waitForServer('valkey', host),
        `valkey-server --port 6380 --bind 127.0.0.1 --dir /restore --dbfilename ${dumpFile('valkey')} --save "" --appendonly no --daemonize yes`,
        'until [ "$(valkey-cli -p 6380 PING 2>/dev/null)" = PONG ]; do sleep 1; done',
        'valkey-cli -p 6380 --scan | while IFS= read -r key; do',
        `  r=$(valkey-cli -p 6380 MIGRATE ${host} 6379 "" 0 10000 COPY REPLACE AUTH "$PASSWORD" KEYS "$key")`,
        '  [ "$r" = OK ] || [ "$r" = NOKEY ] || { echo "copying $key: $r" >&2; exit 1; }',
        'done',
      ].join('\n');

/**
 * A MySQL or Valkey restore: once the new server answers, a Job downloads the dump and loads it
 * with the engine's own tools. The database is active only once this Job has succeeded (the sync
 * engine reads its conditions); a dump that is not in the bucket fails it at once.
 */
export const restoreJobManifest = (owner: Owner, db: DumpTarget, source: DumpSource): V1Job & KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  // Created once and never re-applied: a Job's pod template is immutable, so a restore Job made by
  // an older Uncloud (another script) stays as it ran instead of failing every apply.
  metadata: metadata(owner, restoreJobName(db.id), { annotations: { [CREATE_ONLY]: 'true', [REVISION]: '0' } }),
  spec: {
    backoffLimit: 6,
    podFailurePolicy: {
      rules: [
        {
          action: 'FailJob',
          onExitCodes: { containerName: 'download', operator: 'In', values: [DUMP_MISSING_EXIT_CODE] },
        },
      ],
    },
    template: {
      metadata: { labels: { [RESTORE_OF]: db.id } },
      spec: {
        restartPolicy: 'Never',
        initContainers: [
          {
            name: 'download',
            image: S3_CLIENT_IMAGE,
            command: ['sh', '-c', downloadScript(db.engine, source)],
            env: s3Env(source.bucket),
            resources,
            volumeMounts: [{ name: 'restore', mountPath: '/restore' }],
          },
        ],
        containers: [
          {
            name: 'load',
            image: engineImage(db.engine, db.version),
            command: ['sh', '-c', loadScript(db.engine, hostOf(db))],
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
 * A database's Cluster with its backups and restore: it archives to the bucket and, when restored,
 * bootstraps by recovery instead of `initdb`. A MySQL or Valkey StatefulSet is left as it is (its
 * restore is a Job).
 */
export const withBackupAndRestore = (
  object: KubeObject,
  databaseId: string,
  { backup, recovery }: { backup?: BackupSettings; recovery?: PostgresRecovery },
): KubeObject => {
  if (object.kind !== 'Cluster') return object;
  const spec = { ...(object.spec as Record<string, unknown>) };
  if (backup) spec.backup = cnpgBackupSpec(backup, databaseId);
  if (recovery) Object.assign(spec, cnpgRecoveryBootstrap(recovery, databaseId));
  return { ...object, spec };
};
