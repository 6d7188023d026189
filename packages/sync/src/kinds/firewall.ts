import {
  type Db,
  type FirewallRow,
  appsRepository,
  dropletsRepository,
  firewallsRepository,
} from '@uncloud/db';
import { type TagIndex, firewallPolicyManifest, namespaceName } from '@uncloud/kube';
import { readyNamespace, waitingForNamespace } from './project-namespace.ts';
import { type KindReconciler, type SyncSettings } from './types.ts';

/** Which droplets and apps of the project carry each tag, as intent says now. */
const tagIndex = (db: Db, projectId: string): TagIndex => {
  const index: TagIndex = {};
  for (const row of [...dropletsRepository.all(db), ...appsRepository.all(db)]) {
    if (row.projectId !== projectId || row.state === 'deleting') continue;
    for (const tag of row.tags) (index[tag] ??= []).push(row.id);
  }
  return index;
};

/** A firewall is a network policy over the droplets and apps it targets (tags resolved each pass). */
export const firewallReconciler: KindReconciler<FirewallRow> = {
  kind: 'firewall',
  ownedKinds: ['CiliumNetworkPolicy', 'NetworkPolicy'],
  runtimeKinds: [],
  find: (db, id) => firewallsRepository.byId(db, id),
  all: (db) => firewallsRepository.all(db),
  namespaceOf: (row) => namespaceName(row.projectId),

  desired(db, row, settings: SyncSettings) {
    if (!readyNamespace(db, row.projectId)) return waitingForNamespace;
    const policy = firewallPolicyManifest(row as never, tagIndex(db, row.projectId), settings.policyFlavour);
    return { objects: policy ? [policy] : [] };
  },

  // A policy takes effect when the API server accepts it; there is no status to wait for.
  observe: () => ({ state: 'active', values: {} }),

  record: (db, id, values) => firewallsRepository.recordSync(db, id, values),
  remove: (db, id) => void firewallsRepository.remove(db, id),
};
