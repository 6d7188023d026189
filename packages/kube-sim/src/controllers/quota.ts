// ResourceQuota: usage computed from the namespace's objects into status.used (the admission
// plugin that refuses what would exceed it is ../admission/resource-quota.ts).
import type { ObjectApi } from '../object-api.ts';
import { formatQuantity, parseQuantity } from '../quantity.ts';
import type { StoredObject, ResourceType } from '../types.ts';
import { objKey, splitKey, type Controller } from './manager.ts';
import { mustType, writeStatus } from './util.ts';

export type Usage = Record<string, number>;

const COUNTED: Record<string, string> = {
  '/pods': 'pods',
  '/services': 'services',
  '/persistentvolumeclaims': 'persistentvolumeclaims',
  '/secrets': 'secrets',
  '/configmaps': 'configmaps',
  '/resourcequotas': 'resourcequotas',
};

export function add(u: Usage, k: string, v: number): void {
  u[k] = (u[k] ?? 0) + v;
}

type Container = { resources?: { requests?: Record<string, string>; limits?: Record<string, string> } };

/**
 * A pod's compute as the quota's pod evaluator counts it (resourcehelper.PodRequests/PodLimits):
 * for each resource, the sum over its containers or the largest init container, whichever is more,
 * plus the pod's `spec.overhead` (set from its RuntimeClass). A container's request defaults to its
 * limit, as the API server's defaulting makes it.
 */
function podResources(pod: StoredObject): Usage {
  const containers = (pod.spec?.containers ?? []) as Container[];
  const inits = (pod.spec?.initContainers ?? []) as Container[];
  const overhead = (pod.spec?.overhead ?? {}) as Record<string, string>;
  const u: Usage = {};
  for (const r of ['cpu', 'memory'] as const) {
    const request = (c: Container) => parseQuantity(c.resources?.requests?.[r] ?? c.resources?.limits?.[r]);
    const limit = (c: Container) => parseQuantity(c.resources?.limits?.[r]);
    const total = (of: (c: Container) => number | undefined) => {
      const stated = [...containers, ...inits].some((c) => of(c) !== undefined);
      const sum = containers.reduce((n, c) => n + (of(c) ?? 0), 0);
      const init = Math.max(0, ...inits.map((c) => of(c) ?? 0));
      return stated ? Math.max(sum, init) + (parseQuantity(overhead[r]) ?? 0) : undefined;
    };
    const requested = total(request);
    if (requested !== undefined) {
      add(u, `requests.${r}`, requested);
      add(u, r, requested);
    }
    const limited = total(limit);
    if (limited !== undefined) add(u, `limits.${r}`, limited);
  }
  return u;
}

export function usageOf(type: ResourceType, obj: StoredObject): Usage {
  return usageOfKey(`${type.group}/${type.plural}`, obj);
}

/** What an object of a type (by its key, `<group>/<plural>`) takes from a quota. */
function usageOfKey(key: string, obj: StoredObject): Usage {
  const u: Usage = {};
  const slash = key.lastIndexOf('/');
  const group = key.slice(0, slash);
  const plural = key.slice(slash + 1);
  add(u, `count/${group ? `${plural}.${group}` : plural}`, 1);
  const counted = COUNTED[key];
  if (key === '/pods') {
    if (obj.status?.phase === 'Succeeded' || obj.status?.phase === 'Failed') return {};
    add(u, 'pods', 1);
    for (const [k, v] of Object.entries(podResources(obj))) add(u, k, v);
  } else if (counted) add(u, counted, 1);
  if (key === '/services' && obj.spec?.type === 'LoadBalancer') add(u, 'services.loadbalancers', 1);
  if (key === '/services' && obj.spec?.type === 'NodePort') add(u, 'services.nodeports', 1);
  if (key === '/persistentvolumeclaims')
    add(u, 'requests.storage', parseQuantity(obj.spec?.resources?.requests?.storage) ?? 0);
  return u;
}

export function kindOfResource(r: string): 'cpu' | 'bytes' | 'count' {
  if (r.endsWith('cpu')) return 'cpu';
  if (r.endsWith('memory') || r.endsWith('storage')) return 'bytes';
  return 'count';
}

/**
 * Every namespace's usage, kept from store events (an object's usage added, its previous one taken
 * off): a quota reads its namespace's totals instead of recounting the namespace on every change.
 */
class UsageIndex {
  private readonly byNamespace = new Map<string, Usage>();
  readonly epoch: number;
  private readonly off: () => void;

  constructor(api: ObjectApi) {
    const { store } = api;
    this.epoch = store.epoch;
    const counted = (typeKey: string) => {
      const type = api.registry.all().find((t) => `${t.group}/${t.plural}` === typeKey);
      return !!type && type.namespaced && !type.readOnly;
    };
    const countedTypes = new Map<string, boolean>();
    const isCounted = (typeKey: string) => {
      let yes = countedTypes.get(typeKey);
      if (yes === undefined) countedTypes.set(typeKey, (yes = counted(typeKey)));
      return yes;
    };
    for (const t of api.registry.all()) {
      if (!t.namespaced || t.readOnly) continue;
      const typeKey = `${t.group}/${t.plural}`;
      for (const o of store.list(typeKey)) this.charge(typeKey, o, 1);
    }
    this.off = store.subscribe((e) => {
      if (!e.object.metadata.namespace || !isCounted(e.typeKey)) return;
      if (e.previous) this.charge(e.typeKey, e.previous, -1);
      if (e.type !== 'DELETED') this.charge(e.typeKey, e.object, 1);
    });
  }

  close(): void {
    this.off();
  }

  usage(namespace: string): Usage {
    return this.byNamespace.get(namespace) ?? {};
  }

  private charge(typeKey: string, o: StoredObject, sign: 1 | -1): void {
    const namespace = o.metadata.namespace ?? '';
    let total = this.byNamespace.get(namespace);
    if (!total) this.byNamespace.set(namespace, (total = {}));
    for (const [k, v] of Object.entries(usageOfKey(typeKey, o))) add(total, k, sign * v);
  }
}

const usageIndexes = new WeakMap<ObjectApi, UsageIndex>();

export function namespaceUsage(api: ObjectApi, namespace: string, tracked: string[]): Usage {
  let index = usageIndexes.get(api);
  if (index?.epoch !== api.store.epoch) {
    index?.close();
    index = new UsageIndex(api);
    usageIndexes.set(api, index);
  }
  const all = index.usage(namespace);
  const total: Usage = {};
  // Sums of fractions (cpu) added and taken off drift in the last bits: back to what a recount gives.
  for (const k of tracked) total[k] = Math.round((all[k] ?? 0) * 1e9) / 1e9;
  return total;
}

export function quotasIn(api: ObjectApi, namespace: string): StoredObject[] {
  return api.store.list('/resourcequotas', namespace);
}

export const quotaController: Controller = {
  name: 'resourcequota',
  keysFor(e, { api }) {
    const ns = e.object.metadata.namespace;
    if (!ns || e.typeKey === '/events') return [];
    if (e.typeKey === '/resourcequotas')
      return e.type === 'DELETED' ? [] : [objKey(e.typeKey, ns, e.object.metadata.name)];
    return quotasIn(api, ns).map((q) => objKey('/resourcequotas', ns, q.metadata.name));
  },
  reconcile(key, { api }) {
    const type = mustType(api, '/resourcequotas');
    const { namespace, name } = splitKey(key);
    const q = api.find(type, namespace, name);
    if (!q) return;
    const hard = (q.spec?.hard ?? {}) as Record<string, string>;
    const used = namespaceUsage(api, namespace, Object.keys(hard));
    const usedText: Record<string, string> = {};
    for (const [k, v] of Object.entries(used)) usedText[k] = formatQuantity(v, kindOfResource(k));
    writeStatus(api, type, q, { hard: { ...hard }, used: usedText });
  },
};
