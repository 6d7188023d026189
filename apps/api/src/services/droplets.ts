import {
  type Db,
  type DropletRow,
  dropletsRepository as droplets,
  newId,
  sshKeysRepository,
  volumeAttachments,
  volumesRepository,
} from '@uncloud/db';
import { type Droplet, findDropletSize, badRequest, conflict } from '@uncloud/sdk';
import { type DropletService, type ProjectScope } from '@uncloud/sdk/contract';
import { nothingToChange } from './actions.ts';
import type { ServiceDeps } from './deps.ts';
import { readsSecrets, reconciledOutput } from './present.ts';
import { assertWithinQuota } from './quota-usage.ts';
import { resourceService } from './resource-service.ts';

/** Droplets of a page with the volumes attached to them, loaded in one query. */
const presentDroplets = (db: Db, rows: DropletRow[], scope: ProjectScope): Droplet[] => {
  const secrets = readsSecrets(scope);
  const attached = volumeAttachments(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row): Droplet => {
    const size = findDropletSize(row.size);
    return {
      id: row.id,
      projectId: row.projectId,
      name: row.name,
      size: row.size,
      vcpus: size.vcpus,
      memoryMiB: size.memoryMiB,
      diskGiB: size.diskGiB,
      image: row.image,
      sshKeyIds: row.sshKeyIds,
      tags: row.tags,
      userData: secrets ? row.userData : null,
      userDataRedacted: !secrets && row.userData !== null,
      volumeIds: attached.get(row.id) ?? [],
      poweredOn: row.poweredOn,
      state: row.state,
      ip: row.ip,
      node: row.node,
      phase: row.phase,
      ...reconciledOutput(row),
    };
  });
};

/** `<droplet>-<yyyymmddhhmmss>`, within the 63 characters of a Kubernetes name. */
const defaultSnapshotName = (droplet: string) =>
  `${droplet.slice(0, 48).replace(/-+$/, '')}-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;

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

    powerOn: (scope, ref) =>
      base.act(scope, ref.id, 'powerOn', (_db, row) => {
        if (row.poweredOn) throw nothingToChange(`droplet ${row.name} is already powered on`);
        return { patch: { poweredOn: true } };
      }),

    powerOff: (scope, ref) =>
      base.act(scope, ref.id, 'powerOff', (_db, row) => {
        if (!row.poweredOn) throw nothingToChange(`droplet ${row.name} is already powered off`);
        return { patch: { poweredOn: false } };
      }),

    reboot: (scope, ref) =>
      base.act(scope, ref.id, 'reboot', (_db, row) => {
        if (!row.poweredOn)
          throw conflict(`droplet ${row.name} is powered off; start it with droplets.powerOn instead`);
        if (row.state !== 'active')
          throw conflict(`droplet ${row.name} is ${row.state}; reboot it once it is active`);
        return {};
      }),

    resize: (scope, { id, size }) =>
      base.act(scope, id, 'resize', (db, row) => {
        const from = findDropletSize(row.size);
        const to = findDropletSize(size);
        if (size === row.size) throw nothingToChange(`droplet ${row.name} already is ${size}`, 'size');
        if (to.diskGiB < from.diskGiB)
          throw badRequest(
            `disks cannot shrink: ${size} has ${to.diskGiB} GiB and the droplet has ${from.diskGiB} GiB; choose a size with at least ${from.diskGiB} GiB`,
            'size',
          );
        if (row.poweredOn)
          throw conflict(
            `resizing changes CPU and memory, which needs droplet ${row.name} stopped: power it off (droplets.powerOff), resize, then power it on`,
          );
        assertWithinQuota(
          db,
          scope.projectId,
          { vcpus: to.vcpus - from.vcpus, memoryMiB: to.memoryMiB - from.memoryMiB },
          'size',
        );
        return { patch: { size }, params: { size, from: row.size } };
      }),

    rebuild: (scope, { id, image }) =>
      base.act(scope, id, 'rebuild', (_db, row) => {
        if (row.poweredOn && row.state !== 'active')
          throw conflict(`droplet ${row.name} is ${row.state}; rebuild it once it is active or powered off`);
        const target = image ?? row.image;
        return { patch: { image: target }, params: { image: target } };
      }),

    snapshot: (scope, { id, name }) =>
      base.act(scope, id, 'snapshot', (_db, row) => {
        if (row.state !== 'active' && row.state !== 'stopped')
          throw conflict(`droplet ${row.name} is ${row.state}; take a snapshot once it is active or stopped`);
        return { params: { name: name ?? defaultSnapshotName(row.name) } };
      }),
  };
};
