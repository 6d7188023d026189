import { type Db, type SnapshotRow, quotasRepository, snapshotsRepository as snapshots } from '@uncloud/db';
import { type ProjectId, type Snapshot, quotaExceeded } from '@uncloud/sdk';
import type { SnapshotService } from '@uncloud/sdk/contract';
import type { ServiceDeps } from './deps.ts';
import { reconciledOutput, withStaleness } from './present.ts';
import { resourceService } from './resource-service.ts';

const presentSnapshots = (_db: Db, rows: SnapshotRow[]): Snapshot[] =>
  rows.map((row): Snapshot => ({
    id: row.id,
    projectId: row.projectId,
    name: row.name,
    resourceKind: row.resourceKind,
    resourceId: row.resourceId,
    resourceName: row.resourceName,
    sizeGiB: row.sizeGiB,
    dropletSize: row.dropletSize,
    image: row.image,
    filesystem: row.filesystem,
    state: row.state,
    ...reconciledOutput(row),
  }));

/**
 * Snapshots hold at most the project's storage limit (`volumeGiB`) in GiB, apart from its volumes
 * and disks: CSI snapshots take space of their own, not the claims' `requests.storage`, so the
 * cluster's ResourceQuota does not count them and the API does.
 */
export const assertSnapshotRoom = (db: Db, projectId: ProjectId, sizeGiB: number) => {
  const limit = quotasRepository.find(db, projectId)?.volumeGiB;
  if (limit === undefined) return;
  const used = snapshots.storageGiB(db, projectId);
  if (used + sizeGiB > limit)
    throw quotaExceeded(
      `this snapshot would hold ${sizeGiB} GiB and the project's snapshots already hold ${used} GiB; snapshots may hold up to the project's storage limit, ${limit} GiB (limit "volumeGiB"); delete a snapshot first, or ask an administrator to raise the quota`,
      'name',
    );
};

export const createSnapshotService = (deps: ServiceDeps): SnapshotService => {
  const base = resourceService(deps, 'snapshot', snapshots, presentSnapshots);
  return {
    // The generic list, with the filters by what a snapshot is of.
    list: (scope, input) => {
      const page = snapshots.list(deps.store.db, scope.projectId, input);
      const stale = withStaleness(deps.runtime);
      return {
        items: presentSnapshots(deps.store.db, page.items).map(stale),
        nextCursor: page.nextCursor,
        total: page.total,
      };
    },
    get: base.get,
    // A snapshot being taken may go too: its VirtualMachineSnapshot or VolumeSnapshot is deleted.
    delete: (scope, ref) => base.delete(scope, ref),
  };
};
