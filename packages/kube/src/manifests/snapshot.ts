import type { DropletId, ProjectId, SnapshotId, VolumeId } from '@uncloud/sdk';
import { type KubeObject, metadata, objectName } from './meta.ts';

export interface SnapshotIntent {
  id: SnapshotId;
  projectId: ProjectId;
  /** The snapshot's own name (DNS-1123 label). */
  name: string;
  /** What it is of: a droplet's root disk or a volume (still named by its id if it is gone). */
  source: { kind: 'droplet'; id: DropletId } | { kind: 'volume'; id: VolumeId };
}

export const ACTION_ID = 'uncloud.dev/action-id';

const ownerOf = (snapshot: SnapshotIntent) => ({
  kind: 'snapshot' as const,
  id: snapshot.id,
  projectId: snapshot.projectId,
  name: snapshot.name,
});

/**
 * A droplet snapshot is a KubeVirt VirtualMachineSnapshot of its VM: KubeVirt takes a CSI
 * VolumeSnapshot of the root disk (the claim-backed volumes; cloud-init is left out). A volume
 * snapshot is a CSI VolumeSnapshot of its claim. Both are the snapshot's own objects, not the
 * droplet's or volume's: they outlive what they were taken of, and go when the snapshot is deleted.
 */
export const snapshotManifests = (snapshot: SnapshotIntent): KubeObject[] => [
  snapshot.source.kind === 'droplet'
    ? {
        apiVersion: 'snapshot.kubevirt.io/v1beta1',
        kind: 'VirtualMachineSnapshot',
        metadata: metadata(ownerOf(snapshot), objectName(snapshot.id)),
        spec: {
          source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: objectName(snapshot.source.id) },
        },
      }
    : {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshot',
        metadata: metadata(ownerOf(snapshot), objectName(snapshot.id)),
        spec: { source: { persistentVolumeClaimName: objectName(snapshot.source.id) } },
      },
];

/**
 * The VolumeSnapshot KubeVirt takes of a VM's root disk for a VirtualMachineSnapshot
 * (`vmsnapshot-<snapshot uid>-volume-<volume name>`, pkg/storage/snapshot): what a droplet made or
 * rebuilt from the snapshot clones its disk from.
 */
export const rootDiskVolumeSnapshotName = (vmSnapshotUid: string) =>
  `vmsnapshot-${vmSnapshotUid}-volume-rootdisk`;

/** The DataVolume a VirtualMachineRestore gives the VM's root disk (`restore-<restore uid>-<volume>`). */
export const restoredRootDiskName = (restoreUid: string) => `restore-${restoreUid}-rootdisk`;

export interface RestoreIntent {
  dropletId: DropletId;
  projectId: ProjectId;
  dropletName: string;
  snapshotId: SnapshotId;
  /** The action that restores: names the object, so a retry finds the same one. */
  actionId: string;
}

/**
 * A KubeVirt VirtualMachineRestore of a droplet's VM to one of its snapshots. Labelled with the
 * droplet as owner so it can be found; not one of the droplet's owned objects, so sync never prunes
 * it (KubeVirt keeps it as the record of the restore, and it goes with the VM).
 */
export const virtualMachineRestoreManifest = (restore: RestoreIntent): KubeObject => ({
  apiVersion: 'snapshot.kubevirt.io/v1beta1',
  kind: 'VirtualMachineRestore',
  metadata: metadata(
    { kind: 'droplet', id: restore.dropletId, projectId: restore.projectId, name: restore.dropletName },
    `restore-${objectName(restore.actionId)}`,
    { annotations: { [ACTION_ID]: restore.actionId } },
  ),
  spec: {
    target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: objectName(restore.dropletId) },
    virtualMachineSnapshotName: objectName(restore.snapshotId),
  },
});
