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

export function usageOf(type: ResourceType, obj: StoredObject): Usage {
  const u: Usage = {};
  const key = `${type.group}/${type.plural}`;
  add(u, `count/${type.group ? `${type.plural}.${type.group}` : type.plural}`, 1);
  const counted = COUNTED[key];
  if (key === '/pods') {
    if (obj.status?.phase === 'Succeeded' || obj.status?.phase === 'Failed') return {};
    add(u, 'pods', 1);
    for (const c of (obj.spec?.containers ?? []) as {
      resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
    }[]) {
      const req = { ...c.resources?.limits, ...c.resources?.requests };
      for (const r of ['cpu', 'memory'] as const) {
        const v = parseQuantity(req[r]);
        if (v !== undefined) {
          add(u, `requests.${r}`, v);
          add(u, r, v);
        }
        const l = parseQuantity(c.resources?.limits?.[r]);
        if (l !== undefined) add(u, `limits.${r}`, l);
      }
    }
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

export function namespaceUsage(api: ObjectApi, namespace: string, tracked: string[]): Usage {
  const total: Usage = {};
  for (const t of api.registry.all()) {
    if (!t.namespaced || t.readOnly) continue;
    for (const o of api.store.list(`${t.group}/${t.plural}`, namespace)) {
      for (const [k, v] of Object.entries(usageOf(t, o))) if (tracked.includes(k)) add(total, k, v);
    }
  }
  for (const k of tracked) total[k] ??= 0;
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
