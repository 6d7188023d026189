import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import type { Volume } from '@uncloud/sdk';
import { type KubeObject, metadata, objectName } from './meta.ts';

export type VolumeIntent = Pick<Volume, 'id' | 'projectId' | 'name' | 'sizeGiB' | 'filesystem'> & {
  /** The VolumeSnapshot (in the project's namespace) the volume is restored from. */
  volumeSnapshot?: string | null;
};

/**
 * A volume as a PersistentVolumeClaim; the filesystem is recorded for the droplet to format (a blank
 * disk only: one restored from a snapshot holds the snapshot's filesystem and data).
 */
export const persistentVolumeClaimManifest = (
  volume: VolumeIntent,
  { storageClass }: { storageClass: string | undefined },
): V1PersistentVolumeClaim & KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: metadata(
    { kind: 'volume', id: volume.id, projectId: volume.projectId, name: volume.name },
    objectName(volume.id),
    {
      annotations: { 'uncloud.dev/filesystem': volume.filesystem },
    },
  ),
  spec: {
    accessModes: ['ReadWriteOnce'],
    volumeMode: 'Filesystem',
    resources: { requests: { storage: `${volume.sizeGiB}Gi` } },
    ...(storageClass ? { storageClassName: storageClass } : {}),
    ...(volume.volumeSnapshot
      ? {
          dataSource: {
            apiGroup: 'snapshot.storage.k8s.io',
            kind: 'VolumeSnapshot',
            name: volume.volumeSnapshot,
          },
        }
      : {}),
  },
});
