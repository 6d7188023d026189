import { type VolumeRow, volumesRepository } from '@uncloud/db';
import { namespaceName, parseQuantity, persistentVolumeClaimManifest } from '@uncloud/kube';
import { statusOf } from './status.ts';
import { waitingForNamespace, type KindReconciler, firstOf } from './types.ts';

/** A volume is a PersistentVolumeClaim; bound means usable. */
export const volumeReconciler: KindReconciler<VolumeRow> = {
  kind: 'volume',
  ownedKinds: ['PersistentVolumeClaim'],
  runtimeKinds: [],
  find: (db, id) => volumesRepository.byId(db, id),
  all: (db) => volumesRepository.all(db),
  namespaceOf: (row) => namespaceName(row.projectId),

  desired(lookup, row, settings) {
    if (!lookup.namespaceReady(row.projectId)) return waitingForNamespace;
    return {
      objects: [
        persistentVolumeClaimManifest(
          {
            id: row.id,
            projectId: row.projectId,
            name: row.name,
            sizeGiB: row.sizeGiB,
            filesystem: row.filesystem,
            volumeSnapshot: row.volumeSnapshot,
          },
          { storageClass: settings.storageClass },
        ),
      ],
    };
  },

  observe(_row, objects) {
    const pvc = statusOf(firstOf(objects, 'PersistentVolumeClaim'), 'PersistentVolumeClaim');
    const phase = pvc.phase ?? null;
    const capacity = parseQuantity(pvc.capacity?.storage ?? '');
    return {
      state: phase === 'Bound' ? 'active' : 'provisioning',
      values: { phase, capacityGiB: capacity === undefined ? null : Math.round(capacity / 2 ** 30) },
    };
  },

  record: (db, id, values) => volumesRepository.recordSync(db, id, values),
  remove: (db, id) => void volumesRepository.remove(db, id),
  touch: (db, ids, at) => volumesRepository.touchObserved(db, ids, at),
};
