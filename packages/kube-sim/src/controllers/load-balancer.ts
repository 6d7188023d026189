// The load balancer of the simulated cluster: every LoadBalancer Service gets its own address from
// a pool, as MetalLB (or k3s ServiceLB with a pool per Service) hands them out, kept for the
// Service's life. TEST-NET-2 (198.51.100.0/24, RFC 5737): documentation addresses, never routable.
import type { ObjectApi } from '../object-api.ts';
import type { StoredObject } from '../types.ts';

export const LOAD_BALANCER_POOL = { prefix: '198.51.100.', first: 10, last: 254 } as const;

const addressOf = (svc: StoredObject): string | undefined =>
  (svc.status?.loadBalancer as { ingress?: { ip?: string }[] } | undefined)?.ingress?.[0]?.ip;

const inPool = (ip: string | undefined): ip is string => !!ip && ip.startsWith(LOAD_BALANCER_POOL.prefix);

/**
 * The address a LoadBalancer Service holds: the one it already has, else the lowest free one of the
 * pool; undefined when the pool is exhausted (the Service stays pending, as with a real allocator).
 */
export function loadBalancerAddress(api: ObjectApi, svc: StoredObject): string | undefined {
  const current = addressOf(svc);
  if (inPool(current)) return current;
  const taken = new Set(
    api.store
      .list('/services')
      .filter((s) => s.metadata.uid !== svc.metadata.uid)
      .map(addressOf)
      .filter(inPool),
  );
  for (let host = LOAD_BALANCER_POOL.first; host <= LOAD_BALANCER_POOL.last; host++) {
    const ip = `${LOAD_BALANCER_POOL.prefix}${host}`;
    if (!taken.has(ip)) return ip;
  }
  return undefined;
}
