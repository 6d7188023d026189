import { type FirewallRow, firewallsRepository } from '@uncloud/db';
import { firewallPolicyManifest, namespaceName } from '@uncloud/kube';
import { waitingForNamespace, type KindReconciler } from './types.ts';

/** A firewall is a network policy over the droplets and apps it targets (tags resolved each pass). */
export const firewallReconciler: KindReconciler<FirewallRow> = {
  kind: 'firewall',
  ownedKinds: ['CiliumNetworkPolicy', 'NetworkPolicy'],
  runtimeKinds: [],
  find: (db, id) => firewallsRepository.byId(db, id),
  all: (db) => firewallsRepository.all(db),
  namespaceOf: (row) => namespaceName(row.projectId),

  desired(lookup, row, settings) {
    if (!lookup.namespaceReady(row.projectId)) return waitingForNamespace;
    const policy = firewallPolicyManifest(row, lookup.tagIndex(row.projectId), settings.policyFlavour);
    return { objects: policy ? [policy] : [] };
  },

  // A policy takes effect when the API server accepts it; there is no status to wait for.
  observe: () => ({ state: 'active', values: {} }),

  record: (db, id, values) => firewallsRepository.recordSync(db, id, values),
  remove: (db, id) => void firewallsRepository.remove(db, id),
  touch: (db, ids, at) => firewallsRepository.touchObserved(db, ids, at),
};
