import type { IntentStore } from '@uncloud/db';
import { type KindName, type KubeGateway, type KubeObject, KubeError, RESOURCE_ID } from '@uncloud/kube';
import { isTransitional } from '@uncloud/sdk';
import { directLookup } from './kinds/lookup.ts';
import {
  type KindReconciler,
  type ReconciledRow,
  type SyncSettings,
  sameObject,
  upToDate,
} from './kinds/types.ts';

const kindNameOf = (object: KubeObject) => object.kind as KindName;

export interface ConvergeContext {
  store: IntentStore;
  gateway: KubeGateway;
  settings: SyncSettings;
  /** How soon to look again at a resource that is still on its way (provisioning, deleting). */
  pollMs: number;
  onDriftCorrected?: (kind: string) => void;
}

export type FailureReason = 'Unavailable' | 'NameClash' | 'Forbidden' | 'Invalid' | 'Conflict' | 'Other';

/** A reconcile failure with a message meant for the resource's owner. */
export class SyncFailure extends Error {
  constructor(
    message: string,
    readonly reason: FailureReason = 'Other',
  ) {
    super(message);
  }

  /** True when the cause is the cluster being unreachable, not the resource. */
  get unavailable() {
    return this.reason === 'Unavailable';
  }
}

export type ConvergeResult = { requeueAfterMs: number } | undefined;

/** Explains a gateway failure in words for the resource's owner. */
export const describeFailure = (error: unknown, object?: KubeObject): SyncFailure => {
  if (error instanceof SyncFailure) return error;
  if (error instanceof KubeError) {
    const what = object
      ? `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`
      : 'the cluster';
    if (error.kind === 'Unavailable')
      return new SyncFailure(`the cluster could not be reached (${error.message}); retrying`, 'Unavailable');
    if (error.kind === 'Forbidden')
      return new SyncFailure(`Kubernetes refused ${what}: ${error.message}`, 'Forbidden');
    if (error.kind === 'Invalid')
      return new SyncFailure(`Kubernetes rejected ${what} as invalid: ${error.message}`, 'Invalid');
    if (error.kind === 'Conflict')
      return new SyncFailure(`${what} changed while being written: ${error.message}; retrying`, 'Conflict');
    return new SyncFailure(`${what}: ${error.message}`);
  }
  return new SyncFailure(error instanceof Error ? error.message : String(error));
};

/**
 * Creates an object with server-side apply, so that every field we set is owned by our Apply and a
 * later apply that leaves a field out removes it (a field set by a plain create stays forever). An
 * object of that name we do not manage is never taken over.
 */
const createByApply = async (gateway: KubeGateway, id: string, want: KubeObject) => {
  const existing = await gateway.get(kindNameOf(want), want.metadata.namespace, want.metadata.name);
  if (existing && existing.metadata.labels?.[RESOURCE_ID] !== id)
    throw new SyncFailure(
      `a ${want.kind} named ${want.metadata.name} already exists${want.metadata.namespace ? ` in ${want.metadata.namespace}` : ''} and is not managed by Uncloud; remove or rename it`,
      'NameClash',
    );
  return gateway.apply(want);
};

/**
 * Makes the cluster match one resource's intent, given the objects that exist for it: creates what
 * is missing, re-applies what drifted, deletes what intent no longer wants, and writes the runtime
 * facts, state and applied generation back. Level-based: it trusts only what it was given.
 */
export const converge = async (
  ctx: ConvergeContext,
  reconciler: KindReconciler,
  row: ReconciledRow,
  observed: KubeObject[],
): Promise<ConvergeResult> => {
  const { store, gateway } = ctx;
  const owned = observed.filter((o) => (reconciler.ownedKinds as string[]).includes(o.kind));

  if (row.state === 'deleting') {
    if (owned.length === 0) {
      reconciler.remove(store.db, row.id);
      return undefined;
    }
    for (const object of owned) if (!object.metadata.deletionTimestamp) await gateway.delete(object);
    return { requeueAfterMs: ctx.pollMs };
  }

  const desired = reconciler.desired(directLookup(store.db), row, ctx.settings);
  if ('waitingFor' in desired) return { requeueAfterMs: ctx.pollMs };

  const current: KubeObject[] = observed.filter((o) => !owned.includes(o));
  for (const want of desired.objects) {
    const have = owned.find((o) => sameObject(o, want));
    try {
      if (!have) {
        current.push(await createByApply(gateway, row.id, want));
      } else if (upToDate(have, want)) {
        current.push(have);
      } else {
        current.push(await gateway.apply(want));
        // Intent unchanged since the last apply means someone changed the object behind our back.
        if (row.observedGeneration === row.generation) ctx.onDriftCorrected?.(reconciler.kind);
      }
    } catch (error) {
      throw describeFailure(error, want);
    }
  }
  for (const extra of owned.filter((o) => !desired.objects.some((want) => sameObject(o, want)))) {
    await gateway.delete(extra);
  }

  const observation = reconciler.observe(row, current);
  reconciler.record(store.db, row.id, {
    ...observation.values,
    state: observation.state,
    observedGeneration: row.generation,
    observedAt: new Date(),
    syncError: null,
  });
  return isTransitional(observation.state) ? { requeueAfterMs: ctx.pollMs } : undefined;
};
