import { type ReservedIpRow, reservedIpsRepository } from '@uncloud/db';
import {
  type KubeObject,
  holdsAddress,
  namespaceName,
  objectName,
  reservedIpServiceManifest,
} from '@uncloud/kube';
import type { IntentLookup } from './lookup.ts';
import { firstOf, waitingForNamespace, type KindReconciler } from './types.ts';

/** The droplet a reserved IP points at, unless it is gone or going. */
const assignedDroplet = (lookup: IntentLookup, row: ReservedIpRow) =>
  row.dropletId && lookup.droplet(row.projectId, row.dropletId) ? row.dropletId : null;

/** Why the cluster's load balancer gives the Service no address, in its own words, when it says. */
const refusal = (service: KubeObject | undefined, events: KubeObject[]): string | undefined => {
  // Cilium LB-IPAM: a condition on the Service.
  const conditions =
    (service?.status as { conditions?: { type?: string; status?: string; message?: string }[] } | undefined)
      ?.conditions ?? [];
  const cilium = conditions.find((c) => c.type === 'io.cilium/IPAMRequestSatisfied' && c.status === 'False');
  if (cilium?.message) return cilium.message;
  // MetalLB: a warning Event about the Service, the newest one.
  const name = service?.metadata.name;
  const warnings = (
    events as (KubeObject & {
      reason?: string;
      message?: string;
      lastTimestamp?: string;
      involvedObject?: { name?: string; uid?: string };
    })[]
  )
    .filter(
      (e) =>
        e.kind === 'Event' &&
        e.reason === ALLOCATION_FAILED &&
        e.involvedObject?.name === name &&
        (!service?.metadata.uid || e.involvedObject?.uid === service.metadata.uid),
    )
    .sort((a, b) => (a.lastTimestamp ?? '').localeCompare(b.lastTimestamp ?? ''));
  return warnings.at(-1)?.message;
};

/** MetalLB's Event reason for an address it may not give. */
export const ALLOCATION_FAILED = 'AllocationFailed';

/**
 * A reserved IP is one LoadBalancer Service asking for its address and selecting the launcher pod
 * of the droplet it is assigned to (what the droplet's firewalls allow, as the droplet's own address
 * forwards it; the droplet's own NetworkPolicy already admits those ports when no firewall applies).
 * Active once the cluster's load balancer gives the Service that very address.
 */
export const reservedIpReconciler: KindReconciler<ReservedIpRow> = {
  kind: 'reservedIp',
  ownedKinds: ['Service'],
  runtimeKinds: [],
  find: (db, id) => reservedIpsRepository.byId(db, id),
  all: (db) => reservedIpsRepository.all(db),
  namespaceOf: (row) => namespaceName(row.projectId),

  desired(lookup, row) {
    if (!lookup.namespaceReady(row.projectId)) return waitingForNamespace;
    const dropletId = assignedDroplet(lookup, row);
    const inbound = dropletId ? lookup.firewallInbound(row.projectId, dropletId) : null;
    return { objects: [reservedIpServiceManifest({ ...row, dropletId }, inbound)] };
  },

  // Until the address is given, the load balancer may be slow or may refuse it: a refusal it states
  // (outside its pools, held by another Service) is an error the administrator has to fix.
  failuresAbout: (row) => (row.state === 'active' ? [] : [objectName(row.id)]),
  failureReason: ALLOCATION_FAILED,

  observe(row, objects) {
    const service = firstOf(objects, 'Service');
    if (holdsAddress(service, row.ip)) return { state: 'active', values: { announced: true } };
    const why = service ? refusal(service, objects) : undefined;
    return why
      ? {
          state: 'error',
          values: { announced: false },
          error: `the cluster's load balancer does not give the address ${row.ip}: ${why} — ask the administrator to add it to the load balancer's pool (a MetalLB IPAddressPool or a CiliumLoadBalancerIPPool) or to take it out of UNCLOUD_RESERVED_IP_POOL`,
        }
      : { state: 'pending', values: { announced: false } };
  },

  record: (db, id, values) => reservedIpsRepository.recordSync(db, id, values),
  remove: (db, id) => void reservedIpsRepository.remove(db, id),
  touch: (db, ids, at) => reservedIpsRepository.touchObserved(db, ids, at),
};
