import type { DropletId, ProjectId } from '@uncloud/sdk';
import { type KubeObject, metadata, objectName } from './meta.ts';

export interface SnapshotIntent {
  dropletId: DropletId;
  projectId: ProjectId;
  dropletName: string;
  /** The snapshot's own name (DNS-1123 label). */
  name: string;
  /** The action that takes it: tells a retry of ours from a name taken before. */
  actionId: string;
}

export const ACTION_ID = 'uncloud.dev/action-id';

/**
 * A KubeVirt VirtualMachineSnapshot of a droplet's VM. Labelled with the droplet as owner so that it
 * can be found again; not one of the droplet's owned objects, so sync never prunes it.
 */
export const virtualMachineSnapshotManifest = (snapshot: SnapshotIntent): KubeObject => ({
  apiVersion: 'snapshot.kubevirt.io/v1beta1',
  kind: 'VirtualMachineSnapshot',
  metadata: metadata(
    {
      kind: 'droplet',
      id: snapshot.dropletId,
      projectId: snapshot.projectId,
      name: snapshot.dropletName,
    },
    snapshot.name,
    { annotations: { [ACTION_ID]: snapshot.actionId } },
  ),
  spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: objectName(snapshot.dropletId) } },
});
