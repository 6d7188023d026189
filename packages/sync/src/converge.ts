import type { IntentStore } from '@uncloud/db';
import {
  type KindName,
  type KubeGateway,
  type KubeObject,
  KubeError,
  RESOURCE_ID,
  RESOURCE_KIND,
} from '@uncloud/kube';
import { type ResourceKind, resourceKinds } from '@uncloud/sdk';
import { directLookup } from './kinds/lookup.ts';
import {
  ADOPT,
  CREATE_ONLY,
  type IntentKind,
  type KindReconciler,
  type ReconciledRow,
  type SyncSettings,
  desiredOf,
  sameObject,
  upToDate,
} from './kinds/types.ts';

const kindNameOf = (object: KubeObject) => object.kind as KindName;

export interface ConvergeContext {
  store: IntentStore;
  gateway: KubeGateway;
  settings: SyncSettings;
  onDriftCorrected?: (kind: IntentKind) => void;
}

/**
 * Why a reconcile failed. `QuotaExceeded` and `Terminating` are refusals that lift on their own (room
 * in the quota, a namespace done terminating); `Invalid`, `Forbidden` and `NameClash` do not.
 */
export type FailureReason =
  | 'Unavailable'
  | 'NameClash'
  | 'Forbidden'
  | 'QuotaExceeded'
  | 'Terminating'
  | 'Invalid'
  | 'Conflict'
  | 'Other';

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

/**
 * What is left to wait for. Nothing is polled: a resource on its way (provisioning, deleting) is
 * looked at again when the watch of its objects reports a change, and one waiting for its project's
 * namespace when the project is reconciled.
 */
export type ConvergeResult = { waitingFor: 'namespace' } | undefined;

/** The resource an object belongs to, as its owner calls it: "droplet", "project". */
const ownerNoun = (object: KubeObject | undefined): string | undefined => {
  const kind = object?.metadata.labels?.[RESOURCE_KIND];
  if (!kind) return undefined;
  if (kind === 'quota') return "project's quota";
  return kind in resourceKinds ? resourceKinds[kind as ResourceKind].label : kind;
};

/** What failed, in words: "the droplet's VirtualMachine", else the object or "the cluster". */
const subjectOf = (error: KubeError, object: KubeObject | undefined) => {
  const owner = ownerNoun(object);
  if (object && owner) return `the ${owner}'s ${object.kind}`;
  if (object) return `${object.kind} ${object.metadata.name}`;
  if (error.objectKind && error.objectName) return `${error.objectKind} ${error.objectName}`;
  return error.objectKind ? `${error.objectKind} objects` : 'the cluster';
};

/** The API server's reasons: the fields it refused when it named them, else its message. */
const reasons = (error: KubeError) =>
  error.causes.length > 0
    ? error.causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).join('; ')
    : error.detail;

/**
 * Explains a gateway failure in words for the resource's owner: what failed and what to do about
 * it. The gateway's errors carry no REST paths; neither does this.
 */
export const describeFailure = (error: unknown, object?: KubeObject): SyncFailure => {
  if (error instanceof SyncFailure) return error;
  if (!(error instanceof KubeError))
    return new SyncFailure(error instanceof Error ? error.message : String(error));
  const what = subjectOf(error, object);
  const owner = ownerNoun(object);
  const fail = (message: string, reason?: FailureReason) => {
    const failure = new SyncFailure(message, reason);
    failure.cause = error;
    return failure;
  };
  switch (error.kind) {
    case 'Unavailable':
      if (error.status === undefined)
        return fail('the cluster could not be reached; retrying', 'Unavailable');
      if (error.status === 429)
        return fail('the cluster is too busy to answer (too many requests); retrying', 'Unavailable');
      return fail(`the cluster could not handle the request (${error.detail}); retrying`, 'Unavailable');
    case 'Invalid':
      return fail(
        `Kubernetes refused ${what}: ${reasons(error)} — change the ${owner ?? 'resource'}'s settings`,
        'Invalid',
      );
    case 'Forbidden':
      if (error.status === 401)
        return fail(
          'the cluster did not accept Uncloud’s credentials; check the kubeconfig or service account Uncloud runs with',
          'Forbidden',
        );
      if (/exceeded quota/i.test(error.detail))
        return fail(
          `Kubernetes refused ${what}: ${error.detail} — the project's quota in the cluster is used up; retrying until there is room`,
          'QuotaExceeded',
        );
      if (/being terminated|NamespaceTerminating/i.test(error.detail))
        return fail(
          `Kubernetes refused ${what}: ${error.detail} (the project is being deleted); retrying`,
          'Terminating',
        );
      return fail(
        `Kubernetes refused ${what}: ${error.detail} — Uncloud's account in the cluster may lack the permission; check its RBAC`,
        'Forbidden',
      );
    case 'Conflict':
      return fail(`${what} changed while Uncloud was writing it; retrying`, 'Conflict');
    case 'NotFound':
      if (/could not find the requested resource/i.test(error.detail) && error.objectKind)
        return fail(
          `the cluster does not serve ${error.objectKind} objects; ask its administrator to install what provides them`,
        );
      return fail(`Kubernetes could not find ${what}: ${error.detail}; retrying`);
    case 'Gone':
      return fail('the cluster answered from out-of-date data; retrying');
    default:
      return fail(`Kubernetes could not ${error.verb ?? 'handle'} ${what}: ${error.detail}`);
  }
};

/**
 * Creates an object with server-side apply, so that every field we set is owned by our Apply and a
 * later apply that leaves a field out removes it (a field set by a plain create stays forever). An
 * object of that name we do not manage is never taken over.
 */
const createByApply = async (gateway: KubeGateway, id: string, want: KubeObject) => {
  const existing = await gateway.get(kindNameOf(want), want.metadata.namespace, want.metadata.name);
  const adoptable =
    want.metadata.annotations?.[ADOPT] === 'true' && existing?.metadata.labels?.[RESOURCE_ID] === undefined;
  if (existing && existing.metadata.labels?.[RESOURCE_ID] !== id && !adoptable)
    throw new SyncFailure(
      `a ${want.kind} named ${want.metadata.name} already exists${want.metadata.namespace ? ` in ${want.metadata.namespace}` : ''} and is not managed by Uncloud; remove or rename it`,
      'NameClash',
    );
  // Created already, though not yet seen (a stale view): a generated secret is never made again.
  if (existing && want.metadata.annotations?.[CREATE_ONLY] === 'true' && upToDate(existing, want))
    return existing;
  return gateway.apply(want);
};

/**
 * Makes the cluster match one resource's intent, given the objects that exist for it: creates what
 * is missing, re-applies what drifted, deletes what intent no longer wants, and writes the runtime
 * facts, state and applied generation back. Level-based: it trusts only what it was given (the
 * engine gives it the objects of the informers' cache, and its own writes go into that cache).
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
    return undefined;
  }

  const desired = desiredOf(reconciler, directLookup(store.db), row, ctx.settings);
  if ('waitingFor' in desired) return { waitingFor: 'namespace' };

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

  const observation = reconciler.observe(row, current, ctx.settings);
  reconciler.record(store.db, row.id, {
    ...observation.values,
    state: observation.state,
    observedGeneration: row.generation,
    observedAt: new Date(),
    syncError: observation.error ?? null,
  });
  return undefined;
};
