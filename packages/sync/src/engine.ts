import { randomUUID } from 'node:crypto';
import { actionsRepository, hasSyncHeads, type IntentStore, type Revert, syncHeads } from '@uncloud/db';
import {
  INSTALLATION,
  type KindName,
  type KubeGateway,
  type KubeObject,
  type VersionedObject,
  RESOURCE_ID,
  RESOURCE_KIND,
  createInformers,
  createObjectCache,
  kinds as kubeKinds,
  managedSelector,
} from '@uncloud/kube';
import { advanceAction, failAction } from './actions.ts';
import {
  type BackupObjectStore,
  type BucketLister,
  s3BackupObjectReader,
} from './backup-size/object-store.ts';
import { createBackupObjectsWorker } from './backup-size/worker.ts';
import { createBucketUsageSampler } from './bucket-usage/sampler.ts';
import { type ConvergeContext, type FailureReason, converge, describeFailure } from './converge.ts';
import { reconcilers } from './kinds/index.ts';
import { createHealthChecker } from './health/checker.ts';
import { type TargetProbe, networkProbe } from './health/probe.ts';
import { backupsNotStarted } from './kinds/database-backup.ts';
import { loadBalancersInFrontOf } from './kinds/load-balancer.ts';
import { passLookup } from './kinds/lookup.ts';
import type { IntentKind, ReconciledRow, SyncSettings } from './kinds/types.ts';
import { createLeaderElector } from './lease.ts';
import { keyOf, parseKey } from './keys.ts';
import {
  type ResyncHead,
  type ResyncRows,
  type SettledMark,
  guardOrphans,
  planResyncInSlices,
} from './resync.ts';
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
  /**
   * How soon to look again at a resource whose action waits on something no watch reports (a
   * volume's attach waits on its droplet; default 1 s). Nothing else is polled.
   */
  pollMs?: number;
  /**
   * Told after the engine wrote a resource's row (runtime facts, state, its action's progress) or
   * removed it: the API publishes these on the bus its own writes go on, for the change streams.
   */
  onWrite?: (write: SyncWrite) => void;
  /** Backoff of the informers after a failed list or watch (default 200 ms doubling to 30 s). */
  watchBackoff?: { baseMs: number; maxMs: number };
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
  /**
   * How load balancers' health checks reach their targets (default: over the network from this
   * process, which works in the cluster; the embedded simulated cluster answers for its guests;
   * outside the cluster, `apiServerProxyProbe` or `offProbe` of health/modes.ts).
   */
  probe?: TargetProbe;
  /** How often the health checker looks for due checks (default 250 ms). */
  healthTickMs?: number;
  /**
   * Reads completed database backups' sizes from their buckets and removes deleted ones' data
   * (default: an S3 client, from this process, at `settings.objectStoreEndpoint` or the bucket's
   * endpoint), in the background: backup-size/worker.ts.
   */
  backupObjects?: BackupObjectStore & Partial<BucketLister>;
  /** Retry timing and clock of that worker (defaults: worker.ts). */
  backupObjectsTiming?: { tickMs?: number; firstRetryMs?: number; maxRetryMs?: number; now?: () => number };
  /** How often every bucket is listed for its usage (default: bucket-usage/sampler.ts, 5 min). */
  bucketUsageEveryMs?: number;
}

/** A row the engine wrote: which resource, in which project. */
export interface SyncWrite {
  kind: IntentKind;
  id: string;
  projectId: string;
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
  /** Kubernetes requests of the last resync pass (none unless it deletes orphans: it reads the cache). */
  lastResyncRequests: number;
  /** Every kind is listed and watched: the cache the engine reads is current. */
  watching: boolean;
  /** Managed objects in the informers' cache. */
  cachedObjects: number;
  /** The installation whose objects this engine writes and collects (`settings.installationId`). */
  installationId: string | null;
  /** Orphans the last resync refused to delete, being too large a share of the managed objects. */
  orphansWithheld: number;
  /** Managed objects of other installations the last resync saw and left alone. */
  otherInstallationObjects: number;
  /**
   * Every load balancer target's check goes unanswered at once: more likely the checker's own
   * network than every target, so no target is taken out for it (health/checker.ts).
   */
  healthChecksUnanswered: boolean;
}

/** The project a row belongs to (a project is its own). */
const projectOf = (kind: IntentKind, row: { id: string; projectId?: unknown }) =>
  kind === 'project' ? row.id : String(row.projectId ?? '');

/** Every Kubernetes kind some reconciler owns or observes: what the informers watch. */
const watchedKinds: KindName[] = [
  ...new Set(Object.values(reconcilers).flatMap((r) => [...r.ownedKinds, ...r.runtimeKinds])),
];

/**
 * The sync engine: a keyed work queue fed by intent changes, by watch events of the cluster's
 * objects and by a periodic resync against the informers' cache, reconciling one resource at a
 * time per key, with leader election so that one process writes to a cluster.
 */
export const createSyncEngine = (options: SyncEngineOptions) => {
  const { store, gateway, logger, settings } = options;
  const backupObjects = options.backupObjects ?? s3BackupObjectReader();
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
    watching: false,
    cachedObjects: 0,
    installationId: settings.installationId ?? null,
    orphansWithheld: 0,
    otherInstallationObjects: 0,
    healthChecksUnanswered: false,
  };
  const orphanMaxShare = options.orphanMaxShare ?? 0.5;
  const actionPollMs = options.pollMs ?? 1_000;
  const cache = createObjectCache();
  /**
   * The gateway converge writes through: what the API server answers goes into the cache at once,
   * so that a reconcile right after (a watch event of another object) sees our write, not the
   * version before it, and does not write again.
   */
  const writeThrough: KubeGateway = {
    ...gateway,
    apply: async (object, callOptions) => {
      const written = await gateway.apply(object, callOptions);
      cache.wrote(written);
      return written;
    },
    delete: async (object, callOptions) => {
      const deleted = await gateway.delete(object, callOptions);
      if (deleted) cache.deleting(object as KubeObject);
      else cache.gone(object as KubeObject);
      return deleted;
    },
  };
  /**
   * What actions read (a droplet's instance, a rollout's Deployment, a database's Secret): from the
   * cache when it holds the object; else from the cluster, since the object may be one Uncloud does
   * not label (an operator's Secret) or one the watch has yet to report.
   */
  const readThrough: KubeGateway = {
    ...writeThrough,
    get: async (kind, namespace, name, callOptions) => {
      const cached =
        watchedKinds.includes(kind) && informers.unlisted([kind]).length === 0
          ? cache.get(kubeKinds[kind].kind, kubeKinds[kind].namespaced ? namespace : undefined, name)
          : undefined;
      return (cached as VersionedObject | undefined) ?? gateway.get(kind, namespace, name, callOptions);
    },
  };
  const ctx: ConvergeContext = {
    store,
    gateway: writeThrough,
    settings,
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
  const wrote = (kind: IntentKind, row: { id: string; projectId?: unknown }) => {
    const projectId = projectOf(kind, row);
    if (projectId) options.onWrite?.({ kind, id: row.id, projectId });
  };
  /** What the resync found settled, and the count of intent writes it rests on (resync.ts). */
  const settled = new Map<string, SettledMark>();
  let intentEpoch = 0;
  /** Per project, the count of its intent writes (resync.ts: `projectEpoch`). */
  const projectEpochs = new Map<string, number>();
  /** Per project, the keys waiting for its namespace: queued when the project is reconciled. */
  const waiting = new Map<string, Set<string>>();

  /** The resource an object belongs to, by its labels; undefined for another installation's. */
  const keyOfObject = (object: KubeObject) => {
    const labels = object.metadata.labels ?? {};
    const owner = labels[INSTALLATION];
    if (settings.installationId && owner !== undefined && owner !== settings.installationId) return undefined;
    const id = labels[RESOURCE_ID];
    const kind = labels[RESOURCE_KIND];
    if (!id || !kind) return undefined;
    // The quota is the project's.
    const key = keyOf(kind === 'quota' ? 'project' : (kind as IntentKind), id);
    return parseKey(key) ? key : undefined;
  };

  const informers = createInformers({
    gateway,
    cache,
    kinds: watchedKinds,
    labelSelector: managedSelector(),
    // Until every kind is listed, the first resync (run once they are) looks at everything.
    onChange: (_change, object) => {
      if (!informers.synced()) return;
      const key = keyOfObject(object);
      if (key) queue.add(key);
    },
    onError: (kind, error, retryInMs) => {
      const failure = describeFailure(error);
      contact(!failure.unavailable);
      status.watching = false;
      logger.warn(
        { component: 'sync', kind, err: failure.message, retryInMs: Math.round(retryInMs) },
        'watch failed; listing and watching again',
      );
    },
    onConnected: () => {
      contact(true);
      status.watching = informers.healthy();
    },
    ...(options.watchBackoff
      ? { baseBackoffMs: options.watchBackoff.baseMs, maxBackoffMs: options.watchBackoff.maxMs }
      : {}),
  });

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
    const ofKinds = new Set<KindName>([...reconciler.ownedKinds, ...reconciler.runtimeKinds]);
    const unlisted = informers.unlisted(ofKinds);
    // Not yet listed (just elected, or the cluster unreachable since): the cache cannot tell.
    if (unlisted.length > 0 && unlisted.every((u) => u.error === undefined)) return { requeueAfterMs: 250 };
    terminal.delete(key);
    status.reconciles++;
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      // A kind the cluster refuses to list (RBAC, a broken API) fails this resource, and only it.
      const refused = unlisted.find((u) => u.error !== undefined);
      if (refused) throw describeFailure(refused.error);
      const namespace = reconciler.namespaceOf(row);
      // From the informers' cache, not the cluster: what the resource's objects are now.
      const observed = cache
        .ofResource(id)
        .filter(
          (o) =>
            ofKinds.has(o.kind as KindName) &&
            (namespace === undefined ||
              !kubeKinds[o.kind as KindName].namespaced ||
              o.metadata.namespace === namespace),
        );
      // Refusals some controllers report only as Events (no labels, so not in the cache).
      const about = reconciler.failuresAbout?.(row) ?? [];
      const failures =
        about.length > 0 && namespace
          ? await gateway.list('Event', {
              namespace,
              fieldSelector: `reason=${reconciler.failureReason ?? 'FailedCreate'}`,
            })
          : [];
      const result = await converge(ctx, reconciler, row, [...observed, ...failures]);
      // What a controller made for it without our labels (a schedule's backups) becomes intent.
      const adopts = row.state === 'deleting' || !namespace ? undefined : reconciler.adopts?.(row);
      if (adopts && reconciler.take) {
        const found = await gateway.list(adopts.kind, { namespace, labelSelector: adopts.labelSelector });
        const taken = store.transaction(() => reconciler.take!(store.db, row, found));
        for (const t of taken) {
          queue.add(keyOf(t.kind, t.id));
          wrote(t.kind, t);
        }
      }
      // Load balancers' endpoints follow their droplets' addresses and readiness.
      if (kind === 'droplet')
        for (const lb of loadBalancersInFrontOf(store.db, id)) queue.add(keyOf('loadBalancer', lb));
      // Backups asked for while its backup settings were being applied can start now.
      if (kind === 'database')
        for (const backup of backupsNotStarted(store.db, id)) queue.add(keyOf('databaseBackup', backup));
      if (result?.waitingFor) {
        const projectId = projectOf(kind, row);
        const keys = waiting.get(projectId) ?? new Set();
        waiting.set(projectId, keys.add(key));
      }
      if (kind === 'project') {
        // Its namespace may be what others waited for.
        for (const waiter of waiting.get(id) ?? []) queue.add(waiter);
        waiting.delete(id);
      }
      const action = await advanceAction(store.db, readThrough, id, settings.installationId);
      requeue(action.reverted);
      wrote(kind, row);
      options.observer?.reconciled(kind, seconds(), 'ok');
      return action.pending ? { requeueAfterMs: actionPollMs } : undefined;
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
        wrote(kind, row);
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

  const requeue = (reverted: Revert[]) => {
    // An action put intent back: what was judged settled may no longer be.
    if (reverted.length > 0) intentEpoch++;
    reverted.forEach((r) => queue.add(keyOf(r.kind, r.id)));
  };

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

  /** The whole rows of these heads, by id. */
  const loadWhole = (kind: IntentKind, heads: ResyncHead[]): ReconciledRow[] => {
    const reconciler = reconcilers[kind];
    // The pass asks for a few rows at a time (resync.ts), as it reaches them.
    return heads.flatMap((h) => reconciler.find(store.db, h.id) ?? []);
  };

  /**
   * One pass over everything against the informers' cache, without a request: every resource
   * whose objects are missing, drifted or extra is queued, and the runtime facts of the rest are
   * written back. Objects labelled as ours that no intent owns go (the only requests it makes).
   */
  const resync = async () => {
    if (!status.leader) return;
    status.watching = informers.healthy();
    status.cachedObjects = cache.size;
    const stale = informers.stale();
    if (stale.length > 0) {
      // The cache is not current (an outage, a relist under way): judging from it could delete
      // what exists or queue what is fine. The informers catch up, then the next pass runs.
      logger.warn(
        { component: 'sync', kinds: stale },
        'resync skipped: the cluster is not being watched right now',
      );
      return;
    }
    // Kinds never listed (the cluster refuses them): their resources are left to their reconciles,
    // which say why; everything else is judged.
    const unjudged = new Set(
      Object.values(reconcilers)
        .filter((r) => informers.unlisted([...r.ownedKinds, ...r.runtimeKinds]).length > 0)
        .map((r) => r.kind),
    );
    const started = performance.now();
    const requestsBefore = gateway.requestCount();
    const lists = [cache.list(new Set(watchedKinds))];
    // The snapshot's objects are what the pass judges: a resource whose objects changed since (the
    // pass runs in slices) gets a version no mark holds, and is judged again by the next pass.
    const snapshotAt = cache.changes;
    const objectsVersion = (id: string) => {
      const version = cache.versionOf(id);
      return version !== undefined && version > snapshotAt ? Number.NaN : version;
    };
    // The diff and its writes run in slices (slices.ts): over 10 000 rows they would otherwise hold
    // the API's event loop for longer than a request may wait.
    passTouched = new Set();
    let plan;
    try {
      // Only the rows' bookkeeping: the pass loads whole rows only for those not settled as before.
      const rows: ResyncRows = {};
      const projects = new Map<string, string>();
      for (const reconciler of Object.values(reconcilers)) {
        const { kind } = reconciler;
        // Ids read from the kind's own table are the kind's ids.
        const heads: ResyncHead[] = hasSyncHeads(kind)
          ? (syncHeads(store.db, kind) as unknown as ResyncHead[])
          : reconciler.all(store.db);
        rows[kind] = heads;
        await yieldToLoop();
        for (const head of heads) projects.set(head.id, projectOf(kind, head));
        await yieldToLoop();
      }
      plan = await planResyncInSlices(lists.flat(), rows, {
        load: (kind, heads) => loadWhole(kind, heads),
        lookup: passLookup(store.db),
        settings,
        failedForGood: terminal,
        settled,
        objectsVersion,
        intentEpoch,
        projectEpoch: (projectId) => projectEpochs.get(projectId) ?? 0,
        unjudged,
      });
      const touched = passTouched;
      const stale = (kind: IntentKind, id: string) => touched.has(keyOf(kind, id));
      const observedAt = new Date();
      await inChunks(plan.observations, 250, (chunk) => {
        const written = store.transaction(() =>
          chunk.filter(({ kind, id, values }) => {
            if (stale(kind, id)) return false;
            reconcilers[kind].record(store.db, id, { ...values, observedAt });
            return true;
          }),
        );
        for (const { kind, id } of written) wrote(kind, { id, projectId: projects.get(id) });
      });
      // Rows observed as recorded are left alone: the watches keep the cache current, so a pass
      // that finds nothing new writes nothing (observedAt is when the facts were last recorded).
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
  // Load balancers' health checks: the leader's, like every write to the cluster.
  const healthChecker = createHealthChecker({
    store,
    probe: options.probe ?? networkProbe,
    isLeader: () => status.leader,
    changed: (row) => {
      queue.add(keyOf('loadBalancer', row.id));
      wrote('loadBalancer', row);
    },
    networkSuspect: (suspect, targets) => {
      status.healthChecksUnanswered = suspect;
      if (suspect)
        logger.warn(
          { component: 'sync', targets },
          `every one of ${targets} load balancer targets went unanswered at once: more likely this ` +
            "process's own network than every target, so none is taken out of its load balancer for it. " +
            'If Uncloud runs outside the cluster, set UNCLOUD_LB_HEALTH_CHECKS=apiserver-proxy or off',
        );
      else logger.info({ component: 'sync', targets }, 'load balancer targets answer their checks again');
    },
    ...(options.healthTickMs !== undefined ? { tickMs: options.healthTickMs } : {}),
  });
  /** A bucket claim's Secret (its S3 keys), for the two workers below. */
  const readSecret = async (namespace: string, name: string) =>
    (await gateway.get('Secret', namespace, name)) ?? undefined;
  // Backups' sizes and deleted backups' data, in their buckets: never on the reconcile's path.
  const backupObjectsWorker = createBackupObjectsWorker({
    store,
    logger,
    objects: backupObjects,
    getSecret: readSecret,
    objectStoreEndpoint: settings.objectStoreEndpoint,
    isLeader: () => status.leader,
    // Until Backups and Jobs are listed, the cache cannot say a backup's objects are gone: wait.
    hasClusterObjects: (id) =>
      informers.unlisted(['Backup', 'Job']).length > 0 ||
      cache.ofResource(id).some((o) => o.kind === 'Backup' || o.kind === 'Job'),
    dataRemoved: (row) => {
      queue.add(keyOf('databaseBackup', row.id));
      wrote('databaseBackup', row);
    },
    ...options.backupObjectsTiming,
  });
  // What each bucket holds, listed with its own keys: also never on the reconcile's path (a store
  // given without a way to list, as in some tests, leaves usage unknown).
  const lister = backupObjects.usage ? { usage: backupObjects.usage } : undefined;
  const bucketUsage =
    lister &&
    createBucketUsageSampler({
      store,
      logger,
      objects: lister,
      getSecret: readSecret,
      objectStoreEndpoint: settings.objectStoreEndpoint,
      isLeader: () => status.leader,
      recorded: (row) => wrote('bucket', row),
      ...(options.bucketUsageEveryMs !== undefined ? { everyMs: options.bucketUsageEveryMs } : {}),
    });
  let leaseTimer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const serially = (task: () => Promise<void>) => {
    running = running
      .then(task)
      .catch((error: unknown) => logger.warn({ component: 'sync', err: String(error) }, 'sync task failed'));
    return running;
  };

  /** Stops watching and drops what was cached: a later leader term starts from a fresh list. */
  const forget = async () => {
    await informers.stop();
    cache.clear();
    waiting.clear();
    settled.clear();
    status.watching = false;
    status.cachedObjects = 0;
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
      const lost = !leader && status.leader;
      status.leader = leader;
      if (gained) {
        informers.start();
        // The first pass runs once every kind is listed; until then reconciles wait for the cache.
        void informers.waitForSync().then(() => {
          if (status.leader) void serially(resync);
        });
      }
      if (lost) await forget();
    } catch (error) {
      contact(!describeFailure(error).unavailable);
    }
  };

  return {
    identity,
    queue,

    /**
     * Reconciles one resource soon (after an API write). `projectId`: the project it is in, when
     * the write touched that project's intent only.
     */
    enqueue(kind: IntentKind | 'quota', id: string, projectId?: string) {
      const key = kind === 'quota' ? keyOf('project', id) : keyOf(kind, id);
      // A change of intent may be what a resource that failed for good was waiting for, and may
      // change what others of its project want (keys, tags, firewalls, quotas).
      terminal.delete(key);
      if (projectId) projectEpochs.set(projectId, (projectEpochs.get(projectId) ?? 0) + 1);
      else intentEpoch++;
      passTouched?.add(key);
      queue.add(key);
    },

    resync: () => serially(resync),

    /** Lists every bucket for its usage now (the sampler does every few minutes). */
    sampleBucketUsage: async () => bucketUsage?.sampleAll(),

    async start() {
      await serially(campaign);
      leaseTimer = setInterval(() => void serially(campaign), lease.renewMs);
      resyncTimer = setInterval(() => void serially(resync), options.intervalMs);
      leaseTimer.unref();
      resyncTimer.unref();
      healthChecker.start();
      backupObjectsWorker.start();
      bucketUsage?.start();
    },

    async stop() {
      clearInterval(leaseTimer);
      clearInterval(resyncTimer);
      await healthChecker.stop();
      await backupObjectsWorker.stop();
      await bucketUsage?.stop();
      await running;
      await queue.stop();
      await forget();
      if (status.leader) await elector.release().catch(() => undefined);
      status.leader = false;
    },

    status: (): SyncStatus => ({
      ...status,
      watching: status.leader && informers.healthy(),
      cachedObjects: cache.size,
      queueDepth: queue.depth,
      inFlight: queue.inFlight,
    }),

    /** The informers' per-kind state (listed, watching, resume version), for tests and diagnostics. */
    informers: () => informers.state(),

    /**
     * The cluster may serve kinds it did not (a component's CRDs were just installed): their
     * informers look now instead of at their next try, so the first droplet after KubeVirt's install
     * does not wait for it.
     */
    recheckUnservedKinds: () => {
      const woken = informers.recheckUnserved();
      if (woken.length > 0)
        logger.info({ component: 'sync', kinds: woken }, 'looking again at kinds the cluster did not serve');
      return woken;
    },
  };
};

export type SyncEngine = ReturnType<typeof createSyncEngine>;
