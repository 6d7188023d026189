import { type DatabaseBackupRow, type IntentStore, databaseBackupsRepository } from '@uncloud/db';
import type { SyncLogger } from '../engine.ts';
import { type MeasureContext, measureBackup, removeBackupData, toMeasure, toRemove } from './measure.ts';

export interface BackupObjectsWorkerOptions extends Omit<MeasureContext, 'db'> {
  store: IntentStore;
  logger: SyncLogger;
  /** Only the leader reads and deletes: one worker per installation. */
  isLeader(): boolean;
  /**
   * Whether the backup's objects in the cluster (its Backup or Job) still exist: its data is
   * removed only once they are gone, so that nothing writes it again after.
   */
  hasClusterObjects(id: DatabaseBackupRow['id']): boolean;
  /** A deleted backup's data is gone: its row can go (the engine reconciles it). */
  dataRemoved(row: DatabaseBackupRow): void;
  /** How often due work is looked for (default 1 s). */
  tickMs?: number;
  /** Reads and deletes in flight at once (default 4). */
  concurrency?: number;
  /** First wait after a failure, doubled each time (default 30 s). */
  firstRetryMs?: number;
  /** Longest wait between tries (default 1 h). */
  maxRetryMs?: number;
  now?: () => number;
}

interface Slot {
  failures: number;
  dueAt: number;
}

/** The wait after `failures` failed tries: `first`, doubling, at most `max`. */
export const retryDelay = (failures: number, first: number, max: number) =>
  Math.min(max, first * 2 ** Math.max(0, failures - 1));

/**
 * The object-store work of database backups, off the reconcile (which never waits on a bucket):
 * reads the size of each completed backup whose size is not known, and removes the data of each
 * deleted backup before its row goes. A try that fails is tried again after 30 s, then 1 min, 2 min,
 * … up to every hour, with the reason in words on the row meanwhile; a backup whose size was read,
 * or whose data was removed, is done with.
 */
export const createBackupObjectsWorker = (options: BackupObjectsWorkerOptions) => {
  const { store, logger } = options;
  const now = options.now ?? Date.now;
  const concurrency = options.concurrency ?? 4;
  const firstRetryMs = options.firstRetryMs ?? 30_000;
  const maxRetryMs = options.maxRetryMs ?? 60 * 60_000;
  const abort = new AbortController();
  let stopped = false;
  const ctx: MeasureContext = { ...options, db: store.db, signal: abort.signal };
  const slots = new Map<string, Slot>();
  const running = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | undefined;

  const failed = (id: string) => {
    const slot = slots.get(id) ?? { failures: 0, dueAt: 0 };
    slot.failures++;
    const delay = retryDelay(slot.failures, firstRetryMs, maxRetryMs);
    slot.dueAt = now() + delay;
    slots.set(id, slot);
    return `tried ${slot.failures} time(s); trying again at ${new Date(slot.dueAt).toISOString()}`;
  };

  const measure = async (row: DatabaseBackupRow) => {
    const size = await measureBackup(ctx, row);
    // Stopping: what the aborted call says is not about the backup, and the store may be closing.
    if (stopped) return;
    const latest = databaseBackupsRepository.byId(store.db, row.id);
    if (!toMeasure(latest)) return;
    const note = size.sizeBytes === null ? `${size.sizeNote} (${failed(row.id)})` : null;
    if (size.sizeBytes !== null) slots.delete(row.id);
    databaseBackupsRepository.recordSync(store.db, row.id, {
      sizeBytes: size.sizeBytes,
      sizeNote: note,
      observedGeneration: latest.observedGeneration,
      observedAt: latest.observedAt ?? new Date(now()),
      syncError: latest.syncError,
    });
  };

  const remove = async (row: DatabaseBackupRow) => {
    let outcome: { done: string } | { error: string };
    try {
      outcome = { done: await removeBackupData(ctx, row) };
    } catch (error) {
      outcome = { error: (error as Error).message };
    }
    if (stopped) return;
    const latest = databaseBackupsRepository.byId(store.db, row.id);
    if (!toRemove(latest)) return;
    if ('done' in outcome) {
      slots.delete(row.id);
      logger.info({ component: 'backups', id: row.id, outcome: outcome.done }, "deleted backup's data");
      databaseBackupsRepository.recordDataRemoval(store.db, row.id, {
        dataDeletedAt: new Date(now()),
        syncError: null,
      });
      options.dataRemoved(latest);
      return;
    }
    databaseBackupsRepository.recordDataRemoval(store.db, row.id, {
      dataDeletedAt: null,
      syncError: `its data is still in the bucket, not deleted yet: ${outcome.error} (${failed(row.id)})`,
    });
  };

  /** Starts the reads and deletes that are due, at most `concurrency` at once. */
  const tick = () => {
    if (stopped || !options.isLeader()) return;
    const live = new Set<string>();
    for (const row of databaseBackupsRepository.all(store.db)) {
      const work = toRemove(row)
        ? options.hasClusterObjects(row.id)
          ? undefined
          : remove
        : toMeasure(row)
          ? measure
          : undefined;
      if (!work) continue;
      live.add(row.id);
      if (running.has(row.id) || running.size >= concurrency) continue;
      if ((slots.get(row.id)?.dueAt ?? 0) > now()) continue;
      const done = work(row)
        .catch((error: unknown) =>
          logger.warn({ component: 'backups', id: row.id, err: String(error) }, 'backup object work failed'),
        )
        .finally(() => running.delete(row.id));
      running.set(row.id, done);
    }
    // Backups done with, or gone: their retry state goes with them.
    for (const id of [...slots.keys()]) if (!live.has(id) && !running.has(id)) slots.delete(id);
  };

  return {
    /** One look for due work (the timer's; tests call it to step). */
    tick,
    /** Resolves once the reads and deletes in flight have ended. */
    settled: async () => {
      while (running.size > 0) await Promise.allSettled([...running.values()]);
    },
    start() {
      timer ??= setInterval(tick, options.tickMs ?? 1_000);
      timer.unref();
    },
    /** Clears the timer, aborts the calls in flight and waits for them to end. */
    async stop() {
      stopped = true;
      clearInterval(timer);
      timer = undefined;
      abort.abort();
      await Promise.allSettled([...running.values()]);
    },
    inFlight: () => running.size,
  };
};

export type BackupObjectsWorker = ReturnType<typeof createBackupObjectsWorker>;
