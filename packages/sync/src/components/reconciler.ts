import { componentsRepository, type ComponentRow, type IntentStore } from '@uncloud/db';
import {
  type Catalogue,
  type FetchOptions,
  type GeneratedContext,
  type KubeGateway,
  type KubeObject,
  type ObjectRef,
  KubeError,
  ManifestError,
  SourceError,
  carriesHealth,
  describeRef,
  findVersion,
  healthOf,
  leftBehind,
  refOf,
  sortForDelete,
} from '@uncloud/kube';
import {
  type ComponentHealthItem,
  type ComponentName,
  type ComponentState,
  requiredComponents,
} from '@uncloud/sdk';
import type { SyncLogger } from '../engine.ts';
import { WorkQueue } from '../work-queue.ts';
import { observeCapabilities } from './capabilities.ts';
import { componentObjects, createSourceCache } from './objects.ts';

export interface ComponentReconcilerOptions {
  store: IntentStore;
  gateway: KubeGateway;
  logger: SyncLogger;
  catalogue: Catalogue;
  installationId: string;
  /** Only the sync engine's leader writes to the cluster. */
  isLeader: () => boolean;
  fetch?: FetchOptions;
  /** How often installed components are checked for health and drift (the resync period). */
  intervalMs: number;
  /** How soon to look again at a component on its way (installing, uninstalling). */
  pollMs?: number;
  /** Uncloud's settings that generated objects depend on (the registry's token server), read per pass. */
  generated?: () => GeneratedContext;
  /**
   * The cluster serves kinds it did not before (a component became ready, or a component's CRD is
   * seen): the engine's informers for kinds the cluster did not serve look again now.
   */
  onKindsServed?: () => void;
}

// A manifest may name the cluster's own namespaces (metrics-server's is kube-system): never deleted.
const SYSTEM_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/** A failure that retrying the same intent cannot mend: recorded, and the action fails. */
class ComponentFailure extends Error {}

const PROVISIONER_ROLE =
  'Uncloud may not manage cluster components: bind the uncloud-provisioner ClusterRole to its service account (kubectl apply -k deploy/components/provisioner, docs/deploy.md)';

/** Why a pass failed, in words for the Setup page, and whether to wait for a change of intent. */
const explain = (error: unknown): { message: string; terminal: boolean } => {
  if (error instanceof SourceError || error instanceof ManifestError || error instanceof ComponentFailure)
    return { message: error.message, terminal: true };
  if (error instanceof KubeError) {
    if (error.kind === 'Forbidden' && error.status !== 401)
      return { message: `${error.message} — ${PROVISIONER_ROLE}`, terminal: true };
    if (error.kind === 'Invalid')
      return { message: `Kubernetes refused it: ${error.message}`, terminal: true };
    return { message: `${error.message}; retrying`, terminal: false };
  }
  return { message: error instanceof Error ? error.message : String(error), terminal: false };
};

/**
 * The provisioner's reconciler: drives each component row towards its intent (installed at a
 * version, or uninstalled) with server-side apply of its manifests in dependency order, judges its
 * health from the objects' own conditions, and records what the cluster holds that creates need.
 * Driven like the engine's kinds: a keyed work queue fed by the API's changes and by a periodic pass,
 * writing only while this process leads.
 */
export const createComponentReconciler = (options: ComponentReconcilerOptions) => {
  const { store, gateway, logger, catalogue, installationId } = options;
  const pollMs = options.pollMs ?? 1000;
  const load = createSourceCache(options.fetch ?? {});
  const db = store.db;

  const infoOf = async (ref: { apiVersion: string; kind: string }) =>
    (await gateway.discover(ref.apiVersion, ref.kind)) ??
    (await gateway.discover(ref.apiVersion, ref.kind, { fresh: true }));

  const read = async (ref: ObjectRef): Promise<KubeObject | null> => {
    const info = await infoOf(ref);
    if (!info) return null;
    return gateway.getAs(info, info.namespaced ? (ref.namespace ?? 'default') : undefined, ref.name);
  };

  const health = async (refs: ObjectRef[]): Promise<ComponentHealthItem[]> =>
    Promise.all(
      refs.map(async (ref) => {
        if (ref.serves) {
          const served = await gateway.discover(ref.serves.apiVersion, ref.serves.kind, { fresh: true });
          return {
            object: describeRef(ref),
            ready: Boolean(served),
            message: served ? `serves ${ref.serves.kind}` : 'not served yet',
          };
        }
        return healthOf(ref, await read(ref));
      }),
    );

  const apply = async (objects: KubeObject[]) => {
    for (const object of objects) {
      const info = await infoOf(object);
      // A custom resource right after its CRD: the API server serves the kind in a moment.
      if (!info)
        throw new KubeError(
          'NotFound',
          `the cluster does not serve ${object.apiVersion} ${object.kind} yet (its CRD was just applied, or another component provides it)`,
        );
      const namespace = info.namespaced ? (object.metadata.namespace ?? 'default') : undefined;
      const { namespace: _ignored, ...metadata } = object.metadata;
      await gateway.applyAs(info, { ...object, metadata: namespace ? { ...metadata, namespace } : metadata });
    }
  };

  /** Objects another component still holds (a shared namespace): never deleted for this one. */
  const heldByOthers = (name: ComponentName) => {
    const held = componentsRepository
      .all(db)
      .filter((row) => row.name !== name && row.desired === 'installed')
      .flatMap((row) => row.applied);
    return (ref: ObjectRef) =>
      held.some((h) => describeRef(h) === describeRef(ref) && h.apiVersion === ref.apiVersion);
  };

  const remove = async (name: ComponentName, refs: ObjectRef[]) => {
    const held = heldByOthers(name);
    const owned = refs.filter(
      (ref) => !held(ref) && !(ref.kind === 'Namespace' && SYSTEM_NAMESPACES.has(ref.name)),
    );
    for (const ref of sortForDelete(owned)) {
      const info = await infoOf(ref);
      if (info)
        await gateway.deleteAs(info, {
          ...ref,
          metadata: { name: ref.name, namespace: info.namespaced ? ref.namespace : undefined },
        });
    }
    const left: ObjectRef[] = [];
    for (const ref of owned) if (await read(ref)) left.push(ref);
    return left;
  };

  const record = (
    row: ComponentRow,
    state: ComponentState,
    values: Parameters<typeof componentsRepository.record>[2],
  ) => {
    const action = row.action;
    const finished =
      action?.status === 'in-progress' &&
      ((state === 'ready' && row.desired === 'installed') ||
        (state === 'absent' && row.desired === 'uninstalled'));
    componentsRepository.record(db, row.name, {
      state,
      observedAt: new Date(),
      ...values,
      ...(finished
        ? { action: { ...action, status: 'completed', completedAt: new Date().toISOString() } }
        : {}),
    });
  };

  const reconcile = async (name: ComponentName): Promise<{ requeueAfterMs: number } | undefined> => {
    const row = componentsRepository.find(db, name);
    if (!row) return undefined;
    const entry = catalogue[name];

    if (row.desired === 'uninstalled') {
      if (row.state === 'absent' && row.observedGeneration === row.generation) return undefined;
      const left = await remove(name, row.applied);
      if (left.length > 0) {
        record(row, 'uninstalling', {
          syncError: null,
          health: left.map((ref) => ({ object: describeRef(ref), ready: false, message: 'being deleted' })),
        });
        return { requeueAfterMs: pollMs };
      }
      record(row, 'absent', {
        applied: [],
        health: [],
        installedVersion: null,
        syncError: null,
        observedGeneration: row.generation,
      });
      return undefined;
    }

    const version = findVersion(entry, row.version, row.variant ?? undefined);
    if (!version)
      throw new ComponentFailure(
        `${entry.title} ${row.version}${row.variant ? ` (${row.variant})` : ''} is not in the catalogue: choose one of ${entry.versions.map((v) => v.version).join(', ')}`,
      );
    for (const dep of entry.dependsOn) {
      const depRow = componentsRepository.find(db, dep);
      if (depRow?.desired === 'installed' && depRow.state !== 'ready') {
        record(row, 'installing', {
          syncError: null,
          health: [
            {
              object: `component ${dep}`,
              ready: false,
              message: `waiting for ${catalogue[dep].title} to be ready`,
            },
          ],
        });
        return { requeueAfterMs: pollMs };
      }
    }

    const expects = version.expects ?? [];
    let applied = row.applied;
    let appliedNow = false;
    const installFully = async () => {
      const objects = await componentObjects(
        catalogue,
        name,
        version,
        load,
        installationId,
        options.generated?.() ?? {},
      );
      await apply(objects);
      const refs = objects.map(refOf);
      // An upgrade drops what the new version no longer has.
      await remove(name, leftBehind(row.applied, refs));
      applied = refs;
      appliedNow = true;
      componentsRepository.record(db, name, {
        applied: refs,
        installedVersion: version.version,
        observedGeneration: row.generation,
        syncError: null,
      });
    };
    if (!entry.checkOnly && row.observedGeneration !== row.generation) await installFully();
    let items = await health([...applied.filter(carriesHealth), ...expects]);
    // Drift: an object of the installed version is gone; apply the version again (repair).
    const missing = items.some(
      (item) => item.message === 'not found' && !expects.some((e) => describeRef(e) === item.object),
    );
    if (!entry.checkOnly && !appliedNow && missing) {
      logger.info(
        { component: 'provisioner', name },
        'objects of an installed component are missing; applying it again',
      );
      await installFully();
      items = await health([...applied.filter(carriesHealth), ...expects]);
    }
    const ready = items.every((item) => item.ready);
    const wasReady = row.state === 'ready' || row.state === 'degraded';
    const state: ComponentState = ready ? 'ready' : wasReady && !appliedNow ? 'degraded' : 'installing';
    record(row, state, { health: items, syncError: null });
    if (ready && row.state !== 'ready') options.onKindsServed?.();
    return ready ? undefined : { requeueAfterMs: state === 'degraded' ? options.intervalMs : pollMs };
  };

  const fail = (name: ComponentName, message: string) => {
    const row = componentsRepository.find(db, name);
    if (!row) return;
    const action = row.action?.status === 'in-progress' ? row.action : null;
    componentsRepository.record(db, name, {
      state: 'error',
      syncError: message,
      observedAt: new Date(),
      // Waits for a change of intent (install again, another version, repair, uninstall).
      observedGeneration: row.generation,
      ...(action
        ? { action: { ...action, status: 'errored', error: message, completedAt: new Date().toISOString() } }
        : {}),
    });
  };

  const observe = async () => {
    try {
      const before = new Set(componentsRepository.capabilities(db)?.crds ?? []);
      const after = await observeCapabilities(store, gateway, catalogue);
      // A kind served now that was not: also when installed by other means than Uncloud.
      if (after.crds.some((crd) => !before.has(crd))) options.onKindsServed?.();
    } catch (error) {
      logger.debug(
        { component: 'provisioner', err: (error as Error).message },
        'could not look at the cluster',
      );
    }
  };

  const queue = new WorkQueue(
    async (name) => {
      if (!options.isLeader()) return undefined;
      try {
        const result = await reconcile(name as ComponentName);
        await observe();
        return result;
      } catch (error) {
        const { message, terminal } = explain(error);
        if (terminal) {
          fail(name as ComponentName, message);
          logger.warn(
            { component: 'provisioner', name, err: message },
            'component failed; waiting for a change of intent',
          );
          return undefined;
        }
        componentsRepository.record(db, name as ComponentName, {
          syncError: message,
          observedAt: new Date(),
        });
        throw error;
      }
    },
    { concurrency: 2, baseBackoffMs: 200, maxBackoffMs: 30_000 },
  );

  const pass = async () => {
    if (!options.isLeader()) return;
    const rows = componentsRepository.all(db);
    const caps = componentsRepository.capabilities(db);
    // A cluster that has what creates need and no component of Uncloud's costs nothing per pass
    // (the engine's steady state stays request-free); otherwise look again.
    if (rows.length > 0 || !caps || requiredComponents.some((name) => !caps.present.includes(name)))
      await observe();
    for (const row of rows)
      if (
        !(row.state === 'error' && row.observedGeneration === row.generation) &&
        !(row.state === 'absent' && row.desired === 'uninstalled')
      )
        queue.add(row.name);
  };

  let timer: NodeJS.Timeout | undefined;
  return {
    /** Looks at a component soon (after an API write). */
    enqueue: (name: ComponentName) => queue.add(name),
    /** Health, drift and the cluster's capabilities: on the resync period. */
    pass,
    start() {
      timer = setInterval(() => void pass(), options.intervalMs);
      timer.unref();
      void pass();
    },
    async stop() {
      clearInterval(timer);
      await queue.stop();
    },
    idle: () => queue.idle(),
  };
};

export type ComponentReconciler = ReturnType<typeof createComponentReconciler>;
