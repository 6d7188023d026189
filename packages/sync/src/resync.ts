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
>;

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
  settled?: Map<string, string>;
  /**
   * Moves with every write of intent the engine is told of: related intent (keys, tags, quotas,
   * firewalls) a row's objects depend on may have changed, so nothing settled before is trusted.
   */
  intentEpoch?: number;
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
 * What a settled row's verdict rests on: the intent written so far (`intentEpoch`), the row's
 * generations, state and error, and the versions of its objects. While the mark holds, the row
 * needs no pass and its objects say what was recorded, so a no-op pass costs a string per row
 * instead of building and comparing its manifests.
 */
const settledMark = (epoch: number, row: ResyncHead, objects: KubeObject[]) =>
  `${epoch}|${row.generation}|${row.observedGeneration}|${row.state}|${row.syncError ?? ''}|${objects
    .map((o) => `${o.kind}/${o.metadata.name}@${o.metadata.resourceVersion ?? ''}`)
    .sort()
    .join(',')}`;

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

/** The plan, one object or row per step. */
function* planSteps(lists: KubeObject[], rows: ResyncRows, ctx: ResyncContext): Steps<ResyncPlan> {
  const { installationId } = ctx.settings;
  const installationOf = (object: KubeObject) => object.metadata.labels?.[INSTALLATION];
  const byResource = new Map<string, KubeObject[]>();
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
    yield;
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

  for (const reconciler of Object.values(reconcilers)) {
    const unchanged: IntentId[] = [];
    // First the heads: what is settled as before needs nothing more; the rest is judged whole.
    const toJudge: ResyncHead[] = [];
    for (const head of rows[reconciler.kind] ?? []) {
      yield;
      known.add(head.id);
      const key = keyOf(reconciler.kind, head.id);
      if (ctx.failedForGood?.get(key) === head.generation) continue;
      // Its reconcile says why it cannot be judged (and is then left alone, or retried).
      if (ctx.unjudged?.has(reconciler.kind)) {
        plan.queue.push(key);
        continue;
      }
      const mark = ctx.settled
        ? settledMark(ctx.intentEpoch ?? 0, head, byResource.get(head.id) ?? [])
        : undefined;
      if (mark !== undefined && ctx.settled?.get(key) === mark) {
        unchanged.push(head.id);
        continue;
      }
      ctx.settled?.delete(key);
      toJudge.push(head);
    }
    const whole = ctx.load ? ctx.load(reconciler.kind, toJudge) : (toJudge as ReconciledRow[]);
    for (const row of whole) {
      yield;
      const key = keyOf(reconciler.kind, row.id);
      const objects = byResource.get(row.id) ?? [];
      const mark = ctx.settled ? settledMark(ctx.intentEpoch ?? 0, row, objects) : undefined;
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
    yield;
  }
  return plan;
}
