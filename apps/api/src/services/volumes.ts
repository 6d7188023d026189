import { type Db, type VolumeRow, newId, volumesRepository as volumes } from '@uncloud/db';
import type { Volume } from '@uncloud/sdk';
import { conflict, type VolumeService } from '@uncloud/sdk/contract';
import type { ServiceDeps } from './deps.ts';
import { reconciledOutput } from './present.ts';
import { assertWithinQuota } from './quota-usage.ts';
import { resourceService } from './resource-service.ts';

const presentVolumes = (_db: Db, rows: VolumeRow[]): Volume[] =>
  rows.map((row): Volume => ({
    id: row.id as Volume['id'],
    projectId: row.projectId as Volume['projectId'],
    name: row.name,
    sizeGiB: row.sizeGiB,
    filesystem: row.filesystem,
    description: row.description,
    tags: row.tags,
    dropletId: row.dropletId as Volume['dropletId'],
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
  };
};
