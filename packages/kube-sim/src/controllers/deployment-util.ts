// What the deployment controller computes from a Deployment and its ReplicaSets, after
// k8s.io/kubernetes pkg/controller/deployment/util: surge and unavailability from the strategy,
// revisions, the annotations it keeps on ReplicaSets, and its conditions.
import { createHash } from 'node:crypto';
import { nowIso } from '../meta.ts';
import { deepEqual } from '../patch.ts';
import type { StoredObject } from '../types.ts';
import type { Condition } from './util.ts';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
const HASH_LABEL = 'pod-template-hash';
/** The real controller keeps at most this many characters of revision history on a ReplicaSet. */
const MAX_REVISION_HISTORY_CHARS = 2000;
/** Deployment annotations that are not copied to its ReplicaSets. */
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
]);

/** The pod-template-hash of a pod template (names the ReplicaSet, labels its pods). */
export function templateHash(template: unknown): string {
  const hex = createHash('sha256')
    .update(JSON.stringify(template ?? {}))
    .digest('hex');
  return hex.slice(0, 10).replace(/[0-9]/g, (d) => 'bcdfghjklm'[Number(d)] as string);
}

export const replicasOf = (o: StoredObject | undefined): number => (o?.spec?.replicas as number) ?? 0;
const statusCount = (o: StoredObject | undefined, field: string): number =>
  (o?.status?.[field] as number | undefined) ?? 0;
/** Sum of spec.replicas. */
export const specReplicas = (rss: StoredObject[]) => rss.reduce((s, r) => s + replicasOf(r), 0);
/** Sum of a status counter (replicas, readyReplicas, availableReplicas). */
export const statusReplicas = (rss: StoredObject[], field: string) =>
  rss.reduce((s, r) => s + statusCount(r, field), 0);
export const active = (rss: StoredObject[]) => rss.filter((r) => replicasOf(r) > 0);
export const isRolling = (d: StoredObject) => (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

export function revisionOf(o: StoredObject | undefined): number {
  const v = Number(o?.metadata.annotations?.[REVISION] ?? 0);
  return Number.isInteger(v) ? v : 0;
}

const byCreation = (a: StoredObject, b: StoredObject) =>
  (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
  (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
export const oldestFirst = (rss: StoredObject[]) => [...rss].sort(byCreation);

/** An int-or-percent of `total` (percentages rounded up or down), as intstr.GetScaledValueFromIntOrPercent. */
function scaled(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(String(value ?? ''));
  if (!m) return 0;
  const v = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(v) : Math.floor(v);
}

/** maxSurge and maxUnavailable in pods; both zero would deadlock, so unavailability is then 1. */
function fenceposts(d: StoredObject): { surge: number; unavailable: number } {
  const desired = replicasOf(d);
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  const surge = scaled(ru.maxSurge ?? '25%', desired, true);
  const unavailable = scaled(ru.maxUnavailable ?? '25%', desired, false);
  return { surge, unavailable: surge === 0 && unavailable === 0 ? 1 : unavailable };
}

export const maxSurge = (d: StoredObject): number => (isRolling(d) ? fenceposts(d).surge : 0);

export function maxUnavailable(d: StoredObject): number {
  const desired = replicasOf(d);
  if (!isRolling(d) || desired === 0) return 0;
  return Math.min(fenceposts(d).unavailable, desired);
}

type Template = { metadata?: { labels?: Record<string, string> } & Record<string, unknown> } & Record<
  string,
  unknown
>;

/** Two pod templates equal but for the pod-template-hash label (EqualIgnoreHash), without copying them. */
function equalIgnoringHash(a: Template | undefined, b: Template | undefined): boolean {
  const { [HASH_LABEL]: _a, ...la } = a?.metadata?.labels ?? {};
  const { [HASH_LABEL]: _b, ...lb } = b?.metadata?.labels ?? {};
  if (!deepEqual(la, lb)) return false;
  const bare = (t: Template | undefined) => ({ ...t, metadata: { ...t?.metadata, labels: undefined } });
  return deepEqual(bare(a), bare(b));
}

/** The oldest ReplicaSet whose pod template is the Deployment's (the pod-template-hash label aside). */
export function findNewReplicaSet(d: StoredObject, rss: StoredObject[]): StoredObject | undefined {
  return oldestFirst(rss).find((r) => equalIgnoringHash(r.spec?.template, d.spec?.template));
}

/** Set desired-replicas and max-replicas; true when they changed. */
export function setReplicasAnnotations(rs: StoredObject, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {});
  if (a[DESIRED_REPLICAS] === String(desired) && a[MAX_REPLICAS] === String(max)) return false;
  a[DESIRED_REPLICAS] = String(desired);
  a[MAX_REPLICAS] = String(max);
  return true;
}

/**
 * The new ReplicaSet's annotations: the Deployment's own (copied), and its revision raised to
 * `revision` when lower, remembering the revisions it had before (a rollback to it).
 */
export function setNewReplicaSetAnnotations(
  d: StoredObject,
  rs: StoredObject,
  revision: number,
  exists: boolean,
): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (NOT_COPIED.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  const had = a[REVISION];
  const old = had === undefined ? 0 : Number(had);
  if (!Number.isInteger(old)) return changed;
  if (old < revision) {
    a[REVISION] = String(revision);
    changed = true;
    if (had !== undefined) {
      const history = (a[REVISION_HISTORY] ?? '').split(',').filter((x) => x !== '');
      history.push(had);
      while (history.join(',').length > MAX_REVISION_HISTORY_CHARS && history.length > 1) history.shift();
      a[REVISION_HISTORY] = history.join(',');
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

export const newCondition = (
  type: string,
  status: Condition['status'],
  reason: string,
  message: string,
): Condition => {
  const now = nowIso();
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
};

export const getCondition = (status: Record<string, unknown> | undefined, type: string) =>
  ((status?.conditions ?? []) as Condition[]).find((c) => c.type === type);

/** SetDeploymentCondition: no change for the same status and reason; otherwise replaced at the end. */
export function setCondition(status: Record<string, unknown>, c: Condition): void {
  const list = (status.conditions ?? []) as Condition[];
  const cur = list.find((x) => x.type === c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  const next = cur && cur.status === c.status ? { ...c, lastTransitionTime: cur.lastTransitionTime } : c;
  status.conditions = [...list.filter((x) => x.type !== c.type), next];
}

export function removeCondition(status: Record<string, unknown>, type: string): void {
  status.conditions = ((status.conditions ?? []) as Condition[]).filter((x) => x.type !== type);
}

/** Complete: every replica updated and available, and the latest generation observed. */
export function deploymentComplete(d: StoredObject, s: Record<string, unknown>): boolean {
  const want = replicasOf(d);
  return (
    ((s.updatedReplicas as number) ?? 0) === want &&
    ((s.replicas as number) ?? 0) === want &&
    ((s.availableReplicas as number) ?? 0) === want &&
    ((s.observedGeneration as number) ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** Progress since the stored status: more updated, ready or available pods, or fewer old ones. */
export function deploymentProgressing(d: StoredObject, s: Record<string, unknown>): boolean {
  const o = (d.status ?? {}) as Record<string, number | undefined>;
  const n = s as Record<string, number | undefined>;
  const old = (x: Record<string, number | undefined>) => (x.replicas ?? 0) - (x.updatedReplicas ?? 0);
  return (
    (n.updatedReplicas ?? 0) > (o.updatedReplicas ?? 0) ||
    old(n) < old(o) ||
    (n.readyReplicas ?? 0) > (o.readyReplicas ?? 0) ||
    (n.availableReplicas ?? 0) > (o.availableReplicas ?? 0)
  );
}

/** Milliseconds left before the Progressing condition's last update passes the progress deadline. */
export function progressLeftMs(d: StoredObject, s: Record<string, unknown>): number | undefined {
  const c = getCondition(s, 'Progressing');
  const seconds = d.spec?.progressDeadlineSeconds as number | undefined;
  if (!c?.lastUpdateTime || seconds === undefined) return undefined;
  return Date.parse(c.lastUpdateTime) + seconds * 1000 - Date.now();
}
