import { type Db, type LoadBalancerRow, dropletsRepository, loadBalancersRepository } from '@uncloud/db';
import {
  defaultIngressSettings,
  type LoadBalancerBackend,
  type TagIndex,
  loadBalancerAddress,
  loadBalancerManifests,
  namespaceName,
  readyTargets,
} from '@uncloud/kube';
import { type DropletId, idPattern } from '@uncloud/sdk';
import type { IntentLookup } from './lookup.ts';
import { firstOf, waitingForNamespace, type KindReconciler } from './types.ts';

const isDroplet = (id: string) => idPattern('droplet').test(id);

/** The droplets a load balancer's targets mean now: its droplet ids, or its tag's droplets. */
export const targetDropletIds = (
  row: Pick<LoadBalancerRow, 'dropletIds' | 'tag'>,
  tags: TagIndex,
): string[] => [...new Set(row.tag ? (tags[row.tag] ?? []).filter(isDroplet) : row.dropletIds)].sort();

/**
 * Each target as it runs: its address, and ready while the droplet is up (`active`) and its health
 * check, as the health checker last judged it, passes. Not yet checked is not ready: traffic goes
 * to a target once it has answered.
 */
const backendsOf = (lookup: IntentLookup, row: LoadBalancerRow): LoadBalancerBackend[] =>
  targetDropletIds(row, lookup.tagIndex(row.projectId)).flatMap((dropletId) => {
    const droplet = lookup.droplet(row.projectId, dropletId);
    const ready = droplet?.state === 'active' && row.targetHealth[dropletId]?.healthy === true;
    return droplet ? [{ dropletId, ip: droplet.ip, ready }] : [];
  });

/**
 * A load balancer is a LoadBalancer Service, the EndpointSlice of its target droplets, and a
 * NetworkPolicy letting the internet reach those of them no firewall applies to.
 */
export const loadBalancerReconciler: KindReconciler<LoadBalancerRow> = {
  kind: 'loadBalancer',
  ownedKinds: ['Service', 'EndpointSlice', 'NetworkPolicy', 'Ingress', 'Secret'],
  runtimeKinds: [],
  find: (db, id) => loadBalancersRepository.byId(db, id),
  all: (db) => loadBalancersRepository.all(db),
  namespaceOf: (row) => namespaceName(row.projectId),

  desired(lookup, row, settings) {
    if (!lookup.namespaceReady(row.projectId)) return waitingForNamespace;
    return {
      objects: loadBalancerManifests(
        { ...row, forwardingRules: row.forwardingRules.map((r) => ({ ...r, hostname: r.hostname ?? null })) },
        backendsOf(lookup, row),
        lookup.firewalled(row.projectId),
        {
          ingress: {
            ...defaultIngressSettings,
            ...settings.loadBalancerIngress,
            className: settings.ingressClass,
          },
          checkerNamespace: settings.checkerNamespace,
        },
      ),
    };
  },

  // Active once the cluster's load balancer gave the Service an address; each target's health is
  // what the EndpointSlice in the cluster says of it.
  observe(row, objects) {
    const address = loadBalancerAddress(objects.find((o) => o.kind === 'Service'));
    const slice = firstOf(objects, 'EndpointSlice');
    const listed = (
      (slice as { endpoints?: { targetRef?: { name?: string } }[] } | undefined)?.endpoints ?? []
    ).map((e) => e.targetRef?.name ?? '');
    const ids = row.tag ? listed.map((name) => name.replace('-', '_')).filter(isDroplet) : row.dropletIds;
    return {
      state: address ? 'active' : 'pending',
      values: { address, healthy: readyTargets(slice, ids) },
    };
  },

  record: (db, id, values) => loadBalancersRepository.recordSync(db, id, values),
  remove: (db, id) => void loadBalancersRepository.remove(db, id),
  touch: (db, ids, at) => loadBalancersRepository.touchObserved(db, ids, at),
};

/**
 * The load balancers in front of a droplet now (by id or by one of its tags): their endpoints follow
 * its address and readiness, so they are reconciled after it.
 */
export const loadBalancersInFrontOf = (db: Db, dropletId: string): LoadBalancerRow['id'][] => {
  const droplet = dropletsRepository.byId(db, dropletId as DropletId);
  if (!droplet) return [];
  return loadBalancersRepository
    .all(db)
    .filter(
      (lb) =>
        lb.projectId === droplet.projectId &&
        lb.state !== 'deleting' &&
        (lb.tag ? droplet.tags.includes(lb.tag) : lb.dropletIds.includes(droplet.id)),
    )
    .map((lb) => lb.id);
};
