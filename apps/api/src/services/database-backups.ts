import {
  type DatabaseBackupRow,
  type DatabaseRow,
  type Db,
  backupSourceOf,
  bucketsRepository,
  databaseBackupsRepository as backups,
  databasesRepository as databases,
  newId,
} from '@uncloud/db';
import {
  BACKUP_JOB_REQUESTS,
  type QuotaCost,
  addCost,
  objectName,
  podRequests,
  zeroCost,
} from '@uncloud/kube';
import {
  type BucketId,
  type DatabaseBackup,
  type DatabaseId,
  type ProjectId,
  badRequest,
  conflict,
  databaseEngines,
  databaseNodesProblem,
  databaseStorageGiB,
  findDatabaseSize,
  notFound,
} from '@uncloud/sdk';
import type { DatabaseBackupService, DatabaseService } from '@uncloud/sdk/contract';
import type { ServiceDeps } from './deps.ts';
import { reconciledOutput, withStaleness } from './present.ts';
import { assertWithinQuota, databaseCost } from './quota-usage.ts';
import { resourceService } from './resource-service.ts';

/**
 * Why a backup's size is not shown yet: the engine reads it from the bucket once the backup has
 * completed, and records why when it cannot (the row's `sizeNote`).
 */
const sizeNote = (row: DatabaseBackupRow) => {
  if (row.sizeBytes !== null) return null;
  if (row.sizeNote) return row.sizeNote;
  if (row.phase === 'failed') return 'unknown: the backup failed';
  return row.phase === 'completed'
    ? 'unknown: not read from the bucket yet'
    : 'unknown until the backup completes: it is then read from the bucket';
};

export const presentDatabaseBackups = (_db: Db, rows: DatabaseBackupRow[]): DatabaseBackup[] =>
  rows.map((row): DatabaseBackup => ({
    id: row.id,
    projectId: row.projectId,
    name: row.name,
    databaseId: row.databaseId,
    databaseName: row.databaseName,
    engine: row.engine,
    source: row.source,
    bucketId: row.bucketId,
    origin: row.origin,
    phase: row.phase,
    startedAt: row.startedAt?.toISOString() ?? null,
    stoppedAt: row.stoppedAt?.toISOString() ?? null,
    beginWal: row.beginWal,
    endWal: row.endWal,
    sizeBytes: row.sizeBytes,
    sizeNote: sizeNote(row),
    error: row.error,
    state: row.state,
    ...reconciledOutput(row),
  }));

/** A bound bucket of the project, or a refusal naming `field`. */
const readyBucket = (db: Db, projectId: ProjectId, id: BucketId, field: string) => {
  const bucket = bucketsRepository.byId(db, id);
  if (!bucket || bucket.projectId !== projectId || bucket.state === 'deleting')
    throw notFound('bucket', id, field);
  if (bucket.state !== 'active')
    throw conflict(
      `bucket ${bucket.name} is not ready yet (state ${bucket.state}); try again once it is active`,
      field,
    );
  return bucket;
};

/** What a backup or restore Job of MySQL or Valkey takes while it runs (one pod, two containers in turn). */
const backupJobCost = (): QuotaCost => ({
  ...zeroCost(),
  ...podRequests({ containers: [{ resources: { requests: BACKUP_JOB_REQUESTS } }] }),
});

const stamp = (at: Date) => at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

export const createDatabaseBackupService = (deps: ServiceDeps): DatabaseBackupService => {
  const base = resourceService(deps, 'databaseBackup', backups, presentDatabaseBackups);
  return {
    list: (scope, input) => {
      const page = backups.list(deps.store.db, scope.projectId, input);
      const stale = withStaleness(deps.runtime);
      return {
        items: presentDatabaseBackups(deps.store.db, page.items).map(stale),
        nextCursor: page.nextCursor,
        total: page.total,
      };
    },
    get: base.get,
    create: (scope, input) =>
      base.commit(scope, (db) => {
        const database = databases.byId(db, input.databaseId);
        if (!database || database.projectId !== scope.projectId)
          throw notFound('database', input.databaseId, 'databaseId');
        if (database.state === 'deleting')
          throw conflict(
            `database ${database.name} is being deleted; it can no longer be backed up`,
            'databaseId',
          );
        if (!database.backupBucketId)
          throw conflict(
            `database ${database.name} has no backup bucket; choose one in its backup settings first (databases.configureBackups)`,
            'databaseId',
          );
        if (database.state !== 'active')
          throw conflict(
            `database ${database.name} is not running (state ${database.state}); back it up once it is active`,
            'databaseId',
          );
        readyBucket(db, scope.projectId, database.backupBucketId, 'databaseId');
        if (database.engine !== 'postgres')
          assertWithinQuota(db, scope.projectId, backupJobCost(), 'databaseId');
        const id = newId('databaseBackup');
        return backups.insert(db, {
          id,
          projectId: scope.projectId,
          name: `${database.name.slice(0, 40)}-${stamp(new Date())}-${id.slice(-4)}`,
          databaseId: database.id,
          databaseName: database.name,
          engine: database.engine,
          bucketId: database.backupBucketId,
          origin: 'manual',
          objectName: objectName(id),
          source: backupSourceOf(database),
        });
      }),
    delete: (scope, ref) => base.delete(scope, ref),
  };
};

/** The database's backup settings and restore source, as the API shows them. */
export const presentBackupFields = (row: DatabaseRow) => ({
  backups: row.backupBucketId
    ? {
        bucketId: row.backupBucketId,
        schedule: row.backupSchedule,
        retentionDays: row.backupRetentionDays ?? 7,
      }
    : null,
  recoverability:
    row.engine === 'postgres' && row.backupBucketId
      ? {
          firstPoint: row.firstRecoverabilityPoint?.toISOString() ?? null,
          lastBackup: row.lastSuccessfulBackup?.toISOString() ?? null,
        }
      : null,
  restoredFrom: row.restoreFrom
    ? {
        databaseId: row.restoreFrom.databaseId,
        backupId: row.restoreFrom.backupId,
        targetTime: row.restoreFrom.targetTime,
      }
    : null,
});

type Base = {
  commit: (
    scope: Parameters<DatabaseService['get']>[0],
    write: (db: Db) => DatabaseRow,
  ) => ReturnType<DatabaseService['get']>;
};

/** `databases.configureBackups`: the bucket (checked), schedule and retention. */
export const configureBackups =
  (base: Base): DatabaseService['configureBackups'] =>
  (scope, input) =>
    base.commit(scope, (db) => {
      const row = databases.get(db, scope.projectId, input.id);
      if (row.state === 'deleting')
        throw conflict(`database ${row.name} is being deleted and can no longer change`);
      if (input.bucketId === null)
        return databases.update(db, scope.projectId, row.id, {
          backupBucketId: null,
          backupSchedule: null,
          backupRetentionDays: null,
        });
      readyBucket(db, scope.projectId, input.bucketId, 'bucketId');
      return databases.update(db, scope.projectId, row.id, {
        backupBucketId: input.bucketId,
        backupSchedule: input.schedule,
        backupRetentionDays: input.retentionDays,
      });
    });

const timeWords = (d: Date) => d.toISOString().replace('.000Z', 'Z');

/**
 * The point-in-time window of a database's backups: from CloudNativePG's first recoverability point
 * (or the oldest completed backup) to now while the database still archives its WAL, or to its
 * newest backup once it is gone (what was archived after that is not known to Uncloud).
 */
const recoveryWindow = (source: DatabaseRow | undefined, completed: DatabaseBackupRow[]) => {
  const stopped = completed.map((b) => b.stoppedAt).filter((d): d is Date => d !== null);
  const first = source?.firstRecoverabilityPoint ?? stopped[0];
  const last = source && source.state !== 'deleting' ? new Date() : stopped.at(-1);
  return first && last ? { first, last } : undefined;
};

const majorOf = (version: string) => version.split('.')[0]!;

/**
 * The version a restore runs: the backed-up database's, or the one asked for if the backup can be
 * restored into it. A backup restores only into its own engine, and PostgreSQL only into its own
 * major version (its files are the server's on-disk format, which changes between majors).
 */
const restoreVersion = (
  engine: DatabaseBackup['engine'],
  recorded: string | undefined,
  input: { engine?: DatabaseBackup['engine'] | undefined; version?: string | undefined },
) => {
  if (input.engine !== undefined && input.engine !== engine)
    throw badRequest(
      `must be ${engine}, the backed-up database's engine: a backup restores only into its own engine`,
      'engine',
    );
  const catalog = databaseEngines.find((e) => e.engine === engine)!;
  if (input.version === undefined) return recorded ?? catalog.defaultVersion;
  if (!(catalog.versions as readonly string[]).includes(input.version))
    throw badRequest(`${engine} versions are ${catalog.versions.join(', ')}`, 'version');
  if (engine === 'postgres' && recorded !== undefined && majorOf(input.version) !== majorOf(recorded))
    throw badRequest(
      `must be PostgreSQL ${majorOf(recorded)}, the backed-up database's major version: a restore cannot change it`,
      'version',
    );
  return input.version;
};

/** `databases.restore`: a new database bootstrapped from a backup or a point in time. */
export const restoreDatabase =
  (base: Base): DatabaseService['restore'] =>
  (scope, input) =>
    base.commit(scope, (db) => {
      const fromBackup = input.backupId ? backups.byId(db, input.backupId) : undefined;
      if (input.backupId && (!fromBackup || fromBackup.projectId !== scope.projectId))
        throw notFound('database backup', input.backupId, 'backupId');
      const sourceId = (fromBackup?.databaseId ?? input.databaseId) as DatabaseId;
      const found = databases.byId(db, sourceId);
      const source = found && found.projectId === scope.projectId ? found : undefined;
      const completed = backups
        .ofDatabase(db, sourceId)
        .filter((b) => b.projectId === scope.projectId && b.state === 'active');
      let targetTime: string | null = null;
      if (fromBackup) {
        if (fromBackup.state !== 'active')
          throw conflict(
            `backup ${fromBackup.name} has not completed (state ${fromBackup.state}); restore from a completed backup`,
            'backupId',
          );
      } else {
        if (!source && completed.length === 0) throw notFound('database', sourceId, 'databaseId');
        const engine = source?.engine ?? completed[0]!.engine;
        if (engine !== 'postgres')
          throw badRequest(
            `a point in time can be restored for PostgreSQL only; ${engine} databases restore from a backup (give backupId)`,
            'targetTime',
          );
        if (completed.length === 0)
          throw conflict(
            `database ${source?.name ?? sourceId} has no completed backups yet; back it up first (databaseBackups.create)`,
            'databaseId',
          );
        const window = recoveryWindow(source, completed);
        const at = new Date(input.targetTime!);
        if (!window || at < window.first || at > window.last)
          throw badRequest(
            window
              ? `must be within the recoverability window, ${timeWords(window.first)} to ${timeWords(window.last)}`
              : 'there is no recoverability window yet: no backup has completed',
            'targetTime',
          );
        targetTime = at.toISOString();
      }
      // What the backup recorded of its database wins over the database now (which may have been
      // resized, or deleted): it is what the backup holds.
      const newest = completed.at(-1);
      const recorded = fromBackup ? fromBackup.source : (newest?.source ?? null);
      const engine = recorded?.engine ?? fromBackup?.engine ?? source?.engine ?? completed[0]!.engine;
      const version = restoreVersion(engine, recorded?.version ?? source?.version, input);
      const size = input.size ?? recorded?.size ?? source?.size;
      if (!size)
        throw badRequest(
          `is required: the backed-up database is gone and the backup does not record its size; choose one`,
          'size',
        );
      // The data needs the disk it had (grown past its size's own, perhaps): the restore gets at
      // least that, whatever size it is given.
      const shape = recorded ?? source;
      const needed = shape ? databaseStorageGiB(shape) : 0;
      const storageGiB = needed > findDatabaseSize(size).diskGiB ? needed : null;
      // As many servers as the backed-up database ran, unless told otherwise (and the engine can).
      const nodes =
        input.nodes ?? (databaseNodesProblem(engine, shape?.nodes ?? 1) ? 1 : (shape?.nodes ?? 1));
      const nodesProblem = databaseNodesProblem(engine, nodes);
      if (nodesProblem) throw badRequest(nodesProblem, 'nodes');
      // MySQL and Valkey: with the restore Job's pod, which runs beside the new server.
      const cost = databaseCost(scope.projectId, { engine, version, size, nodes, storageGiB });
      assertWithinQuota(db, scope.projectId, engine === 'postgres' ? cost : addCost(cost, backupJobCost()), {
        databases: 'name',
        vcpus: 'size',
        memoryMiB: 'size',
        volumeGiB: 'size',
      });
      const bucketId = fromBackup?.bucketId ?? completed.at(-1)!.bucketId;
      return databases.insert(db, {
        id: newId('database'),
        projectId: scope.projectId,
        name: input.name,
        engine,
        version,
        size,
        nodes,
        storageGiB,
        tags: input.tags ?? [],
        restoreFrom: {
          databaseId: sourceId,
          bucketId,
          backupId: fromBackup?.id ?? null,
          backupName: fromBackup?.objectName ?? null,
          targetTime,
        },
      });
    });
