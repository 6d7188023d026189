import { badRequest, conflict } from '@uncloud/sdk';
import {
  type Db,
  type VolumeRow,
  dropletsRepository,
  newId,
  volumesRepository as volumes,
} from '@uncloud/db';
import type { DropletId, Volume } from '@uncloud/sdk';
import { type ProjectScope, type VolumeService } from '@uncloud/sdk/contract';
import { nothingToChange } from './actions.ts';
import type { ServiceDeps } from './deps.ts';
import { reconciledOutput } from './present.ts';
import { assertWithinQuota } from './quota-usage.ts';
import { resourceService } from './resource-service.ts';

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
    ...reconciledOutput(row),
  }));

export const createVolumeService = (deps: ServiceDeps): VolumeService => {
  const base = resourceService(deps, 'volume', volumes, presentVolumes);

  return {
    list: base.list,
    get: base.get,

    create: (scope, input) =>
      base.commit(scope, (db) => {
        assertWithinQuota(db, scope.projectId, { volumeGiB: input.sizeGiB }, 'sizeGiB');
        return volumes.insert(db, {
          id: newId('volume'),
          projectId: scope.projectId,
          name: input.name,
          sizeGiB: input.sizeGiB,
          filesystem: input.filesystem,
          description: input.description,
          tags: input.tags,
        });
      }),

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
        assertWithinQuota(db, scope.projectId, { volumeGiB: sizeGiB - row.sizeGiB }, 'sizeGiB');
        return { patch: { sizeGiB }, params: { sizeGiB, from: row.sizeGiB } };
      }),
  };
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
