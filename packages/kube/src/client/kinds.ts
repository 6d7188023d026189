/** Where a kind lives in the Kubernetes REST API. */
export interface KindInfo {
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

/**
 * The kinds Uncloud reads and writes. A static table rather than discovery: the set is fixed by the
 * manifests, and it saves a round of discovery requests on every start and every reconnect.
 */
export const kinds = {
  Namespace: { apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false },
  Secret: { apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true },
  Service: { apiVersion: 'v1', kind: 'Service', plural: 'services', namespaced: true },
  // A load balancer's endpoints: its target droplets' addresses, written by Uncloud.
  EndpointSlice: {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    plural: 'endpointslices',
    namespaced: true,
  },
  PersistentVolumeClaim: {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    plural: 'persistentvolumeclaims',
    namespaced: true,
  },
  ResourceQuota: { apiVersion: 'v1', kind: 'ResourceQuota', plural: 'resourcequotas', namespaced: true },
  Pod: { apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true },
  Deployment: { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments', namespaced: true },
  StatefulSet: { apiVersion: 'apps/v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true },
  // A database password reset (MySQL, Valkey) runs as a Job.
  Job: { apiVersion: 'batch/v1', kind: 'Job', plural: 'jobs', namespaced: true },
  CronJob: { apiVersion: 'batch/v1', kind: 'CronJob', plural: 'cronjobs', namespaced: true },
  // Read for why a controller could not create a resource's pods (a quota that refused them).
  Event: { apiVersion: 'v1', kind: 'Event', plural: 'events', namespaced: true },
  Ingress: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', plural: 'ingresses', namespaced: true },
  NetworkPolicy: {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    plural: 'networkpolicies',
    namespaced: true,
  },
  Lease: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', plural: 'leases', namespaced: true },
  // Read-only, served by metrics-server: what each pod uses now, for the usage charts.
  PodMetrics: { apiVersion: 'metrics.k8s.io/v1beta1', kind: 'PodMetrics', plural: 'pods', namespaced: true },
  VirtualMachine: {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    plural: 'virtualmachines',
    namespaced: true,
  },
  VirtualMachineInstance: {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstance',
    plural: 'virtualmachineinstances',
    namespaced: true,
  },
  VirtualMachineSnapshot: {
    apiVersion: 'snapshot.kubevirt.io/v1beta1',
    kind: 'VirtualMachineSnapshot',
    plural: 'virtualmachinesnapshots',
    namespaced: true,
  },
  VirtualMachineRestore: {
    apiVersion: 'snapshot.kubevirt.io/v1beta1',
    kind: 'VirtualMachineRestore',
    plural: 'virtualmachinerestores',
    namespaced: true,
  },
  // CDI: a droplet's root disk, created by KubeVirt from the VM's dataVolumeTemplates.
  DataVolume: {
    apiVersion: 'cdi.kubevirt.io/v1beta1',
    kind: 'DataVolume',
    plural: 'datavolumes',
    namespaced: true,
  },
  // CSI snapshots (external-snapshotter): a volume's snapshot.
  VolumeSnapshot: {
    apiVersion: 'snapshot.storage.k8s.io/v1',
    kind: 'VolumeSnapshot',
    plural: 'volumesnapshots',
    namespaced: true,
  },
  // Buckets: a claim of the object store's bucket provisioner, and a Rook user per access key.
  ObjectBucketClaim: {
    apiVersion: 'objectbucket.io/v1alpha1',
    kind: 'ObjectBucketClaim',
    plural: 'objectbucketclaims',
    namespaced: true,
  },
  CephObjectStoreUser: {
    apiVersion: 'ceph.rook.io/v1',
    kind: 'CephObjectStoreUser',
    plural: 'cephobjectstoreusers',
    namespaced: true,
  },
  Cluster: { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', plural: 'clusters', namespaced: true },
  Backup: { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Backup', plural: 'backups', namespaced: true },
  ScheduledBackup: {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'ScheduledBackup',
    plural: 'scheduledbackups',
    namespaced: true,
  },
  CiliumNetworkPolicy: {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    plural: 'ciliumnetworkpolicies',
    namespaced: true,
  },
} as const satisfies Record<string, KindInfo>;

export type KindName = keyof typeof kinds;

export const kindOf = (object: { apiVersion: string; kind: string }): KindInfo => {
  const info = (kinds as Record<string, KindInfo>)[object.kind];
  if (!info || info.apiVersion !== object.apiVersion) {
    throw new Error(`Uncloud does not manage ${object.apiVersion} ${object.kind}`);
  }
  return info;
};

/** The collection path of a kind, in a namespace or across all of them. */
export const collectionPath = (info: KindInfo, namespace?: string) => {
  const base = info.apiVersion.includes('/') ? `/apis/${info.apiVersion}` : `/api/${info.apiVersion}`;
  return info.namespaced && namespace
    ? `${base}/namespaces/${namespace}/${info.plural}`
    : `${base}/${info.plural}`;
};
