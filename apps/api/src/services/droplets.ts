import {
  type Db,
  type DropletRow,
  dropletsRepository as droplets,
  newId,
  snapshotsRepository as snapshots,
  sshKeysRepository,
  volumeAttachments,
  volumesRepository,
} from '@uncloud/db';
import { defaultRootDiskName, namespaceName, objectName } from '@uncloud/kube';
import stripAnsi from 'strip-ansi';
import {
  type Droplet,
  type DropletSizeSlug,
  type SnapshotId,
  findDropletSize,
  badRequest,
  conflict,
} from '@uncloud/sdk';
import { type DropletService, type ProjectScope } from '@uncloud/sdk/contract';
import { nothingToChange } from './actions.ts';
import type { ServiceDeps } from './deps.ts';
import { readsSecrets, reconciledOutput } from './present.ts';
import { assertWithinQuota, costDelta, dropletCost } from './quota-usage.ts';
import { imageOf } from './images.ts';
import { assertSnapshotRoom } from './snapshots.ts';
import { releaseReservedIps, reservedIpsOf } from './reserved-ips.ts';
import { resourceService } from './resource-service.ts';

/** Droplets of a page with the volumes attached to them, loaded in one query. */
const presentDroplets = (db: Db, rows: DropletRow[], scope: ProjectScope): Droplet[] => {
  const secrets = readsSecrets(scope);
  const attached = volumeAttachments(
    db,
    rows.map((r) => r.id),
  );
  const reserved = reservedIpsOf(
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
      rootDiskSnapshotId: row.rootDiskSnapshotId,
      sshKeyIds: row.sshKeyIds,
      tags: row.tags,
      userData: secrets ? row.userData : null,
      userDataRedacted: !secrets && row.userData !== null,
      volumeIds: attached.get(row.id) ?? [],
      poweredOn: row.poweredOn,
      state: row.state,
      ip: row.ip,
      publicIp: row.publicIp,
      reservedIp: reserved.get(row.id) ?? null,
      node: row.node,
      phase: row.phase,
      ...reconciledOutput(row),
    };
  });
};

/** The boot log kept at most: the console's last lines. */
const BOOT_LOG_LINES = 1000;

/** Console bytes as lines: escape sequences (colours, cursor moves) and trailing blank lines dropped. */
export const consoleLines = (text: string): string[] => {
  const lines = stripAnsi(text).split(/\r?\n|\r/);
  while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
  return lines.slice(-BOOT_LOG_LINES);
};

/** Five random characters that make a rebuilt droplet's root disk a new DataVolume. */
const newRootDiskSuffix = () => newId('droplet').slice(-5);

/**
 * A droplet snapshot of the project that a droplet of `size` can be made from: ready, and no larger
 * than the size's disk (a disk cannot shrink).
 */
const dropletSnapshot = (db: Db, scope: ProjectScope, id: SnapshotId, size: DropletSizeSlug) => {
  const snapshot = snapshots.find(db, scope.projectId, id);
  if (!snapshot) throw badRequest(`snapshot ${id} is not in this project`, 'snapshotId');
  if (snapshot.resourceKind !== 'droplet' || !snapshot.image)
    throw badRequest(
      `snapshot ${snapshot.name} is of a volume; create a volume from it (volumes.create with snapshotId)`,
      'snapshotId',
    );
  if (snapshot.state !== 'active' || !snapshot.volumeSnapshot)
    throw conflict(`snapshot ${snapshot.name} is ${snapshot.state}; use it once it is ready`, 'snapshotId');
  const disk = findDropletSize(size).diskGiB;
  if (disk < snapshot.sizeGiB)
    throw badRequest(
      `snapshot ${snapshot.name} holds a ${snapshot.sizeGiB} GiB disk and ${size} has ${disk} GiB; choose a size with at least ${snapshot.sizeGiB} GiB`,
      'size',
    );
  return { id: snapshot.id, image: snapshot.image, volumeSnapshot: snapshot.volumeSnapshot };
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
        const from = input.snapshotId ? dropletSnapshot(db, scope, input.snapshotId, input.size) : undefined;
        const image = input.image ?? from?.image;
        if (!image) throw badRequest('is required: choose an image', 'image');
        if (!from) imageOf(db, image);
        assertWithinQuota(db, scope.projectId, dropletCost(scope.projectId, { ...input, image }), 'size');
        const row = droplets.insert(db, {
          id: newId('droplet'),
          projectId: scope.projectId,
          name: input.name,
          size: input.size,
          image,
          ...(from ? { rootDiskSnapshotId: from.id, rootDiskVolumeSnapshot: from.volumeSnapshot } : {}),
          sshKeyIds: input.sshKeyIds,
          tags: input.tags,
          userData: input.userData ?? null,
        });
        for (const volumeId of input.volumeIds)
          volumesRepository.update(db, scope.projectId, volumeId, { dropletId: row.id });
        return row;
      }),

    update: (scope, { projectId: _, id, ...patch }) => base.update(scope, id, patch),

    // The console gives back what the guest printed (the simulated one replays its boot; a real
    // one what it prints while attached): read until it has been quiet a moment.
    async bootLog(scope, ref) {
      const row = droplets.get(deps.store.db, scope.projectId, ref.id);
      if (!row.poweredOn)
        throw conflict(`droplet ${row.name} is powered off: power it on to read its console`, 'id');
      const text = await deps.runtime.consoleOutput(namespaceName(row.projectId), objectName(row.id), {
        quietMs: 300,
        maxMs: 3000,
      });
      return { dropletId: row.id, lines: consoleLines(text), capturedAt: new Date().toISOString() };
    },

    // Its reserved IPs stay with the project, unassigned (DigitalOcean's rule).
    delete: (scope, ref) => {
      const released: string[] = [];
      const deleted = base.delete(scope, ref, (db, row) =>
        released.push(...releaseReservedIps(db, scope.projectId, row.id)),
      );
      for (const id of released) deps.events.emit({ kind: 'reservedIp', id, projectId: scope.projectId });
      return deleted;
    },

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
          costDelta(dropletCost(scope.projectId, { ...row, size }), dropletCost(scope.projectId, row)),
          'size',
        );
        return { patch: { size }, params: { size, from: row.size } };
      }),

    rebuild: (scope, { id, image, snapshotId }) =>
      base.act(scope, id, 'rebuild', (db, row) => {
        if (row.poweredOn && row.state !== 'active')
          throw conflict(`droplet ${row.name} is ${row.state}; rebuild it once it is active or powered off`);
        const from = snapshotId ? dropletSnapshot(db, scope, snapshotId, row.size) : undefined;
        const target = image ?? from?.image ?? row.image;
        if (!from) imageOf(db, target);
        // A new DataVolume name is a new disk: KubeVirt imports it afresh, from the image or snapshot.
        return {
          patch: {
            image: target,
            rootDisk: `${objectName(row.id)}-root-${newRootDiskSuffix()}`,
            rootDiskSnapshotId: from?.id ?? null,
            rootDiskVolumeSnapshot: from?.volumeSnapshot ?? null,
          },
          params: {
            image: target,
            ...(from ? { snapshotId: from.id } : {}),
            previousRootDisk: row.rootDisk ?? defaultRootDiskName(row.id),
          },
        };
      }),

    restore: (scope, { id, snapshotId }) =>
      base.act(scope, id, 'restore', (db, row) => {
        const snapshot = snapshots.find(db, scope.projectId, snapshotId);
        if (!snapshot) throw badRequest(`snapshot ${snapshotId} is not in this project`, 'snapshotId');
        if (snapshot.resourceKind !== 'droplet' || snapshot.resourceId !== row.id)
          throw badRequest(
            `snapshot ${snapshot.name} is not of droplet ${row.name}; rebuild from it (droplets.rebuild with snapshotId) or create a droplet from it instead`,
            'snapshotId',
          );
        if (snapshot.state !== 'active' || !snapshot.volumeSnapshot)
          throw conflict(
            `snapshot ${snapshot.name} is ${snapshot.state}; restore once it is ready`,
            'snapshotId',
          );
        if (row.poweredOn || row.state !== 'stopped')
          throw conflict(
            `droplet ${row.name} must be powered off to be restored (KubeVirt restores a stopped VM): power it off (droplets.powerOff), restore, then power it on`,
          );
        return {
          params: {
            snapshotId: snapshot.id,
            snapshotName: snapshot.name,
            previousRootDisk: row.rootDisk ?? defaultRootDiskName(row.id),
          },
          revert: [
            {
              kind: 'droplet',
              id: row.id,
              patch: {
                rootDisk: row.rootDisk,
                rootDiskSnapshotId: row.rootDiskSnapshotId,
                rootDiskVolumeSnapshot: row.rootDiskVolumeSnapshot,
              },
            },
          ],
        };
      }),

    snapshot: (scope, { id, name }) =>
      base.act(scope, id, 'snapshot', (db, row) => {
        if (row.state !== 'active' && row.state !== 'stopped')
          throw conflict(`droplet ${row.name} is ${row.state}; take a snapshot once it is active or stopped`);
        const size = findDropletSize(row.size);
        assertSnapshotRoom(db, scope.projectId, size.diskGiB);
        const snapshot = snapshots.insert(db, {
          id: newId('snapshot'),
          projectId: scope.projectId,
          name: name ?? defaultSnapshotName(row.name),
          resourceKind: 'droplet',
          resourceId: row.id,
          resourceName: row.name,
          sizeGiB: size.diskGiB,
          dropletSize: row.size,
          image: row.image,
          filesystem: null,
        });
        return {
          params: { snapshotId: snapshot.id, name: snapshot.name },
          touches: [{ kind: 'snapshot', id: snapshot.id, projectId: scope.projectId }],
        };
      }),
  };
};
