import { z } from 'zod';
import { DatabaseEngine, DatabaseNodes, DatabaseSizeSlug, checkEngineChoice } from './catalog.ts';
import {
  BucketId,
  DatabaseBackupId,
  DatabaseId,
  IsoDateTime,
  ProjectId,
  ResourceName,
  ResourceState,
  Tags,
  listFields,
  reconciledFields,
} from './common.ts';

const cronField = /^[0-9A-Za-z*?/,\-LW#]+$/;

/**
 * When backups run, as CloudNativePG's ScheduledBackup reads it: six fields, seconds first
 * (`0 0 3 * * *` is 03:00 every day, UTC). MySQL and Valkey run the same schedule as a CronJob,
 * whose five fields are the last five of these (their seconds field is ignored).
 */
export const BackupSchedule = z
  .string()
  .trim()
  .refine(
    (s) => {
      const fields = s.split(/\s+/);
      return fields.length === 6 && fields.every((f) => cronField.test(f));
    },
    {
      message:
        'must be a cron schedule of six fields, seconds first, such as "0 0 3 * * *" (03:00 daily, UTC)',
    },
  );
export type BackupSchedule = z.infer<typeof BackupSchedule>;

export const BackupRetentionDays = z
  .number()
  .int({ message: 'must be a whole number of days' })
  .min(1, { message: 'must be between 1 and 365 days' })
  .max(365, { message: 'must be between 1 and 365 days' });

/** A database's backup settings: where backups go, when they run, how long they are kept. */
export const DatabaseBackupSettings = z.object({
  /** The project's bucket that holds the backups; its own credentials Secret is used, by reference. */
  bucketId: BucketId,
  /** Null: backups are taken only on demand. */
  schedule: BackupSchedule.nullable(),
  retentionDays: BackupRetentionDays,
});
export type DatabaseBackupSettings = z.infer<typeof DatabaseBackupSettings>;

export const ConfigureDatabaseBackupsInput = z.object({
  projectId: ProjectId,
  id: DatabaseId,
  /** The bucket to back up to; null turns backups off (backups taken stay). */
  bucketId: BucketId.nullable(),
  /** Null: only on demand (`databaseBackups.create`). */
  schedule: BackupSchedule.nullable().default('0 0 3 * * *'),
  retentionDays: BackupRetentionDays.default(7),
});
export type ConfigureDatabaseBackupsInput = z.input<typeof ConfigureDatabaseBackupsInput>;

/**
 * The database as it was when the backup was taken: a restore is made like it (its size and disk),
 * and only into the same engine and, for PostgreSQL, the same major version.
 */
export const DatabaseBackupSource = z.object({
  name: z.string(),
  engine: DatabaseEngine,
  version: z.string(),
  size: DatabaseSizeSlug,
  nodes: z.number().int(),
  /** Disk per node when grown past the size's own; null: the size's disk. */
  storageGiB: z.number().int().nullable(),
});
export type DatabaseBackupSource = z.infer<typeof DatabaseBackupSource>;

/** Who started a backup: someone (`databaseBackups.create`) or the database's schedule. */
export const DatabaseBackupOrigin = z.enum(['manual', 'scheduled']);
export type DatabaseBackupOrigin = z.infer<typeof DatabaseBackupOrigin>;

/**
 * A backup of a database in a bucket of the project: for PostgreSQL a CloudNativePG `Backup` (a base
 * backup, with the write-ahead log archived continuously beside it), for MySQL and Valkey a dump
 * that a Job uploads. It outlives its database: a new database can be restored from it.
 */
export const DatabaseBackup = z.object({
  id: DatabaseBackupId,
  projectId: ProjectId,
  /** The name it has in the cluster and the bucket. */
  name: ResourceName,
  databaseId: DatabaseId,
  /** The database's name when the backup was taken (it may since have been deleted). */
  databaseName: z.string(),
  engine: DatabaseEngine,
  /** Null for backups taken before Uncloud recorded it. */
  source: DatabaseBackupSource.nullable(),
  bucketId: BucketId,
  origin: DatabaseBackupOrigin,
  /** The phase the backup tool reports (`running`, `completed`, `failed`); null until it starts. */
  phase: z.string().nullable(),
  startedAt: IsoDateTime.nullable(),
  stoppedAt: IsoDateTime.nullable(),
  /** PostgreSQL: the first and last WAL file of the backup. */
  beginWal: z.string().nullable(),
  endWal: z.string().nullable(),
  /** Bytes in the bucket, when known; see `sizeNote` when it is not. */
  sizeBytes: z.number().int().nullable(),
  /** Why the size is unknown, in words. */
  sizeNote: z.string().nullable(),
  /** Why the backup failed, in the tool's words. */
  error: z.string().nullable(),
  state: ResourceState,
  ...reconciledFields,
  deletedAt: IsoDateTime.nullable(),
});
export type DatabaseBackup = z.infer<typeof DatabaseBackup>;

export const DatabaseBackupRef = z.object({ projectId: ProjectId, id: DatabaseBackupId });
export type DatabaseBackupRef = z.input<typeof DatabaseBackupRef>;

export const ListDatabaseBackupsInput = z.object({
  projectId: ProjectId,
  ...listFields,
  /** Only the backups of this database (which may since have been deleted). */
  databaseId: DatabaseId.optional(),
  state: ResourceState.optional(),
});
export type ListDatabaseBackupsInput = z.input<typeof ListDatabaseBackupsInput>;

/** Back up now, to the bucket the database's backup settings name. */
export const CreateDatabaseBackupInput = z.object({ projectId: ProjectId, databaseId: DatabaseId });
export type CreateDatabaseBackupInput = z.input<typeof CreateDatabaseBackupInput>;

/**
 * A new database made from a backup (`backupId`), or from a database's backups and archived
 * write-ahead log as it was at `targetTime` (PostgreSQL only: point-in-time recovery).
 */
export const RestoreDatabaseInput = z
  .object({
    projectId: ProjectId,
    /** The new database's name. */
    name: ResourceName,
    backupId: DatabaseBackupId.optional(),
    /** With `targetTime`: the database whose backups to recover from (which may since have been deleted). */
    databaseId: DatabaseId.optional(),
    targetTime: IsoDateTime.optional(),
    /** Defaults to the backed-up database's size. */
    size: DatabaseSizeSlug.optional(),
    /** Defaults to the backed-up database's node count (MySQL and Valkey run one). */
    nodes: DatabaseNodes.optional(),
    /** The backup's engine, checked when given: a backup restores only into its own engine. */
    engine: DatabaseEngine.optional(),
    /**
     * Defaults to the backed-up database's version. PostgreSQL restores only into the same major
     * version (its files are the server's own format); MySQL and Valkey into any they support.
     */
    version: z.string().optional(),
    tags: Tags,
  })
  .superRefine((input, ctx) => {
    checkEngineChoice(input, ctx);
    const byBackup = input.backupId !== undefined;
    const byTime = input.targetTime !== undefined || input.databaseId !== undefined;
    if (byBackup && byTime)
      ctx.addIssue({
        code: 'custom',
        path: ['backupId'],
        message: 'give either backupId, or databaseId with targetTime, not both',
      });
    else if (!byBackup && !byTime)
      ctx.addIssue({
        code: 'custom',
        path: ['backupId'],
        message: 'is required: the backup to restore, or databaseId with targetTime for a point in time',
      });
    else if (byTime && input.targetTime === undefined)
      ctx.addIssue({ code: 'custom', path: ['targetTime'], message: 'is required with databaseId' });
    else if (byTime && input.databaseId === undefined)
      ctx.addIssue({ code: 'custom', path: ['databaseId'], message: 'is required with targetTime' });
  });
export type RestoreDatabaseInput = z.input<typeof RestoreDatabaseInput>;
