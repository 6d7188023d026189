// The load balancer of the simulated cluster, after MetalLB: every LoadBalancer Service gets its own
// address from the auto-assigned pool, kept for the Service's life; a Service may ask for one
// particular address (MetalLB's `metallb.io/loadBalancerIPs` annotation, its older
// `metallb.universe.tf/loadBalancerIPs` name, or the deprecated `spec.loadBalancerIP`), which it
// gets when it lies in one of the pools — the auto-assigned one, or the reserved one that, like a
// MetalLB IPAddressPool with `autoAssign: false`, hands out addresses only on request — and no other
// Service holds it. Otherwise the Service stays pending and MetalLB's `AllocationFailed` warning is
// recorded. Addresses are documentation ranges (RFC 5737), never routable: TEST-NET-2 for the
// auto-assigned pool, TEST-NET-3 for the reserved one.
import type { ObjectApi } from '../object-api.ts';
import type { StoredObject } from '../types.ts';

export const LOAD_BALANCER_POOL = { prefix: '198.51.100.', first: 10, last: 254 } as const;
/** Handed out only to a Service that asks for one of its addresses (MetalLB's `autoAssign: false`). */
export const RESERVED_LOAD_BALANCER_POOL = { prefix: '203.0.113.', first: 1, last: 254 } as const;
/** The reserved pool as a CIDR, for an administrator's configuration of the embedded cluster. */
export const RESERVED_LOAD_BALANCER_CIDR = '203.0.113.0/24';

const REQUEST_ANNOTATIONS = ['metallb.io/loadBalancerIPs', 'metallb.universe.tf/loadBalancerIPs'];

const addressOf = (svc: StoredObject): string | undefined =>
  (svc.status?.loadBalancer as { ingress?: { ip?: string }[] } | undefined)?.ingress?.[0]?.ip;

const inRange = (range: { prefix: string; first: number; last: number }, ip: string | undefined) => {
  if (!ip?.startsWith(range.prefix)) return false;
  const host = Number(ip.slice(range.prefix.length));
  return Number.isInteger(host) && host >= range.first && host <= range.last;
};
const inPool = (ip: string | undefined): ip is string => inRange(LOAD_BALANCER_POOL, ip);
const inAnyPool = (ip: string) => inPool(ip) || inRange(RESERVED_LOAD_BALANCER_POOL, ip);

/** The address a Service asks for, if any: MetalLB's annotation first, then the deprecated field. */
export const requestedAddress = (svc: StoredObject): string | undefined => {
  const annotations = svc.metadata.annotations ?? {};
  const annotated = REQUEST_ANNOTATIONS.map((key) => annotations[key]).find((v) => v);
  const first = annotated?.split(',')[0]?.trim();
  return first || (svc.spec?.loadBalancerIP as string | undefined) || undefined;
};

/** What the load balancer gives a Service: an address, or why it gives none (and so stays pending). */
export type Allocation = { ip: string } | { refused: string } | { exhausted: true };

const heldByOthers = (api: ObjectApi, svc: StoredObject) =>
  new Set(
    api.store
      .list('/services')
      .filter((s) => s.metadata.uid !== svc.metadata.uid)
      .map(addressOf)
      .filter((ip): ip is string => ip !== undefined),
  );

/**
 * The address a LoadBalancer Service holds: the one it asked for when that may be given; else the
 * one it already has, else the lowest free one of the auto-assigned pool; exhausted when that pool
 * is (the Service stays pending, as with a real allocator).
 */
export function allocateLoadBalancerAddress(api: ObjectApi, svc: StoredObject): Allocation {
  const current = addressOf(svc);
  const requested = requestedAddress(svc);
  const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
  if (requested) {
    if (current === requested) return { ip: current };
    if (!inAnyPool(requested))
      return { refused: `Failed to allocate IP for "${key}": "${requested}" is not allowed in config` };
    if (heldByOthers(api, svc).has(requested))
      return {
        refused: `Failed to allocate IP for "${key}": "${requested}" is already in use by another service`,
      };
    return { ip: requested };
  }
  if (inPool(current)) return { ip: current };
  const taken = heldByOthers(api, svc);
  for (let host = LOAD_BALANCER_POOL.first; host <= LOAD_BALANCER_POOL.last; host++) {
    const ip = `${LOAD_BALANCER_POOL.prefix}${host}`;
    if (!taken.has(ip)) return { ip };
  }
  return { exhausted: true };
}

/** The address a LoadBalancer Service holds now or is given next; undefined when it gets none. */
export function loadBalancerAddress(api: ObjectApi, svc: StoredObject): string | undefined {
  const allocation = allocateLoadBalancerAddress(api, svc);
  return 'ip' in allocation ? allocation.ip : undefined;
}
