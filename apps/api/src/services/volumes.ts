import { badRequest, conflict } from '@uncloud/sdk';
import {
  type Db,
  type VolumeRow,
  dropletsRepository,
  newId,
  snapshotsRepository,
  volumesRepository as volumes,
} from '@uncloud/db';
import { volumeMountPath } from '@uncloud/kube';
import type { DropletId, SnapshotId, Volume } from '@uncloud/sdk';
import { type ProjectScope, type VolumeService } from '@uncloud/sdk/contract';
import { nothingToChange } from './actions.ts';
import type { ServiceDeps } from './deps.ts';
import { reconciledOutput } from './present.ts';
import { assertWithinQuota, volumeCost } from './quota-usage.ts';
import { resourceService } from './resource-service.ts';
import { assertSnapshotRoom, createSnapshotService } from './snapshots.ts';

const presentVolumes = (_db: Db, rows: VolumeRow[]): Volume[] =>
  rows.map((row): Volume => ({
    id: row.id,
    projectId: row.projectId,
    name: row.name,
    sizeGiB: row.sizeGiB,
    filesystem: row.filesystem,
    description: row.description,
    tags: row.tags,
    dropletId: row.dropletId,
    state: row.state,
    phase: row.phase,
    capacityGiB: row.capacityGiB,
    // Mounted by its droplet's cloud-init at every boot (see volumeBootScript).
    mountPath: row.dropletId ? volumeMountPath(row.name) : null,
    snapshotId: row.snapshotId,
    ...reconciledOutput(row),
  }));

export const createVolumeService = (deps: ServiceDeps): VolumeService => {
  const base = resourceService(deps, 'volume', volumes, presentVolumes);
  const snapshotService = createSnapshotService(deps);

  return {
    list: base.list,
    get: base.get,

    create: (scope, input) =>
      base.commit(scope, (db) => {
        const from = input.snapshotId
          ? volumeSnapshot(db, scope, input.snapshotId, input.sizeGiB)
          : undefined;
        assertWithinQuota(db, scope.projectId, volumeCost(scope.projectId, input.sizeGiB), 'sizeGiB');
        return volumes.insert(db, {
          id: newId('volume'),
          projectId: scope.projectId,
          name: input.name,
          sizeGiB: input.sizeGiB,
          // A restored volume holds the snapshot's filesystem, whatever was asked.
          filesystem: from?.filesystem ?? input.filesystem,
          description: input.description,
          tags: input.tags,
          ...(from ? { snapshotId: from.id, volumeSnapshot: from.volumeSnapshot } : {}),
        });
      }),

    snapshot: (scope, { id, name }) => {
      const row = deps.store.transaction((db) => {
        const volume = volumes.get(db, scope.projectId, id);
        // A volume not bound yet is snapshotted once it is (the snapshotter waits for the claim).
        if (volume.state === 'deleting') throw conflict(`volume ${volume.name} is being deleted`);
        assertSnapshotRoom(db, scope.projectId, volume.sizeGiB);
        return snapshotsRepository.insert(db, {
          id: newId('snapshot'),
          projectId: scope.projectId,
          name: name ?? timestamped(volume.name),
          resourceKind: 'volume',
          resourceId: volume.id,
          resourceName: volume.name,
          sizeGiB: volume.sizeGiB,
          dropletSize: null,
          image: null,
          filesystem: volume.filesystem,
        });
      });
      deps.events.emit({ kind: 'snapshot', id: row.id, projectId: scope.projectId });
      return snapshotService.get(scope, row);
    },

    update: (scope, { projectId: _, id, ...patch }) => base.update(scope, id, patch),

    delete: (scope, ref) =>
      base.delete(scope, ref, (_db, row) => {
        if (row.dropletId)
          throw conflict(`the volume is attached to droplet ${row.dropletId}; detach it first`);
      }),

    attach: (scope, { id, dropletId }) =>
      base.act(scope, id, 'attach', (db, row) => {
        if (row.dropletId === dropletId)
          throw nothingToChange(
            `volume ${row.name} is already attached to droplet ${dropletId}`,
            'dropletId',
          );
        if (row.dropletId)
          throw conflict(
            `volume ${row.name} is attached to droplet ${row.dropletId}; detach it first (a volume serves one droplet at a time)`,
          );
        const droplet = dropletsRepository.find(db, scope.projectId, dropletId);
        if (!droplet) throw badRequest(`droplet ${dropletId} is not in this project`, 'dropletId');
        if (droplet.state === 'deleting')
          throw conflict(`droplet ${droplet.name} is being deleted`, 'dropletId');
        return { patch: { dropletId }, params: { dropletId }, ...touchDroplet(db, scope, dropletId) };
      }),

    detach: (scope, ref) =>
      base.act(scope, ref.id, 'detach', (db, row) => {
        if (!row.dropletId) throw nothingToChange(`volume ${row.name} is not attached to any droplet`);
        return {
          patch: { dropletId: null },
          params: { dropletId: row.dropletId },
          ...touchDroplet(db, scope, row.dropletId),
        };
      }),

    resize: (scope, { id, sizeGiB }) =>
      base.act(scope, id, 'resize', (db, row) => {
        if (sizeGiB === row.sizeGiB)
          throw nothingToChange(`volume ${row.name} already is ${sizeGiB} GiB`, 'sizeGiB');
        if (sizeGiB < row.sizeGiB)
          throw badRequest(
            `volumes can only grow (${row.name} is ${row.sizeGiB} GiB); to use less, create a smaller volume and copy the data`,
            'sizeGiB',
          );
        assertWithinQuota(db, scope.projectId, volumeCost(scope.projectId, sizeGiB - row.sizeGiB), 'sizeGiB');
        return { patch: { sizeGiB }, params: { sizeGiB, from: row.sizeGiB } };
      }),
  };
};

/** `<name>-<yyyymmddhhmmss>`, within the 63 characters of a Kubernetes name. */
const timestamped = (name: string) =>
  `${name.slice(0, 48).replace(/-+$/, '')}-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;

/** A ready volume snapshot of the project that fits in a volume of `sizeGiB`. */
const volumeSnapshot = (db: Db, scope: ProjectScope, id: SnapshotId, sizeGiB: number) => {
  const snapshot = snapshotsRepository.find(db, scope.projectId, id);
  if (!snapshot) throw badRequest(`snapshot ${id} is not in this project`, 'snapshotId');
  if (snapshot.resourceKind !== 'volume' || !snapshot.filesystem)
    throw badRequest(
      `snapshot ${snapshot.name} is of a droplet; create a droplet from it (droplets.create with snapshotId)`,
      'snapshotId',
    );
  if (snapshot.state !== 'active' || !snapshot.volumeSnapshot)
    throw conflict(`snapshot ${snapshot.name} is ${snapshot.state}; use it once it is ready`, 'snapshotId');
  if (sizeGiB < snapshot.sizeGiB)
    throw badRequest(
      `must be at least ${snapshot.sizeGiB} GiB, the size of the volume snapshot ${snapshot.name} holds`,
      'sizeGiB',
    );
  return { id: snapshot.id, filesystem: snapshot.filesystem, volumeSnapshot: snapshot.volumeSnapshot };
};

/**
 * Attaching and detaching change the droplet's VM (its disks), so the droplet's intent moves too:
 * its new generation is what the action waits for.
 */
const touchDroplet = (db: Db, scope: ProjectScope, dropletId: DropletId) => {
  const droplet = dropletsRepository.update(db, scope.projectId, dropletId, {});
  return {
    generation: droplet.generation,
    revert: [{ kind: 'droplet' as const, id: dropletId, patch: {} }],
    touches: [{ kind: 'droplet' as const, id: dropletId, projectId: scope.projectId }],
  };
};
