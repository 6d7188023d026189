import type { ProjectRole, SyncState } from '@uncloud/sdk';

export const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

interface ReconciledRow {
  generation: number;
  observedGeneration: number;
  observedAt: Date | null;
  syncError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const syncStateOf = (row: ReconciledRow): SyncState => {
  if (row.syncError) return 'error';
  return row.observedGeneration >= row.generation ? 'synced' : 'pending';
};

/** The bookkeeping fields every reconciled resource shows, from its row. */
export const reconciledOutput = (row: ReconciledRow & { deletedAt: Date | null }) => ({
  generation: row.generation,
  observedGeneration: row.observedGeneration,
  observedAt: iso(row.observedAt),
  syncState: syncStateOf(row),
  syncError: row.syncError,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  deletedAt: iso(row.deletedAt),
});

/** Marks runtime facts `stale` while the cluster is out of reach; intent is unaffected. */
export const withStaleness =
  (runtime: { isStale(): boolean }) =>
  <T extends { syncState: SyncState }>(item: T): T =>
    runtime.isStale() ? { ...item, syncState: 'stale' } : item;

/**
 * Whether a role may read a resource's secrets (app environment values, droplet user data). Viewers
 * may not: they get the fields' shape with the values withheld, as `databases.credentials` refuses
 * them the password.
 */
export const readsSecrets = (scope: { role: ProjectRole }): boolean => scope.role !== 'viewer';
