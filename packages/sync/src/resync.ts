import { INSTALLATION, type KubeObject, RESOURCE_ID } from '@uncloud/kube';
import { isTransitional } from '@uncloud/sdk';
import { type IntentId, type Key, keyOf } from './keys.ts';
import { runAtOnce, runInSlices, type Steps } from './slices.ts';
import { reconcilers } from './kinds/index.ts';
import type { IntentLookup } from './kinds/lookup.ts';
import {
  type IntentKind,
  type KindReconciler,
  type ReconciledRow,
  type SyncSettings,
  desiredOf,
  sameObject,
  upToDate,
} from './kinds/types.ts';

/** A row's sync bookkeeping: all a pass needs of a row it found settled before. */
export type ResyncHead = Pick<
  ReconciledRow,
  'id' | 'state' | 'generation' | 'observedGeneration' | 'syncError'
> & {
  /** The project the row belongs to (unset for a project's own row: its id). */
  projectId?: string;
};

/**
 * Every intent row, by kind, as the resync pass reads them: whole rows, or only their heads when
 * the context can `load` the whole rows of those it must judge.
 */
export type ResyncRows = { [K in IntentKind]?: ResyncHead[] };

export interface ResyncContext {
  lookup: IntentLookup;
  settings: SyncSettings;
  /** Per key, the generation whose reconcile failed for good: such rows are left alone. */
  failedForGood?: ReadonlyMap<string, number>;
  /**
   * What earlier passes found settled, to skip judging it again (see `settledMark`): per key, the
   * mark of a row that needed nothing and was observed as recorded. Read and updated by the pass.
   */
  settled?: Map<string, SettledMark>;
  /**
   * A number that changes whenever any object of the resource does (the informers' cache keeps
   * one, `ObjectCache.versionOf`): a settled row is then checked without looking at its objects.
   * Unset: their resource versions are compared.
   */
  objectsVersion?: (resourceId: string) => number | undefined;
  /**
   * Moves with every write of intent the engine is told of: related intent (keys, tags, quotas,
   * firewalls) a row's objects depend on may have changed, so nothing settled before is trusted.
   */
  intentEpoch?: number;
  /**
   * The same, per project: moves with every write of intent in the project. Everything a row's
   * objects depend on (keys, tags, quotas, firewalls, attached databases) is of its own project, so
   * a write elsewhere leaves its verdict standing.
   */
  projectEpoch?: (projectId: string) => number;
  /**
   * Kinds whose objects the cache cannot hold (the cluster refuses to list one of their Kubernetes
   * kinds): their rows are queued for their reconcile to say so, never observed from the cache,
   * and still own their objects (never orphans).
   */
  unjudged?: ReadonlySet<IntentKind>;
  /**
   * The whole rows of these heads (those gone since are left out). Unset: `rows` are whole rows.
   * A pass over rows it found settled before loads none: reading and parsing 10 000 whole rows
   * is most of what a no-op pass would otherwise cost.
   */
  load?: (kind: IntentKind, heads: ResyncHead[]) => ReconciledRow[];
}

/**
 * What a settled row's verdict rests on: the intent written so far (`intentEpoch` plus its
 * project's `projectEpoch`: both only grow, so the sum moves when either does), the row's
 * generations, state and error, and the version of its objects. While the mark holds, the row
 * needs no pass and its objects say what was recorded, so a no-op pass compares a few numbers per
 * row instead of building and comparing its manifests.
 */
export interface SettledMark {
  epoch: number;
  generation: number;
  observedGeneration: number;
  state: string;
  syncError: string | null;
  /** The version of the row's objects (`ResyncContext.objectsVersion`, or their own versions). */
  objects: number | string;
}

const markOf = (epoch: number, row: ResyncHead, objects: number | string): SettledMark => ({
  epoch,
  generation: row.generation,
  observedGeneration: row.observedGeneration,
  state: row.state,
  syncError: row.syncError,
  objects,
});

/** Whether `mark` still holds for the row and its objects (without allocating a new mark). */
const holds = (mark: SettledMark | undefined, epoch: number, row: ResyncHead, objects: number | string) =>
  mark !== undefined &&
  mark.epoch === epoch &&
  mark.generation === row.generation &&
  mark.observedGeneration === row.observedGeneration &&
  mark.state === row.state &&
  mark.syncError === row.syncError &&
  mark.objects === objects;

/** The objects' own versions, as one string: what a context without `objectsVersion` compares. */
const versionsOf = (objects: KubeObject[]) =>
  objects
    .map((o) => `${o.kind}/${o.metadata.name}@${o.metadata.resourceVersion ?? ''}`)
    .sort()
    .join(',');

/** Rows or objects a pass handles between two chances to hand the loop back (see slices.ts). */
const STEP = 32;

/** Runtime facts to write back for a row that needs no converge pass. */
export interface ResyncObservation {
  kind: IntentKind;
  id: IntentId;
  values: Record<string, unknown> & { state: string; observedGeneration: number; syncError: null };
}

export interface ResyncPlan {
  /** Keys to reconcile: objects missing, drifted or extra, intent not yet applied, or on their way. */
  queue: Key[];
  /** Rows whose observed facts changed: written back without a converge pass. */
  observations: ResyncObservation[];
  /** Rows observed exactly as recorded: only their observation time moves. */
  unchanged: { kind: IntentKind; ids: IntentId[] }[];
  /**
   * Objects of this installation, of a kind we own, whose resource has no row: to delete (see
   * `guardOrphans`). Without an installation id, every managed object counts as ours.
   */
  orphans: KubeObject[];
  /** Objects of this installation of the kinds we own (not already going): what orphans are a share of. */
  managed: number;
  /** Managed objects another installation wrote: never queued, observed nor collected. */
  otherInstallations: number;
}

/** Up to this many orphans a pass always deletes, whatever their share. */
export const ORPHAN_HANDFUL = 5;

/**
 * The guard against an empty or wrong database: a pass that would delete more than a handful of
 * orphans and more than `maxShare` of the installation's managed objects deletes none of them.
 */
export const guardOrphans = (
  plan: Pick<ResyncPlan, 'orphans' | 'managed'>,
  maxShare: number,
): { delete: KubeObject[]; withheld: number } => {
  const count = plan.orphans.length;
  return count > ORPHAN_HANDFUL && count > maxShare * plan.managed
    ? { delete: [], withheld: count }
    : { delete: plan.orphans, withheld: 0 };
};

/** Whether a resource needs a converge pass, judged from a resync snapshot without any request. */
export const needsWork = (
  lookup: IntentLookup,
  settings: SyncSettings,
  reconciler: KindReconciler,
  row: ReconciledRow,
  observed: KubeObject[],
) => {
  if (row.state === 'deleting' || row.generation !== row.observedGeneration || row.syncError) return true;
  const desired = desiredOf(reconciler, lookup, row, settings);
  if ('waitingFor' in desired) return true;
  const owned = observed.filter((o) => (reconciler.ownedKinds as string[]).includes(o.kind));
  if (owned.length !== desired.objects.length) return true;
  return desired.objects.some((want) => {
    const have = owned.find((o) => sameObject(o, want));
    return !have || !upToDate(have, want);
  });
};

/**
 * Decides a resync pass from one snapshot of the cluster (`lists`: every managed object) and of
 * intent (`rows`), without a request or a write: which keys to reconcile, which runtime facts to
 * copy back, and which objects no intent owns. Kinds are visited projects first, so that namespaces
 * are queued before what goes in them.
 */
export const planResync = (lists: KubeObject[], rows: ResyncRows, ctx: ResyncContext): ResyncPlan =>
  runAtOnce(planSteps(lists, rows, ctx));

/**
 * planResync without holding the event loop: over 10 000 rows the diff takes longer than a request
 * may wait, so it hands the loop back every few milliseconds (see slices.ts).
 */
export const planResyncInSlices = (
  lists: KubeObject[],
  rows: ResyncRows,
  ctx: ResyncContext,
  sliceMs?: number,
): Promise<ResyncPlan> => runInSlices(planSteps(lists, rows, ctx), sliceMs);

/** Rows a pass loads whole at once: loading thousands would hold the loop (see slices.ts). */
const LOAD_CHUNK = 50;

/** The whole rows of `heads`, loaded a chunk at a time as the pass reaches them. */
function* loadInChunks(ctx: ResyncContext, kind: IntentKind, heads: ResyncHead[]): Generator<ReconciledRow> {
  if (!ctx.load) return yield* heads as ReconciledRow[];
  for (let i = 0; i < heads.length; i += LOAD_CHUNK) yield* ctx.load(kind, heads.slice(i, i + LOAD_CHUNK));
}

/** The plan, one object or row per step. */
function* planSteps(lists: KubeObject[], rows: ResyncRows, ctx: ResyncContext): Steps<ResyncPlan> {
  const { installationId } = ctx.settings;
  const installationOf = (object: KubeObject) => object.metadata.labels?.[INSTALLATION];
  const byResource = new Map<string, KubeObject[]>();
  let steps = 0;
  const objectsVersion = (id: string) =>
    ctx.objectsVersion ? (ctx.objectsVersion(id) ?? 0) : versionsOf(byResource.get(id) ?? []);
  let otherInstallations = 0;
  for (const object of lists) {
    const owner = installationOf(object);
    // Another installation's object is none of our business. One without the label (written
    // before installations had ids) still belongs to the row of its resource id, if there is one.
    if (installationId && owner !== undefined && owner !== installationId) {
      otherInstallations++;
      continue;
    }
    const id = object.metadata.labels?.[RESOURCE_ID];
    if (!id) continue;
    const objects = byResource.get(id);
    if (objects) objects.push(object);
    else byResource.set(id, [object]);
    if (++steps % STEP === 0) yield;
  }
  const plan: ResyncPlan = {
    queue: [],
    observations: [],
    unchanged: [],
    orphans: [],
    managed: 0,
    otherInstallations,
  };
  const known = new Set<string>();
  const epochOf = (kind: IntentKind, row: ResyncHead) =>
    (ctx.intentEpoch ?? 0) + (ctx.projectEpoch?.(kind === 'project' ? row.id : (row.projectId ?? '')) ?? 0);

  for (const reconciler of Object.values(reconcilers)) {
    const unchanged: IntentId[] = [];
    // First the heads: what is settled as before needs nothing more; the rest is judged whole.
    const toJudge: ResyncHead[] = [];
    for (const head of rows[reconciler.kind] ?? []) {
      if (++steps % STEP === 0) yield;
      known.add(head.id);
      const key = keyOf(reconciler.kind, head.id);
      if (ctx.failedForGood?.get(key) === head.generation) continue;
      // Its reconcile says why it cannot be judged (and is then left alone, or retried).
      if (ctx.unjudged?.has(reconciler.kind)) {
        plan.queue.push(key);
        continue;
      }
      if (
        ctx.settled &&
        holds(ctx.settled.get(key), epochOf(reconciler.kind, head), head, objectsVersion(head.id))
      ) {
        unchanged.push(head.id);
        continue;
      }
      ctx.settled?.delete(key);
      toJudge.push(head);
    }
    for (const row of loadInChunks(ctx, reconciler.kind, toJudge)) {
      yield;
      const key = keyOf(reconciler.kind, row.id);
      const objects = byResource.get(row.id) ?? [];
      const mark = ctx.settled
        ? markOf(epochOf(reconciler.kind, row), row, objectsVersion(row.id))
        : undefined;
      if (needsWork(ctx.lookup, ctx.settings, reconciler, row, objects)) {
        plan.queue.push(key);
        continue;
      }
      const observation = reconciler.observe(row, objects, ctx.settings);
      const current: Record<string, unknown> = { ...row };
      if (
        row.state === observation.state &&
        Object.entries(observation.values).every(([k, v]) => current[k] === v)
      ) {
        unchanged.push(row.id);
        if (mark !== undefined && !isTransitional(observation.state)) ctx.settled?.set(key, mark);
      } else {
        plan.observations.push({
          kind: reconciler.kind,
          id: row.id,
          values: {
            ...observation.values,
            state: observation.state,
            observedGeneration: row.generation,
            syncError: null,
          },
        });
      }
      if (isTransitional(observation.state)) plan.queue.push(key);
    }
    if (unchanged.length > 0) plan.unchanged.push({ kind: reconciler.kind, ids: unchanged });
  }
  // Rows gone since: nothing to remember of them.
  if (ctx.settled)
    for (const key of ctx.settled.keys()) {
      const id = key.slice(key.indexOf(':') + 1);
      if (!known.has(id)) ctx.settled.delete(key);
    }

  const ownedKinds = new Set<string>(Object.values(reconcilers).flatMap((r) => r.ownedKinds));
  // Only objects that say they are this installation's are ever collected.
  const collectable = (o: KubeObject) =>
    ownedKinds.has(o.kind) &&
    !o.metadata.deletionTimestamp &&
    (installationId === undefined || installationOf(o) === installationId);
  for (const [id, objects] of byResource) {
    const ours = objects.filter(collectable);
    plan.managed += ours.length;
    if (!known.has(id)) plan.orphans.push(...ours);
    if (++steps % STEP === 0) yield;
  }
  return plan;
}
