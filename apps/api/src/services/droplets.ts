import {
  type Db,
  type DropletRow,
  dropletsRepository as droplets,
  newId,
  sshKeysRepository,
  volumeAttachments,
  volumesRepository,
} from '@uncloud/db';
import { type Droplet, findDropletSize } from '@uncloud/sdk';
import { badRequest, conflict, type DropletService } from '@uncloud/sdk/contract';
import type { ServiceDeps } from './deps.ts';
import { reconciledOutput } from './present.ts';
import { assertWithinQuota } from './quota-usage.ts';
import { resourceService } from './resource-service.ts';

/** Droplets of a page with the volumes attached to them, loaded in one query. */
const presentDroplets = (db: Db, rows: DropletRow[]): Droplet[] => {
  const attached = volumeAttachments(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row): Droplet => {
    const size = findDropletSize(row.size);
    return {
      id: row.id as Droplet['id'],
      projectId: row.projectId as Droplet['projectId'],
      name: row.name,
      size: row.size,
      vcpus: size.vcpus,
      memoryMiB: size.memoryMiB,
      diskGiB: size.diskGiB,
      image: row.image,
      sshKeyIds: row.sshKeyIds as Droplet['sshKeyIds'],
      tags: row.tags,
      userData: row.userData,
      volumeIds: (attached.get(row.id) ?? []) as Droplet['volumeIds'],
      state: row.state,
      ip: row.ip,
      node: row.node,
      phase: row.phase,
      ...reconciledOutput(row),
    };
  });
};

export const createDropletService = (deps: ServiceDeps): DropletService => {
  const base = resourceService(deps, 'droplet', droplets, presentDroplets);

  return {
    list: base.list,
    get: base.get,

    create: (scope, input) =>
      base.commit(scope, (db) => {
        input.sshKeyIds.forEach((id, i) => {
          if (!sshKeysRepository.find(db, scope.projectId, id)) {
            throw badRequest(`SSH key ${id} is not in this project`, `sshKeyIds.${i}`);
          }
        });
        input.volumeIds.forEach((id, i) => {
          const volume = volumesRepository.find(db, scope.projectId, id);
          if (!volume) throw badRequest(`volume ${id} is not in this project`, `volumeIds.${i}`);
          if (volume.dropletId)
            throw conflict(
              `volume ${id} is attached to droplet ${volume.dropletId}; detach it first`,
              `volumeIds.${i}`,
            );
          if (volume.state === 'deleting') throw conflict(`volume ${id} is being deleted`, `volumeIds.${i}`);
        });
        const size = findDropletSize(input.size);
        assertWithinQuota(
          db,
          scope.projectId,
          { droplets: 1, vcpus: size.vcpus, memoryMiB: size.memoryMiB },
          'size',
        );
        const row = droplets.insert(db, {
          id: newId('droplet'),
          projectId: scope.projectId,
          name: input.name,
          size: input.size,
          image: input.image,
          sshKeyIds: input.sshKeyIds,
          tags: input.tags,
          userData: input.userData ?? null,
        });
        for (const volumeId of input.volumeIds)
          volumesRepository.update(db, scope.projectId, volumeId, { dropletId: row.id });
        return row;
      }),

    update: (scope, { projectId: _, id, ...patch }) => base.update(scope, id, patch),

    delete: (scope, ref) => base.delete(scope, ref),
  };
};
