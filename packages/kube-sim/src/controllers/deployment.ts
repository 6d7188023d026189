// The simulated deployment controller, after k8s.io/kubernetes pkg/controller/deployment: a rolling
// update scales the new ReplicaSet up and the old ones down within maxSurge/maxUnavailable, a
// Recreate one empties the old ones first; paused Deployments only scale; revisions, rollbacks
// (a template that matches an old ReplicaSet revives it as the next revision), history cleanup,
// and the status and conditions as the real controller writes them.
import { clone, controllerOf, ownerRef } from '../meta.ts';
import { deepEqual } from '../patch.ts';
import type { ObjectApi } from '../object-api.ts';
import type { ResourceType, StoredObject } from '../types.ts';
import {
  REVISION,
  active,
  deploymentComplete,
  deploymentProgressing,
  findNewReplicaSet,
  getCondition,
  isRolling,
  maxSurge,
  maxUnavailable,
  newCondition,
  oldestFirst,
  progressLeftMs,
  removeCondition,
  replicasOf,
  revisionOf,
  setCondition,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  specReplicas,
  statusReplicas,
  templateHash,
} from './deployment-util.ts';
import { objKey, splitKey, type Controller, type ReconcileResult } from './manager.ts';
import { deleteIgnoringMissing, emitEvent, mustType, type Condition } from './util.ts';

interface Sync {
  api: ObjectApi;
  dType: ResourceType;
  rsType: ResourceType;
  /** The Deployment as last written (its status is the controller's working copy). */
  d: StoredObject;
  /** Every ReplicaSet it controls, kept current as they are written. */
  rss: StoredObject[];
  /** The uid of the ReplicaSet whose template is the Deployment's, once looked up (null: none). */
  newUid?: string | null;
}

/** The ReplicaSet of the Deployment's current template, looked up once per sync. */
function findNew(s: Sync): StoredObject | undefined {
  if (s.newUid === undefined) s.newUid = findNewReplicaSet(s.d, s.rss)?.metadata.uid ?? null;
  return s.newUid === null ? undefined : s.rss.find((r) => r.metadata.uid === s.newUid);
}

const nameOf = (o: StoredObject) => o.metadata.name ?? '';
const namespaceOf = (s: Sync) => s.d.metadata.namespace ?? '';

function replaceRs(s: Sync, rs: StoredObject): StoredObject {
  s.rss = s.rss.map((r) => (r.metadata.uid === rs.metadata.uid ? rs : r));
  return rs;
}

/**
 * Record the Deployment's status (and the revision annotation the real controller carries along in
 * the same status update). The real controller writes at each step of a sync; here the steps
 * update the working copy, and `flush` writes what changed once, at the end of the sync.
 */
function writeDeployment(s: Sync, status: Record<string, unknown>, revision?: string): void {
  const annotations =
    revision !== undefined && s.d.metadata.annotations?.[REVISION] !== revision
      ? { ...s.d.metadata.annotations, [REVISION]: revision }
      : s.d.metadata.annotations;
  s.d = { ...s.d, metadata: { ...s.d.metadata, annotations }, status };
}

/** Write the working copy's status and revision annotation, in one status update, if they changed. */
function flush(s: Sync, stored: StoredObject): void {
  const revision = s.d.metadata.annotations?.[REVISION];
  const revised = revision !== undefined && stored.metadata.annotations?.[REVISION] !== revision;
  if (!revised && deepEqual(stored.status, s.d.status)) return;
  const annotations = revised
    ? { ...stored.metadata.annotations, [REVISION]: revision }
    : stored.metadata.annotations;
  s.api.update(
    s.dType,
    namespaceOf(s),
    nameOf(stored),
    { ...stored, metadata: { ...stored.metadata, annotations }, status: s.d.status },
    { subresource: 'status' },
  );
}

/** Scale a ReplicaSet (and keep its replica annotations current); true when its size changed. */
function scaleRs(s: Sync, rs: StoredObject, size: number): boolean {
  const next = clone(rs);
  const resized = replicasOf(rs) !== size;
  const annotated = setReplicasAnnotations(next, replicasOf(s.d), replicasOf(s.d) + maxSurge(s.d));
  if (!resized && !annotated) return false;
  next.spec = { ...next.spec, replicas: size };
  replaceRs(s, s.api.update(s.rsType, namespaceOf(s), nameOf(rs), next));
  if (resized)
    emitEvent(
      s.api,
      s.d,
      'ScalingReplicaSet',
      `Scaled ${replicasOf(rs) < size ? 'up' : 'down'} replica set ${nameOf(rs)} from ${replicasOf(rs)} to ${size}`,
      'deployment-controller',
    );
  return resized;
}

const scaleIfNeeded = (s: Sync, rs: StoredObject, size: number) =>
  replicasOf(rs) !== size && scaleRs(s, rs, size);

/** The new ReplicaSet (found, revised, or created when `create`), and the old ones. */
function newAndOld(s: Sync, create: boolean): { newRs: StoredObject | undefined; old: StoredObject[] } {
  const found = findNew(s);
  const old = s.rss.filter((r) => r !== found);
  const revision = Math.max(0, ...old.map(revisionOf)) + 1;
  const status = clone(s.d.status ?? {}) as Record<string, unknown>;
  if (found) {
    const next = clone(found);
    const minReady = s.d.spec?.minReadySeconds as number | undefined;
    const annotated = setNewReplicaSetAnnotations(s.d, next, revision, true);
    if (annotated || next.spec?.minReadySeconds !== minReady) {
      next.spec = { ...next.spec, minReadySeconds: minReady };
      return { newRs: replaceRs(s, s.api.update(s.rsType, namespaceOf(s), nameOf(found), next)), old };
    }
    if (!getCondition(status, 'Progressing'))
      setCondition(
        status,
        newCondition('Progressing', 'True', 'FoundNewReplicaSet', `Found new replica set "${nameOf(found)}"`),
      );
    writeDeployment(s, status, found.metadata.annotations?.[REVISION]);
    return { newRs: s.rss.find((r) => r.metadata.uid === found.metadata.uid), old };
  }
  if (!create) return { newRs: undefined, old };
  const hash = templateHash(s.d.spec?.template);
  const template = clone(s.d.spec?.template ?? {});
  template.metadata = {
    ...template.metadata,
    labels: { ...template.metadata?.labels, 'pod-template-hash': hash },
  };
  const rs: StoredObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${nameOf(s.d)}-${hash}`,
      labels: template.metadata.labels,
      ownerReferences: [ownerRef(s.d)],
    },
    spec: {
      replicas: 0,
      minReadySeconds: s.d.spec?.minReadySeconds,
      selector: {
        ...s.d.spec?.selector,
        matchLabels: { ...s.d.spec?.selector?.matchLabels, 'pod-template-hash': hash },
      },
      template,
    },
  };
  const size = newReplicaCount(s.d, [...old, rs], rs);
  rs.spec = { ...rs.spec, replicas: size };
  setNewReplicaSetAnnotations(s.d, rs, revision, false);
  const created = s.api.create(s.rsType, namespaceOf(s), rs);
  s.rss = [...s.rss, created];
  s.newUid = created.metadata.uid;
  if (size > 0)
    emitEvent(
      s.api,
      s.d,
      'ScalingReplicaSet',
      `Scaled up replica set ${nameOf(created)} from 0 to ${size}`,
      'deployment-controller',
    );
  setCondition(
    status,
    newCondition(
      'Progressing',
      'True',
      'NewReplicaSetCreated',
      `Created new replica set "${nameOf(created)}"`,
    ),
  );
  writeDeployment(s, status, String(revision));
  return { newRs: created, old };
}

/** NewRSNewReplicas: how far the new ReplicaSet may grow now. */
function newReplicaCount(d: StoredObject, all: StoredObject[], newRs: StoredObject): number {
  if (!isRolling(d)) return replicasOf(d);
  const maxTotal = replicasOf(d) + maxSurge(d);
  const current = specReplicas(all);
  if (current >= maxTotal) return replicasOf(newRs);
  return replicasOf(newRs) + Math.min(maxTotal - current, replicasOf(d) - replicasOf(newRs));
}

function calculateStatus(
  s: Sync,
  all: StoredObject[],
  newRs: StoredObject | undefined,
): Record<string, unknown> {
  const available = statusReplicas(all, 'availableReplicas');
  const status: Record<string, unknown> = {
    observedGeneration: s.d.metadata.generation,
    replicas: statusReplicas(all, 'replicas'),
    updatedReplicas: newRs ? statusReplicas([newRs], 'replicas') : 0,
    readyReplicas: statusReplicas(all, 'readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, specReplicas(all) - available),
    collisionCount: s.d.status?.collisionCount,
    conditions: clone(s.d.status?.conditions ?? []),
  };
  setCondition(
    status,
    available >= replicasOf(s.d) - maxUnavailable(s.d)
      ? newCondition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
      : newCondition(
          'Available',
          'False',
          'MinimumReplicasUnavailable',
          'Deployment does not have minimum availability.',
        ),
  );
  return status;
}

/** The stored form: zero counters and absent fields are omitted, as the real API serializes them. */
function stored(status: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(status)) if (v !== undefined && v !== 0) out[k] = v;
  if ((out.conditions as unknown[] | undefined)?.length === 0) delete out.conditions;
  return out;
}

function replicaFailures(all: StoredObject[], newRs: StoredObject | undefined): Condition | undefined {
  const failure = (r: StoredObject | undefined) =>
    ((r?.status?.conditions ?? []) as Condition[]).find((c) => c.type === 'ReplicaFailure');
  const c = failure(newRs) ?? all.map(failure).find((x) => x !== undefined);
  return c && { ...c, lastUpdateTime: c.lastTransitionTime };
}

/** syncRolloutStatus: the status with the Progressing condition, then when to look again. */
function syncRolloutStatus(
  s: Sync,
  all: StoredObject[],
  newRs: StoredObject | undefined,
): ReconcileResult | void {
  const status = calculateStatus(s, all, newRs);
  const current = getCondition(s.d.status, 'Progressing');
  const rollout = newRs ? `ReplicaSet "${nameOf(newRs)}"` : `Deployment "${nameOf(s.d)}"`;
  const done = status.replicas === status.updatedReplicas && current?.reason === 'NewReplicaSetAvailable';
  if (!done) {
    if (deploymentComplete(s.d, status)) {
      setCondition(
        status,
        newCondition(
          'Progressing',
          'True',
          'NewReplicaSetAvailable',
          `${rollout} has successfully progressed.`,
        ),
      );
    } else if (deploymentProgressing(s.d, status)) {
      const c = newCondition('Progressing', 'True', 'ReplicaSetUpdated', `${rollout} is progressing.`);
      if (current?.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
      removeCondition(status, 'Progressing');
      setCondition(status, c);
    } else {
      const c = getCondition(status, 'Progressing');
      const timedOut =
        c !== undefined &&
        c.reason !== 'NewReplicaSetAvailable' &&
        (c.reason === 'ProgressDeadlineExceeded' || (progressLeftMs(s.d, status) ?? 1) < 0);
      if (timedOut)
        setCondition(
          status,
          newCondition(
            'Progressing',
            'False',
            'ProgressDeadlineExceeded',
            `${rollout} has timed out progressing.`,
          ),
        );
    }
  }
  const failure = replicaFailures(all, newRs);
  if (failure) setCondition(status, failure);
  else removeCondition(status, 'ReplicaFailure');
  writeDeployment(s, stored(status));
  // requeueStuckDeployment: look again when the progress deadline passes.
  const c = getCondition(s.d.status, 'Progressing');
  if (!c || deploymentComplete(s.d, status) || c.reason === 'ProgressDeadlineExceeded') return;
  const left = progressLeftMs(s.d, s.d.status ?? {});
  if (left !== undefined) return { requeueAfterMs: Math.max(left + 10, 100) };
}

/** Delete the oldest empty ReplicaSets beyond revisionHistoryLimit. */
function cleanup(s: Sync, old: StoredObject[]): void {
  const limit = s.d.spec?.revisionHistoryLimit as number | undefined;
  if (limit === undefined) return;
  const alive = old.filter((r) => !r.metadata.deletionTimestamp);
  const excess = alive.length - limit;
  if (excess <= 0) return;
  for (const r of [...alive].sort((a, b) => revisionOf(a) - revisionOf(b)).slice(0, excess)) {
    if (statusReplicas([r], 'replicas') !== 0 || replicasOf(r) !== 0) continue;
    if ((r.metadata.generation ?? 0) > ((r.status?.observedGeneration as number) ?? 0)) continue;
    deleteIgnoringMissing(s.api, s.rsType, r);
    s.rss = s.rss.filter((x) => x.metadata.uid !== r.metadata.uid);
  }
}

/** Scale without rolling: one active ReplicaSet takes the whole count, or all share it proportionally. */
function scale(s: Sync, newRs: StoredObject | undefined, old: StoredObject[]): void {
  const want = replicasOf(s.d);
  const all = active([...old, ...(newRs ? [newRs] : [])]);
  if (all.length <= 1) {
    const target = all[0] ?? newRs ?? oldestFirst(old).at(-1);
    if (target && replicasOf(target) !== want) scaleRs(s, target, want);
    return;
  }
  const annotatedDesired = (r: StoredObject) =>
    r.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'];
  if (
    newRs &&
    replicasOf(newRs) === want &&
    annotatedDesired(newRs) === String(want) &&
    statusReplicas([newRs], 'availableReplicas') === want
  ) {
    for (const r of active(old)) scaleRs(s, r, 0);
    return;
  }
  if (!isRolling(s.d)) return;
  const allowed = want > 0 ? want + maxSurge(s.d) : 0;
  const toAdd = allowed - specReplicas(all);
  // Larger first; on ties, newer first when growing, older first when shrinking.
  const sorted = [...all].sort((a, b) => {
    const bySize = replicasOf(b) - replicasOf(a);
    if (bySize !== 0) return bySize;
    const age = (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '');
    return toAdd > 0 ? -age : age;
  });
  let added = 0;
  const sizes = sorted.map((r) => {
    if (toAdd === 0) return replicasOf(r);
    const p = proportion(s.d, r, toAdd, added);
    added += p;
    return replicasOf(r) + p;
  });
  if (toAdd !== 0 && sizes.length > 0) sizes[0] = Math.max(0, (sizes[0] ?? 0) + toAdd - added);
  sorted.forEach((r, i) => scaleRs(s, r, sizes[i] ?? 0));
}

/** GetProportion: a ReplicaSet's share of a scaling, from the size the Deployment had when it last scaled it. */
function proportion(d: StoredObject, rs: StoredObject, toAdd: number, added: number): number {
  if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  let fraction: number;
  if (replicasOf(d) === 0) fraction = -replicasOf(rs);
  else {
    const max = replicasOf(d) + maxSurge(d);
    let before = Number(rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas'] ?? 0);
    if (!Number.isInteger(before) || before <= 0) before = (d.status?.replicas as number | undefined) ?? 0;
    fraction = before === 0 ? 0 : Math.round((replicasOf(rs) * max) / before) - replicasOf(rs);
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function rolloutRolling(s: Sync): ReconcileResult | void {
  const { newRs: created, old } = newAndOld(s, true);
  const newRs = s.rss.find((r) => r.metadata.uid === created?.metadata.uid) as StoredObject;
  const all = () => s.rss;
  // Scale up, if we can.
  const want = replicasOf(s.d);
  let scaled = false;
  if (replicasOf(newRs) > want) scaled = scaleRs(s, newRs, want);
  else if (replicasOf(newRs) < want) scaled = scaleIfNeeded(s, newRs, newReplicaCount(s.d, all(), newRs));
  if (!scaled) scaled = scaleDownOld(s, newRs, old);
  const current = s.rss.find((r) => r.metadata.uid === newRs.metadata.uid);
  if (!scaled && deploymentComplete(s.d, s.d.status ?? {}))
    cleanup(
      s,
      s.rss.filter((r) => r !== current),
    );
  return syncRolloutStatus(s, all(), current);
}

/** reconcileOldReplicaSets: unhealthy old pods first, then old ones while enough stay available. */
function scaleDownOld(s: Sync, newRs: StoredObject, oldIn: StoredObject[]): boolean {
  const ids = new Set(oldIn.map((r) => r.metadata.uid));
  const old = () => oldestFirst(active(s.rss.filter((r) => ids.has(r.metadata.uid))));
  if (specReplicas(old()) === 0) return false;
  const minAvailable = replicasOf(s.d) - maxUnavailable(s.d);
  const newUnavailable = replicasOf(newRs) - statusReplicas([newRs], 'availableReplicas');
  const maxScaledDown = specReplicas(s.rss) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  let total = 0;
  for (const r of old()) {
    if (total >= maxScaledDown) break;
    const unhealthy = replicasOf(r) - statusReplicas([r], 'availableReplicas');
    if (unhealthy <= 0) continue;
    const n = Math.min(maxScaledDown - total, unhealthy);
    scaleRs(s, r, replicasOf(r) - n);
    total += n;
  }
  // Only the active old ReplicaSets and the new one count here, as in the real controller.
  const availableNow = statusReplicas([...old(), newRs], 'availableReplicas');
  if (availableNow > minAvailable) {
    const budget = availableNow - minAvailable;
    let down = 0;
    for (const r of old()) {
      if (down >= budget) break;
      const n = Math.min(replicasOf(r), budget - down);
      scaleRs(s, r, replicasOf(r) - n);
      down += n;
    }
    total += down;
  }
  return total > 0;
}

function rolloutRecreate(s: Sync): ReconcileResult | void {
  let { newRs, old } = newAndOld(s, false);
  let scaledDown = false;
  for (const r of active(old)) scaledDown = scaleRs(s, r, 0) || scaledDown;
  const oldIds = new Set(old.map((r) => r.metadata.uid));
  const oldRunning = s.rss.some((r) => oldIds.has(r.metadata.uid) && statusReplicas([r], 'replicas') > 0);
  if (!scaledDown && !oldRunning) {
    if (!newRs) ({ newRs, old } = newAndOld(s, true));
    const current = s.rss.find((r) => r.metadata.uid === newRs?.metadata.uid);
    if (current) scaleIfNeeded(s, current, replicasOf(s.d));
    if (deploymentComplete(s.d, s.d.status ?? {}))
      cleanup(
        s,
        s.rss.filter((r) => oldIds.has(r.metadata.uid)),
      );
  }
  const current = s.rss.find((r) => r.metadata.uid === newRs?.metadata.uid);
  return syncRolloutStatus(s, s.rss, current);
}

/** `sync`: scaling only (paused, or a replica count change), then the plain status. */
function syncOnly(s: Sync): void {
  const { newRs, old } = newAndOld(s, false);
  scale(s, newRs, old);
  const current = s.rss.find((r) => r.metadata.uid === newRs?.metadata.uid);
  if (s.d.spec?.paused)
    cleanup(
      s,
      s.rss.filter((r) => r !== current),
    );
  writeDeployment(s, stored(calculateStatus(s, s.rss, current)));
}

/** Paused → Progressing=Unknown DeploymentPaused; resumed → DeploymentResumed (never over a timeout). */
function checkPausedConditions(s: Sync): void {
  if (s.d.spec?.progressDeadlineSeconds === undefined) return;
  const c = getCondition(s.d.status, 'Progressing');
  if (c?.reason === 'ProgressDeadlineExceeded') return;
  const pausedCond = c?.reason === 'DeploymentPaused';
  const status = clone(s.d.status ?? {}) as Record<string, unknown>;
  if (s.d.spec?.paused && !pausedCond)
    setCondition(status, newCondition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused'));
  else if (!s.d.spec?.paused && pausedCond)
    setCondition(
      status,
      newCondition('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed'),
    );
  else return;
  writeDeployment(s, status);
}

function isScalingEvent(s: Sync): boolean {
  const { newRs, old } = newAndOld(s, false);
  const want = String(replicasOf(s.d));
  return active([...old, ...(newRs ? [newRs] : [])]).some((r) => {
    const desired = r.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'];
    return desired !== undefined && desired !== want;
  });
}

export const deploymentController: Controller = {
  name: 'deployment',
  keysFor(e) {
    if (e.typeKey === 'apps/deployments')
      return [objKey(e.typeKey, e.object.metadata.namespace, e.object.metadata.name)];
    if (e.typeKey === 'apps/replicasets') {
      const ref = controllerOf(e.object);
      return ref?.kind === 'Deployment'
        ? [objKey('apps/deployments', e.object.metadata.namespace, ref.name)]
        : [];
    }
    return [];
  },
  reconcile(key, { api }) {
    const dType = mustType(api, 'apps/deployments');
    const rsType = mustType(api, 'apps/replicasets');
    const { namespace, name } = splitKey(key);
    const d = api.find(dType, namespace, name);
    if (!d) return;
    const rss = api.store
      .list('apps/replicasets', namespace)
      .filter((r) => controllerOf(r)?.uid === d.metadata.uid);
    const s: Sync = { api, dType, rsType, d, rss };
    let result: ReconcileResult | void = undefined;
    if (d.metadata.deletionTimestamp) {
      const { newRs } = newAndOld(s, false);
      writeDeployment(s, stored(calculateStatus(s, s.rss, newRs)));
    } else {
      checkPausedConditions(s);
      if (s.d.spec?.paused || isScalingEvent(s)) syncOnly(s);
      else result = isRolling(s.d) ? rolloutRolling(s) : rolloutRecreate(s);
    }
    flush(s, d);
    return result;
  },
};
