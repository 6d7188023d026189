import { type VolumeRow, volumesRepository } from '@uncloud/db';
import { namespaceName, parseQuantity, persistentVolumeClaimManifest } from '@uncloud/kube';
import { waitingForNamespace, type KindReconciler, field, firstOf } from './types.ts';

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
            id: row.id as never,
            projectId: row.projectId as never,
            name: row.name,
            sizeGiB: row.sizeGiB,
            filesystem: row.filesystem,
          },
          { storageClass: settings.storageClass },
        ),
      ],
    };
  },

  observe(_row, objects) {
    const pvc = firstOf(objects, 'PersistentVolumeClaim');
    const phase = (field(pvc, 'status.phase') as string | undefined) ?? null;
    const capacity = parseQuantity(String(field(pvc, 'status.capacity.storage') ?? ''));
    return {
      state: phase === 'Bound' ? 'active' : 'provisioning',
      values: { phase, capacityGiB: capacity === undefined ? null : Math.round(capacity / 2 ** 30) },
    };
  },

  record: (db, id, values) => volumesRepository.recordSync(db, id, values),
  remove: (db, id) => void volumesRepository.remove(db, id),
  touch: (db, ids, at) => volumesRepository.touchObserved(db, ids, at),
};
