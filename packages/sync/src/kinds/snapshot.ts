import { type SnapshotRow, snapshotsRepository } from '@uncloud/db';
import { namespaceName, rootDiskVolumeSnapshotName, snapshotManifests } from '@uncloud/kube';
import { DropletId, VolumeId } from '@uncloud/sdk';
import { statusOf } from './status.ts';
import { waitingForNamespace, type KindReconciler, firstOf } from './types.ts';

/**
 * A snapshot is a KubeVirt VirtualMachineSnapshot (of a droplet) or a CSI VolumeSnapshot (of a
 * volume), written once and kept as it is: active once ready to use, in error when the snapshotter
 * gave up. It records the VolumeSnapshot holding the disk, which droplets and volumes made from it
 * clone from.
 */
export const snapshotReconciler: KindReconciler<SnapshotRow> = {
  kind: 'snapshot',
  ownedKinds: ['VirtualMachineSnapshot', 'VolumeSnapshot'],
  runtimeKinds: [],
  find: (db, id) => snapshotsRepository.byId(db, id),
  all: (db) => snapshotsRepository.all(db),
  namespaceOf: (row) => namespaceName(row.projectId),

  desired(lookup, row) {
    if (!lookup.namespaceReady(row.projectId)) return waitingForNamespace;
    const source =
      row.resourceKind === 'droplet'
        ? { kind: 'droplet' as const, id: DropletId.parse(row.resourceId) }
        : { kind: 'volume' as const, id: VolumeId.parse(row.resourceId) };
    return {
      objects: snapshotManifests({ id: row.id, projectId: row.projectId, name: row.name, source }),
    };
  },

  observe(row, objects) {
    if (row.resourceKind === 'droplet') {
      const object = firstOf(objects, 'VirtualMachineSnapshot');
      const status = statusOf(object, 'VirtualMachineSnapshot');
      const ready = status.readyToUse === true && object?.metadata.uid !== undefined;
      // Ready without the root disk (its storage class has no VolumeSnapshotClass): nothing to restore.
      const withoutDisk = ready && !(status.snapshotVolumes?.includedVolumes ?? []).includes('rootdisk');
      return {
        state: status.phase === 'Failed' || withoutDisk ? 'error' : ready ? 'active' : 'provisioning',
        values: {
          volumeSnapshot: ready && !withoutDisk ? rootDiskVolumeSnapshotName(object.metadata.uid!) : null,
        },
      };
    }
    const object = firstOf(objects, 'VolumeSnapshot');
    const status = statusOf(object, 'VolumeSnapshot');
    const ready = status.readyToUse === true;
    return {
      state: ready ? 'active' : 'provisioning',
      values: { volumeSnapshot: ready ? object!.metadata.name : null },
    };
  },

  record: (db, id, values) => snapshotsRepository.recordSync(db, id, values),
  remove: (db, id) => void snapshotsRepository.remove(db, id),
  touch: (db, ids, at) => snapshotsRepository.touchObserved(db, ids, at),
};
