import { type FirewallRow, firewallsRepository } from '@uncloud/db';
import { type KubeObject, RESOURCE_ID, firewallPolicyManifest, namespaceName } from '@uncloud/kube';
import { waitingForNamespace, type KindReconciler } from './types.ts';

interface Selector {
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** The resource ids a firewall's policy selects (it selects by `resource-id In […]`). */
const selectedIds = (policy: KubeObject): string[] => {
  const spec = policy.spec as { endpointSelector?: Selector; podSelector?: Selector } | undefined;
  const selector = spec?.endpointSelector ?? spec?.podSelector;
  return [
    ...new Set(
      (selector?.matchExpressions ?? [])
        .filter((e) => e.key === RESOURCE_ID && e.operator === 'In')
        .flatMap((e) => e.values ?? []),
    ),
  ].sort();
};

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

  // A policy takes effect when the API server accepts it; there is no status to wait for. What it
  // selects is what the firewall is enforced on, shown per droplet and app.
  observe(_row, objects) {
    const policy = objects.find((o) => o.kind === 'CiliumNetworkPolicy' || o.kind === 'NetworkPolicy');
    return {
      state: 'active',
      values: { appliedTo: policy ? selectedIds(policy) : [], policyKind: policy?.kind ?? null },
    };
  },

  record: (db, id, values) => firewallsRepository.recordSync(db, id, values),
  remove: (db, id) => void firewallsRepository.remove(db, id),
  touch: (db, ids, at) => firewallsRepository.touchObserved(db, ids, at),
};
