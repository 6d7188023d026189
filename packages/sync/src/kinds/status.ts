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
  /** Which of the VM's volumes the snapshot holds (KubeVirt leaves out those it cannot snapshot). */
  snapshotVolumes?: { includedVolumes?: string[]; excludedVolumes?: string[] };
  error?: { message?: string };
}

/** CDI `DataVolume`: how far its import or clone has come. */
export interface DataVolumeStatus {
  phase?: string;
  progress?: string;
}

/** CSI `VolumeSnapshot`. */
export interface VolumeSnapshotStatus {
  readyToUse?: boolean;
  restoreSize?: string;
  error?: { message?: string };
}

/** KubeVirt `VirtualMachineRestore`. */
export interface VirtualMachineRestoreStatus {
  complete?: boolean;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
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
  replicas?: number;
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
  instances?: number;
  readyInstances?: number;
  currentPrimary?: string;
  /** The point-in-time recovery window, once backups run (RFC 3339). */
  firstRecoverabilityPoint?: string;
  lastSuccessfulBackup?: string;
  /** Which version of each managed role's password Secret the operator has applied, or why not. */
  managedRolesStatus?: {
    passwordStatus?: Record<string, { resourceVersion?: string; transactionID?: number }>;
    cannotReconcile?: Record<string, string[]>;
  };
}

/** `batch/v1` Job: `Complete` or `Failed` once it has ended. */
export interface JobStatus {
  conditions?: DeploymentCondition[];
  startTime?: string;
  completionTime?: string;
  /** Pods running, and pods that ended each way. */
  active?: number;
  succeeded?: number;
  failed?: number;
}

/** CloudNativePG `Backup`: `phase` runs `pending` → `started`/`running` → `completed` or `failed`. */
export interface CnpgBackupStatus {
  phase?: string;
  startedAt?: string;
  stoppedAt?: string;
  beginWal?: string;
  endWal?: string;
  backupId?: string;
  /** Where Barman wrote it: `<destinationPath>/<serverName>/base/<backupId>/`. */
  destinationPath?: string;
  serverName?: string;
  error?: string;
}

/** `v1` ResourceQuota: what the quota controller counts as used, by resource name. */
export interface ResourceQuotaStatus {
  used?: Record<string, string>;
}

/** `v1` Namespace. */
export interface NamespaceStatus {
  phase?: string;
}

/** `objectbucket.io` ObjectBucketClaim: `Bound` once the provisioner has made the bucket. */
export interface ObjectBucketClaimStatus {
  phase?: string;
}

/** Rook `CephObjectStoreUser`: `Ready` once the user (and its keys) exist in the object store. */
export interface CephObjectStoreUserStatus {
  phase?: string;
}

interface StatusViews {
  ObjectBucketClaim: ObjectBucketClaimStatus;
  CephObjectStoreUser: CephObjectStoreUserStatus;
  VirtualMachine: VirtualMachineStatus;
  VirtualMachineInstance: VirtualMachineInstanceStatus;
  VirtualMachineSnapshot: VirtualMachineSnapshotStatus;
  VirtualMachineRestore: VirtualMachineRestoreStatus;
  DataVolume: DataVolumeStatus;
  VolumeSnapshot: VolumeSnapshotStatus;
  Deployment: DeploymentStatus;
  StatefulSet: StatefulSetStatus;
  PersistentVolumeClaim: PersistentVolumeClaimStatus;
  Cluster: CnpgClusterStatus;
  Namespace: NamespaceStatus;
  ResourceQuota: ResourceQuotaStatus;
  Job: JobStatus;
  Backup: CnpgBackupStatus;
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
