import type { KubeObject } from '@uncloud/kube';

// Typed views of the status fields the engine reads. Controllers write status, never Uncloud, so
// every field may be missing (an object just created has none); only the fields read are named.

/** KubeVirt `VirtualMachine`: what `kubectl get vm` prints, and whether its instance is ready. */
export interface VirtualMachineStatus {
  printableStatus?: string;
  ready?: boolean;
}

/** KubeVirt `VirtualMachineInstance`: the running instance, where it runs and its address. */
export interface VirtualMachineInstanceStatus {
  phase?: string;
  nodeName?: string;
  interfaces?: { ipAddress?: string }[];
}

/** KubeVirt `VirtualMachineSnapshot`. */
export interface VirtualMachineSnapshotStatus {
  phase?: string;
  readyToUse?: boolean;
  error?: { message?: string };
}

export interface DeploymentCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** `apps/v1` Deployment: how far its rollout has come. */
export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  updatedReplicas?: number;
  conditions?: DeploymentCondition[];
}

/** `apps/v1` StatefulSet. */
export interface StatefulSetStatus {
  readyReplicas?: number;
}

/** `v1` PersistentVolumeClaim: bound or not, and the capacity the storage gave it. */
export interface PersistentVolumeClaimStatus {
  phase?: string;
  capacity?: { storage?: string };
}

/** CloudNativePG `Cluster`. */
export interface CnpgClusterStatus {
  phase?: string;
  readyInstances?: number;
  currentPrimary?: string;
}

/** `v1` Namespace. */
export interface NamespaceStatus {
  phase?: string;
}

interface StatusViews {
  VirtualMachine: VirtualMachineStatus;
  VirtualMachineInstance: VirtualMachineInstanceStatus;
  VirtualMachineSnapshot: VirtualMachineSnapshotStatus;
  Deployment: DeploymentStatus;
  StatefulSet: StatefulSetStatus;
  PersistentVolumeClaim: PersistentVolumeClaimStatus;
  Cluster: CnpgClusterStatus;
  Namespace: NamespaceStatus;
}

/**
 * The status of an object of `kind`, through its view: empty when the object is missing, is of
 * another kind, or reports no status yet.
 */
export const statusOf = <K extends keyof StatusViews>(
  object: KubeObject | null | undefined,
  kind: K,
): StatusViews[K] => {
  const status = object?.kind === kind ? object.status : undefined;
  // The gateway hands objects over as parsed JSON; this is where a kind's status gets its shape.
  return typeof status === 'object' && status !== null ? (status as StatusViews[K]) : {};
};
