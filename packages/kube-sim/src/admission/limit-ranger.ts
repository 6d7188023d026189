// The LimitRanger admission plugin and the defaults of a LimitRange itself:
// - a LimitRange's Container item is defaulted as the API server decodes it (SetDefaults_LimitRangeItem):
//   `default` from `max`, `defaultRequest` from `default`, then from `min`;
// - mutating, on a pod's create: each container's missing requests and limits are filled from the
//   namespace's LimitRanges, and the pod is annotated `kubernetes.io/limit-ranger`;
// - validating, on a pod's create: `min`, `max` and `maxLimitRequestRatio` per Container and per
//   Pod; on a claim's create or resize: `min` and `max` of its storage request; refused with 403
//   Forbidden in the real plugin's words.
import { forbidden } from '../errors.ts';
import type { ObjectApi } from '../object-api.ts';
import { parseQuantity } from '../quantity.ts';
import type { StoredObject } from '../types.ts';
import { isPod, type Admission } from './chain.ts';

type ResourceList = Record<string, string>;
interface LimitItem {
  type?: string;
  min?: ResourceList;
  max?: ResourceList;
  default?: ResourceList;
  defaultRequest?: ResourceList;
  maxLimitRequestRatio?: ResourceList;
}
interface Container {
  name?: string;
  resources?: { requests?: ResourceList; limits?: ResourceList };
}

const ANNOTATION = 'kubernetes.io/limit-ranger';

export const limitRangeDefaults: Admission = ({ type, object }) => {
  if (type.group !== '' || type.kind !== 'LimitRange') return;
  for (const item of ((object.spec?.limits ?? []) as LimitItem[]).filter((i) => i?.type === 'Container')) {
    const def = (item.default ??= {});
    const req = (item.defaultRequest ??= {});
    for (const [k, v] of Object.entries(item.max ?? {})) def[k] ??= v;
    for (const [k, v] of Object.entries(def)) req[k] ??= v;
    for (const [k, v] of Object.entries(item.min ?? {})) req[k] ??= v;
  }
};

function limitRangesOf(api: ObjectApi, namespace: string): LimitItem[][] {
  return api.store.list('/limitranges', namespace).map((lr) => (lr.spec?.limits ?? []) as LimitItem[]);
}

function containersOf(pod: StoredObject): { list: Container[]; what: string }[] {
  return [
    { list: (pod.spec?.containers ?? []) as Container[], what: 'container' },
    { list: (pod.spec?.initContainers ?? []) as Container[], what: 'init container' },
  ];
}

export const limitRangerMutation: Admission = ({ op, type, object }, api) => {
  if (op !== 'create' || !isPod(type) || !object.spec) return;
  for (const items of limitRangesOf(api, object.metadata.namespace ?? '')) {
    const requests: ResourceList = {};
    const limits: ResourceList = {};
    for (const item of items.filter((i) => i?.type === 'Container')) {
      Object.assign(requests, item.defaultRequest);
      Object.assign(limits, item.default);
    }
    const notes: string[] = [];
    for (const { list, what } of containersOf(object)) {
      for (const c of list) {
        const res = (c.resources ??= {});
        const setLimits = Object.keys(limits).filter((k) => res.limits?.[k] === undefined);
        const setRequests = Object.keys(requests).filter((k) => res.requests?.[k] === undefined);
        res.limits ??= {};
        res.requests ??= {};
        for (const k of setLimits) res.limits[k] = limits[k] as string;
        for (const k of setRequests) res.requests[k] = requests[k] as string;
        if (Object.keys(res.limits).length === 0) delete res.limits;
        if (Object.keys(res.requests).length === 0) delete res.requests;
        if (setRequests.length > 0)
          notes.push(`${setRequests.sort().join(', ')} request for ${what} ${c.name ?? ''}`);
        if (setLimits.length > 0)
          notes.push(`${setLimits.sort().join(', ')} limit for ${what} ${c.name ?? ''}`);
      }
    }
    if (notes.length > 0)
      object.metadata.annotations = {
        ...object.metadata.annotations,
        [ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}`,
      };
  }
};

/** Milli-units, as the real plugin compares quantities (MilliValue). */
const milli = (q: string | undefined) => Math.round((parseQuantity(q) ?? 0) * 1000);

function minConstraint(kind: string, r: string, enforced: string, req?: ResourceList, lim?: ResourceList) {
  const request = req?.[r];
  const limit = lim?.[r];
  if (request === undefined) return `minimum ${r} usage per ${kind} is ${enforced}.  No request is specified`;
  if (milli(request) < milli(enforced))
    return `minimum ${r} usage per ${kind} is ${enforced}, but request is ${request}`;
  if (limit !== undefined && milli(limit) < milli(enforced))
    return `minimum ${r} usage per ${kind} is ${enforced}, but limit is ${limit}`;
  return undefined;
}

function maxConstraint(kind: string, r: string, enforced: string, req?: ResourceList, lim?: ResourceList) {
  const request = req?.[r];
  const limit = lim?.[r];
  if (limit === undefined) return `maximum ${r} usage per ${kind} is ${enforced}.  No limit is specified`;
  if (milli(limit) > milli(enforced))
    return `maximum ${r} usage per ${kind} is ${enforced}, but limit is ${limit}`;
  if (request !== undefined && milli(request) > milli(enforced))
    return `maximum ${r} usage per ${kind} is ${enforced}, but request is ${request}`;
  return undefined;
}

function ratioConstraint(kind: string, r: string, enforced: string, req?: ResourceList, lim?: ResourceList) {
  const request = milli(req?.[r]);
  const limit = milli(lim?.[r]);
  if (req?.[r] === undefined || request === 0)
    return `${r} max limit to request ratio per ${kind} is ${enforced}, but no request is specified or request is 0`;
  if (lim?.[r] === undefined || limit === 0)
    return `${r} max limit to request ratio per ${kind} is ${enforced}, but no limit is specified or limit is 0`;
  const ratio = limit / request;
  if (ratio * 1000 > milli(enforced))
    return `${r} max limit to request ratio per ${kind} is ${enforced}, but provided ratio is ${ratio.toFixed(6)}`;
  return undefined;
}

function check(item: LimitItem, kind: string, req: ResourceList | undefined, lim: ResourceList | undefined) {
  const found: (string | undefined)[] = [];
  for (const [r, v] of Object.entries(item.min ?? {})) found.push(minConstraint(kind, r, v, req, lim));
  for (const [r, v] of Object.entries(item.max ?? {})) found.push(maxConstraint(kind, r, v, req, lim));
  for (const [r, v] of Object.entries(item.maxLimitRequestRatio ?? {}))
    found.push(ratioConstraint(kind, r, v, req, lim));
  return found.filter((m): m is string => m !== undefined);
}

/** A resource summed over containers, only when every container sets it (the plugin's `sum`). */
function total(lists: (ResourceList | undefined)[]): ResourceList {
  const out: ResourceList = {};
  const keys = new Set(lists.flatMap((l) => Object.keys(l ?? {})));
  for (const k of keys) {
    if (!lists.every((l) => l?.[k] !== undefined)) continue;
    const sum = lists.reduce((n, l) => n + (parseQuantity(l?.[k]) ?? 0), 0);
    out[k] = k === 'cpu' ? `${Math.round(sum * 1000)}m` : String(sum);
  }
  return out;
}

/** Go's utilerrors aggregate: one message as it is, several (deduplicated) as `[a, b]`. */
function aggregate(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? (unique[0] as string) : `[${unique.join(', ')}]`;
}

/** A claim's storage request against the `PersistentVolumeClaim` items (its limits are not user input). */
function claimErrors(items: LimitItem[], requests: ResourceList | undefined): string[] {
  const errors: string[] = [];
  for (const item of items.filter((i) => i?.type === 'PersistentVolumeClaim')) {
    const kind = 'PersistentVolumeClaim';
    for (const [r, v] of Object.entries(item.min ?? {}))
      errors.push(...[minConstraint(kind, r, v, requests, {})].filter((m): m is string => !!m));
    for (const [r, v] of Object.entries(item.max ?? {})) {
      const request = requests?.[r];
      if (request === undefined)
        errors.push(`maximum ${r} usage per ${kind} is ${v}.  No request is specified`);
      else if (milli(request) > milli(v))
        errors.push(`maximum ${r} usage per ${kind} is ${v}, but request is ${request}`);
    }
  }
  return errors;
}

export const limitRangerValidation: Admission = ({ op, type, object }, api) => {
  if (type.group === '' && type.kind === 'PersistentVolumeClaim') {
    for (const items of limitRangesOf(api, object.metadata.namespace ?? '')) {
      const errors = claimErrors(items, object.spec?.resources?.requests as ResourceList | undefined);
      if (errors.length > 0) throw forbidden(type, object.metadata.name ?? '', aggregate(errors));
    }
    return;
  }
  if (op !== 'create' || !isPod(type) || !object.spec) return;
  const containers = (object.spec.containers ?? []) as Container[];
  for (const items of limitRangesOf(api, object.metadata.namespace ?? '')) {
    const errors: string[] = [];
    for (const item of items) {
      if (item?.type === 'Container')
        for (const c of containers)
          errors.push(...check(item, 'Container', c.resources?.requests, c.resources?.limits));
      if (item?.type === 'Pod')
        errors.push(
          ...check(
            item,
            'Pod',
            total(containers.map((c) => c.resources?.requests)),
            total(containers.map((c) => c.resources?.limits)),
          ),
        );
    }
    if (errors.length > 0) throw forbidden(type, object.metadata.name ?? '', aggregate(errors));
  }
};
