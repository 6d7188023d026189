// The ResourceQuota admission plugin, last in the validating chain: under a quota that tracks
// cpu or memory, every container must say its requests (or limits) for them ("failed quota"); a
// write that would take usage past `hard` is refused ("exceeded quota"); an admitted write is
// charged to the quota's status.used at once, as the real plugin does before the object is stored.
import { add, kindOfResource, namespaceUsage, quotasIn, usageOf, type Usage } from '../controllers/quota.ts';
import { forbidden } from '../errors.ts';
import { formatQuantity, parseQuantity } from '../quantity.ts';
import type { StoredObject } from '../types.ts';
import { isPod, type Admission } from './chain.ts';

/** The resources for which a quota makes every container state its own value (validationSet). */
const COMPUTE = ['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];

type Container = { name?: string; resources?: { requests?: object; limits?: object } };

/** The pod evaluator's Constraints: which tracked compute resources each container leaves unset. */
function missingCompute(tracked: string[], pod: StoredObject): string | undefined {
  const required = tracked.filter((r) => COMPUTE.includes(r));
  if (required.length === 0) return undefined;
  const missing = new Map<string, Set<string>>();
  for (const c of [
    ...((pod.spec?.containers ?? []) as Container[]),
    ...((pod.spec?.initContainers ?? []) as Container[]),
  ]) {
    const has = new Set<string>();
    for (const r of ['cpu', 'memory']) {
      if (c.resources?.requests && r in c.resources.requests) has.add(r).add(`requests.${r}`);
      if (c.resources?.limits && r in c.resources.limits) has.add(`limits.${r}`);
    }
    for (const r of required.filter((x) => !has.has(x))) {
      const names = missing.get(r) ?? new Set<string>();
      missing.set(r, names.add(c.name ?? ''));
    }
  }
  if (missing.size === 0) return undefined;
  return `must specify ${[...missing.keys()]
    .sort()
    .map((r) => `${r} for: ${[...(missing.get(r) ?? [])].sort().join(',')}`)
    .join('; ')}`;
}

/** Usage the quota reports for `keys`, or the namespace's usage counted afresh when it has none yet. */
function usedBy(quota: StoredObject, keys: string[], count: () => Usage): Usage {
  const reported = (quota.status?.used ?? {}) as Record<string, string>;
  if (keys.every((k) => reported[k] !== undefined)) {
    const out: Usage = {};
    for (const k of keys) out[k] = parseQuantity(reported[k]) ?? 0;
    return out;
  }
  return count();
}

export const resourceQuotaAdmission: Admission = ({ op, type, object, old, dryRun }, api) => {
  if (!type.namespaced || type.readOnly || type.plural === 'events') return;
  const namespace = object.metadata.namespace ?? '';
  const quotas = quotasIn(api, namespace);
  if (quotas.length === 0) return;
  const delta = usageOf(type, object);
  if (op === 'update' && old) for (const [k, v] of Object.entries(usageOf(type, old))) add(delta, k, -v);
  const charges: { quota: StoredObject; used: Usage; relevant: string[] }[] = [];
  for (const q of quotas) {
    const hard = (q.spec?.hard ?? {}) as Record<string, string>;
    const tracked = Object.keys(hard);
    if (op === 'create' && isPod(type)) {
      const why = missingCompute(tracked, object);
      if (why) throw forbidden(type, object.metadata.name ?? '', `failed quota: ${q.metadata.name}: ${why}`);
    }
    const relevant = tracked.filter((k) => (delta[k] ?? 0) > 0);
    if (relevant.length === 0) continue;
    const used = usedBy(q, relevant, () => namespaceUsage(api, namespace, relevant));
    const over = relevant.filter(
      (k) => (used[k] ?? 0) + (delta[k] ?? 0) > (parseQuantity(hard[k]) ?? Infinity),
    );
    if (over.length > 0) {
      const fmt = (u: Usage) =>
        over.map((k) => `${k}=${formatQuantity(u[k] ?? 0, kindOfResource(k))}`).join(',');
      const limited = over.map((k) => `${k}=${hard[k]}`).join(',');
      throw forbidden(
        type,
        object.metadata.name ?? '',
        `exceeded quota: ${q.metadata.name}, requested: ${fmt(delta)}, used: ${fmt(used)}, limited: ${limited}`,
      );
    }
    charges.push({ quota: q, used, relevant });
  }
  if (dryRun) return;
  for (const { quota, used, relevant } of charges) {
    const next: Record<string, string> = { ...((quota.status?.used ?? {}) as Record<string, string>) };
    for (const k of relevant) next[k] = formatQuantity((used[k] ?? 0) + (delta[k] ?? 0), kindOfResource(k));
    // Written straight to storage, as the plugin's own status update is: a status the plugin
    // computed needs no decoding or validation, and this runs on every charged write.
    api.store.put('/resourcequotas', {
      ...quota,
      metadata: { ...quota.metadata },
      status: { ...quota.status, hard: { ...quota.spec?.hard }, used: next },
    });
  }
};
