import { randomUUID } from 'node:crypto';
import { actionsRepository, type IntentStore, type Revert } from '@uncloud/db';
import {
  type KindName,
  type KubeGateway,
  type KubeObject,
  RESOURCE_ID,
  isKubeError,
  managedSelector,
} from '@uncloud/kube';
import { advanceAction, failAction } from './actions.ts';
import { type ConvergeContext, type FailureReason, converge, describeFailure } from './converge.ts';
import { reconcilers } from './kinds/index.ts';
import { passLookup } from './kinds/lookup.ts';
import type { IntentKind, SyncSettings } from './kinds/types.ts';
import { createLeaderElector } from './lease.ts';
import { keyOf, parseKey } from './keys.ts';
import { type ResyncRows, guardOrphans, planResyncInSlices } from './resync.ts';
import { inChunks, yieldToLoop } from './slices.ts';
import { failsAction, isTerminal } from './terminal.ts';
import { WorkQueue } from './work-queue.ts';

export interface SyncLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  debug(object: object, message: string): void;
}

/** Hooks for metrics: called as reconciles finish, fail and correct drift. */
export interface SyncObserver {
  reconciled(kind: IntentKind, seconds: number, outcome: 'ok' | 'error'): void;
  failed(kind: IntentKind, reason: FailureReason): void;
  driftCorrected(kind: IntentKind): void;
}

export interface SyncEngineOptions {
  store: IntentStore;
  gateway: KubeGateway;
  logger: SyncLogger;
  settings: SyncSettings;
  /** Period of the full resync (DESIGN: 15 s). */
  intervalMs: number;
  /** How soon to look again at resources still on their way. */
  pollMs?: number;
  concurrency?: number;
  /** Unique per process; two engines with one identity would both think they lead. */
  identity?: string;
  /** The leader-election Lease; unset fields: `default/uncloud-sync`, 15 s, renewed every 5 s. */
  lease?: Partial<{ namespace: string; name: string; durationMs: number; renewMs: number }>;
  observer?: SyncObserver;
  /**
   * Largest share of this installation's managed objects one resync may delete as orphans (more
   * than a handful beyond it, and it deletes none: an empty or wrong database?). Default 0.5; 1
   * turns the guard off.
   */
  orphanMaxShare?: number;
}

export interface SyncStatus {
  leader: boolean;
  identity: string;
  /** False while Kubernetes cannot be reached: runtime facts are stale. */
  reachable: boolean;
  lastContactAt: Date | null;
  lastResyncAt: Date | null;
  lastResyncMs: number | null;
  queueDepth: number;
  inFlight: number;
  reconciles: number;
  errors: number;
  driftCorrected: number;
  /** Kubernetes requests of the last resync pass (LISTs), for the steady-state benchmark. */
  lastResyncRequests: number;
  /** The installation whose objects this engine writes and collects (`settings.installationId`). */
  installationId: string | null;
  /** Orphans the last resync refused to delete, being too large a share of the managed objects. */
  orphansWithheld: number;
  /** Managed objects of other installations the last resync saw and left alone. */
  otherInstallationObjects: number;
}

/** Lists one kind, treating a kind the cluster does not serve (its CRD is absent) as empty. */
const listKind = (gateway: KubeGateway, kind: KindName, labelSelector: string, namespace?: string) =>
  gateway.list(kind, { labelSelector, ...(namespace ? { namespace } : {}) }).catch((error: unknown) => {
    if (isKubeError(error, 'NotFound')) return [] as KubeObject[];
    throw error;
  });

/**
 * The sync engine: a keyed work queue fed by intent changes and by a periodic resync, reconciling
 * one resource at a time per key, with leader election so that one process writes to a cluster.
 */
export const createSyncEngine = (options: SyncEngineOptions) => {
  const { store, gateway, logger, settings } = options;
  const identity = options.identity ?? `uncloud-${randomUUID()}`;
  const lease = {
    namespace: 'default',
    name: 'uncloud-sync',
    durationMs: 15_000,
    renewMs: 5_000,
    ...options.lease,
  };
  const elector = createLeaderElector(gateway, { ...lease, identity });
  const status: SyncStatus = {
    leader: false,
    identity,
    reachable: true,
    lastContactAt: null,
    lastResyncAt: null,
    lastResyncMs: null,
    queueDepth: 0,
    inFlight: 0,
    reconciles: 0,
    errors: 0,
    driftCorrected: 0,
    lastResyncRequests: 0,
    installationId: settings.installationId ?? null,
    orphansWithheld: 0,
    otherInstallationObjects: 0,
  };
  const orphanMaxShare = options.orphanMaxShare ?? 0.5;
  const ctx: ConvergeContext = {
    store,
    gateway,
    settings,
    pollMs: options.pollMs ?? 250,
    onDriftCorrected: (kind) => {
      status.driftCorrected++;
      options.observer?.driftCorrected(kind);
    },
  };
  /**
   * Per key, the generation whose reconcile failed for good (see `isTerminal`): neither the resync
   * nor a poll retries it until the generation moves or the API announces a change of intent. In
   * memory only, so a restarted or new leader retries such a resource once.
   */
  const terminal = new Map<string, number>();
  const contact = (ok: boolean) => {
    status.reachable = ok;
    if (ok) status.lastContactAt = new Date();
  };

  /**
   * Keys reconciled or announced changed while a resync pass runs: the pass hands the loop back
   * between slices, so what it planned from its snapshot of such a row may be stale; it leaves them
   * to their reconcile.
   */
  let passTouched: Set<string> | undefined;

  const reconcileKey = async (key: string) => {
    passTouched?.add(key);
    if (!status.leader) return undefined;
    const parsed = parseKey(key);
    // Keys are made by this engine from rows and API writes; one that names no resource is nothing to do.
    if (!parsed) return undefined;
    const { kind, id } = parsed;
    const reconciler = reconcilers[kind];
    const row = reconciler.find(store.db, id);
    if (!row) {
      terminal.delete(key);
      await advanceAction(store.db, gateway, id, settings.installationId);
      return undefined;
    }
    if (terminal.get(key) === row.generation) return undefined;
    terminal.delete(key);
    status.reconciles++;
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const namespace = reconciler.namespaceOf(row);
      const selector = `${managedSelector()},${RESOURCE_ID}=${id}`;
      const observed = (
        await Promise.all(
          [...reconciler.ownedKinds, ...reconciler.runtimeKinds].map((k) =>
            listKind(gateway, k, selector, namespace),
          ),
        )
      ).flat();
      const result = await converge(ctx, reconciler, row, observed);
      const action = await advanceAction(store.db, gateway, id, settings.installationId);
      requeue(action.reverted);
      contact(true);
      options.observer?.reconciled(kind, seconds(), 'ok');
      return action.pending
        ? { requeueAfterMs: Math.min(result?.requeueAfterMs ?? ctx.pollMs, ctx.pollMs) }
        : result;
    } catch (error) {
      const failure = describeFailure(error);
      status.errors++;
      options.observer?.reconciled(kind, seconds(), 'error');
      options.observer?.failed(kind, failure.reason);
      if (failure.unavailable) contact(false);
      else contact(true);
      const action = failsAction(failure) && actionsRepository.inProgressOn(store.db, id);
      if (action) requeue(store.transaction(() => failAction(store.db, action, failure.message)));
      const latest = reconciler.find(store.db, id);
      if (latest && latest.state !== 'deleting') {
        // Keep what was last observed; say why it is not current.
        reconciler.record(store.db, id, {
          ...(failure.unavailable ? {} : { state: 'error' }),
          observedGeneration: latest.observedGeneration,
          observedAt: latest.observedAt ?? new Date(0),
          syncError: failure.message,
        });
        if (row.state !== 'deleting' && isTerminal(failure)) {
          // Retrying the same intent cannot help: wait for it to change (no backoff, no resync).
          terminal.set(key, row.generation);
          logger.warn(
            { component: 'sync', key, generation: row.generation, err: failure.message },
            'reconcile failed for good; waiting for a change of intent',
          );
          return undefined;
        }
      }
      throw failure;
    }
  };

  const requeue = (reverted: Revert[]) => reverted.forEach((r) => queue.add(keyOf(r.kind, r.id)));

  const queue = new WorkQueue(reconcileKey, {
    concurrency: options.concurrency ?? 8,
    baseBackoffMs: 200,
    maxBackoffMs: 30_000,
    onError: (key, error, retryInMs) =>
      logger.warn(
        { component: 'sync', key, err: (error as Error).message, retryInMs: Math.round(retryInMs) },
        'reconcile failed',
      ),
  });

  /**
   * One pass over everything: one LIST per Kubernetes kind, then, without further requests, every
   * resource whose objects are missing, drifted or extra is queued, and the runtime facts of the
   * rest are written back in one transaction. Objects labelled as ours that no intent owns go.
   */
  const resync = async () => {
    if (!status.leader) return;
    const started = performance.now();
    const requestsBefore = gateway.requestCount();
    const allKinds = [
      ...new Set(Object.values(reconcilers).flatMap((r) => [...r.ownedKinds, ...r.runtimeKinds])),
    ];
    let lists: KubeObject[][];
    try {
      lists = await Promise.all(allKinds.map((kind) => listKind(gateway, kind, managedSelector())));
      contact(true);
    } catch (error) {
      contact(!describeFailure(error).unavailable);
      logger.warn({ component: 'sync', err: (error as Error).message }, 'resync could not list the cluster');
      return;
    }
    // The diff and its writes run in slices (slices.ts): over 10 000 rows they would otherwise hold
    // the API's event loop for longer than a request may wait.
    passTouched = new Set();
    let plan;
    try {
      const rows: ResyncRows = {};
      for (const reconciler of Object.values(reconcilers)) {
        rows[reconciler.kind] = reconciler.all(store.db);
        await yieldToLoop();
      }
      plan = await planResyncInSlices(lists.flat(), rows, {
        lookup: passLookup(store.db),
        settings,
        failedForGood: terminal,
      });
      const touched = passTouched;
      const stale = (kind: IntentKind, id: string) => touched.has(keyOf(kind, id));
      const observedAt = new Date();
      await inChunks(plan.observations, 250, (chunk) =>
        store.transaction(() => {
          for (const { kind, id, values } of chunk)
            if (!stale(kind, id)) reconcilers[kind].record(store.db, id, { ...values, observedAt });
        }),
      );
      // Most rows are as they were: only their observation time moves, a statement per chunk.
      for (const { kind, ids } of plan.unchanged)
        await inChunks(
          ids.filter((id) => !stale(kind, id)),
          2000,
          (chunk) => reconcilers[kind].touch(store.db, chunk, observedAt),
        );
    } finally {
      passTouched = undefined;
    }
    for (const key of plan.queue) queue.add(key);
    // Actions are finished by reconciling their resource; a restart of this process resumes them.
    for (const action of actionsRepository.allInProgress(store.db))
      queue.add(keyOf(action.resourceKind, action.resourceId));
    const collection = guardOrphans(plan, orphanMaxShare);
    status.orphansWithheld = collection.withheld;
    if (plan.otherInstallations !== status.otherInstallationObjects && plan.otherInstallations > 0)
      logger.info(
        { component: 'sync', objects: plan.otherInstallations, installationId: settings.installationId },
        `leaving ${plan.otherInstallations} objects of other Uncloud installations alone (their uncloud.dev/installation label is not this one's)`,
      );
    status.otherInstallationObjects = plan.otherInstallations;
    if (collection.withheld > 0)
      logger.warn(
        {
          component: 'sync',
          orphans: collection.withheld,
          managed: plan.managed,
          maxShare: orphanMaxShare,
          installationId: settings.installationId,
        },
        `refusing to delete ${collection.withheld} of ${plan.managed} managed objects as orphans in one pass ` +
          `(more than ${Math.round(orphanMaxShare * 100)} %): is this the right database? ` +
          'If these resources really were deleted, raise UNCLOUD_ORPHAN_MAX_SHARE (1 turns the guard off)',
      );
    for (const orphan of collection.delete) {
      const where = {
        component: 'sync',
        kind: orphan.kind,
        namespace: orphan.metadata.namespace,
        name: orphan.metadata.name,
        resourceId: orphan.metadata.labels?.[RESOURCE_ID],
      };
      logger.info(where, 'deleting orphan');
      await gateway.delete(orphan).catch((error: unknown) => {
        // The next pass tries again; say why this one could not.
        logger.warn({ ...where, err: describeFailure(error, orphan).message }, 'could not delete orphan');
      });
    }
    status.lastResyncRequests = gateway.requestCount() - requestsBefore;
    status.lastResyncAt = new Date();
    status.lastResyncMs = performance.now() - started;
  };

  let resyncTimer: NodeJS.Timeout | undefined;
  let leaseTimer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const serially = (task: () => Promise<void>) => {
    running = running
      .then(task)
      .catch((error: unknown) => logger.warn({ component: 'sync', err: String(error) }, 'sync task failed'));
    return running;
  };

  const campaign = async () => {
    try {
      const leader = await elector.tryAcquire();
      contact(true);
      if (leader && !status.leader)
        logger.info({ component: 'sync', identity }, 'leading: this process reconciles the cluster');
      if (!leader && status.leader)
        logger.warn({ component: 'sync', identity }, 'lost the lease: another process reconciles now');
      const gained = leader && !status.leader;
      status.leader = leader;
      if (gained) await resync();
    } catch (error) {
      contact(!describeFailure(error).unavailable);
    }
  };

  return {
    identity,
    queue,

    /** Reconciles one resource soon (after an API write). */
    enqueue(kind: IntentKind | 'quota', id: string) {
      const key = kind === 'quota' ? keyOf('project', id) : keyOf(kind, id);
      // A change of intent may be what a resource that failed for good was waiting for.
      terminal.delete(key);
      passTouched?.add(key);
      queue.add(key);
    },

    resync: () => serially(resync),

    async start() {
      await serially(campaign);
      leaseTimer = setInterval(() => void serially(campaign), lease.renewMs);
      resyncTimer = setInterval(() => void serially(resync), options.intervalMs);
      leaseTimer.unref();
      resyncTimer.unref();
    },

    async stop() {
      clearInterval(leaseTimer);
      clearInterval(resyncTimer);
      await running;
      await queue.stop();
      if (status.leader) await elector.release().catch(() => undefined);
      status.leader = false;
    },

    status: (): SyncStatus => ({ ...status, queueDepth: queue.depth, inFlight: queue.inFlight }),
  };
};

export type SyncEngine = ReturnType<typeof createSyncEngine>;
