// Helpers the simulated controllers share: status writes that skip no-ops, conditions that keep
// their transition time, Events, and address allocation.
import { randomBytes } from 'node:crypto';
import { allocateAddress, type PoolSpec } from '../address-pool.ts';
import { SimError } from '../errors.ts';
import { nowIso } from '../meta.ts';
import type { ObjectApi } from '../object-api.ts';
import { deepEqual } from '../patch.ts';
import type { StoredObject, ResourceType } from '../types.ts';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  lastProbeTime?: string | null;
}

export function typeOf(api: ObjectApi, typeKey: string): ResourceType | undefined {
  return api.registry.get(typeKey);
}

export function mustType(api: ObjectApi, typeKey: string): ResourceType {
  const t = api.registry.get(typeKey);
  if (!t) throw new Error(`resource ${typeKey} is not served`);
  return t;
}

/** Replace or add a condition; the transition time only moves when the status changes. */
export function withCondition(
  conditions: Condition[] | undefined,
  c: Condition,
  withUpdateTime = false,
): Condition[] {
  const list = [...(conditions ?? [])];
  const idx = list.findIndex((x) => x.type === c.type);
  const prev = idx >= 0 ? list[idx] : undefined;
  const now = nowIso();
  const same = prev && prev.status === c.status && prev.reason === c.reason && prev.message === c.message;
  const next: Condition = {
    ...c,
    lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : now,
    ...(withUpdateTime ? { lastUpdateTime: same ? (prev?.lastUpdateTime ?? now) : now } : {}),
  };
  if (idx >= 0) list[idx] = next;
  else list.push(next);
  return list;
}

/** Write `status` through the status subresource unless it is what is stored already. */
export function writeStatus(
  api: ObjectApi,
  type: ResourceType,
  obj: StoredObject,
  status: unknown,
): StoredObject {
  if (deepEqual(obj.status, status)) return obj;
  const opts = type.subresources.includes('status') ? { subresource: 'status' as const } : {};
  return api.update(type, obj.metadata.namespace ?? '', obj.metadata.name ?? '', { ...obj, status }, opts);
}

export function createIgnoringExists(
  api: ObjectApi,
  type: ResourceType,
  namespace: string,
  obj: StoredObject,
): StoredObject | undefined {
  try {
    return api.create(type, namespace, obj);
  } catch (e) {
    if (e instanceof SimError && e.code === 409) return undefined;
    throw e;
  }
}

export function deleteIgnoringMissing(api: ObjectApi, type: ResourceType, obj: StoredObject): void {
  try {
    api.delete(type, obj.metadata.namespace ?? '', obj.metadata.name ?? '');
  } catch (e) {
    if (!(e instanceof SimError && e.code === 404)) throw e;
  }
}

/** Record an Event about an object, as controllers and the kubelet do. */
export function emitEvent(
  api: ObjectApi,
  involved: StoredObject,
  reason: string,
  message: string,
  component: string,
  type: 'Normal' | 'Warning' = 'Normal',
): void {
  const events = api.registry.get('/events');
  const ns = involved.metadata.namespace ?? 'default';
  if (!events || !api.store.get('/namespaces', '', ns)) return;
  const now = nowIso();
  try {
    api.create(events, ns, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${involved.metadata.name}.${randomBytes(8).toString('hex')}`, namespace: ns },
      involvedObject: {
        apiVersion: involved.apiVersion,
        kind: involved.kind,
        name: involved.metadata.name,
        namespace: involved.metadata.namespace,
        uid: involved.metadata.uid,
        resourceVersion: involved.metadata.resourceVersion,
      },
      reason,
      message,
      type,
      source: { component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      reportingComponent: component,
      reportingInstance: '',
    });
  } catch {
    // Events are best effort (a terminating namespace refuses them).
  }
}

/** Next free address in 10.42.0.0/16 among pods and VM instances. */
/** Pod IPs: held by pods and by VM instances (their interface). */
const POD_NETWORK: PoolSpec = {
  prefix: [10, 42],
  first: 2,
  typeKeys: ['/pods', 'kubevirt.io/virtualmachineinstances'],
  addressOf: (typeKey, o) =>
    (typeKey === '/pods' ? o.status?.podIP : o.status?.interfaces?.[0]?.ipAddress) as string | undefined,
  what: 'pod IP',
};

/** The lowest pod IP that no pod or VM instance holds (an index, not a scan of every pod). */
export function allocatePodIp(api: ObjectApi): string {
  return allocateAddress(api.store, POD_NETWORK);
}

export function isReady(obj: StoredObject): boolean {
  return ((obj.status?.conditions ?? []) as Condition[]).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );
}
