// What a fresh cluster holds: system namespaces, the kubernetes Service and the nodes; the `full`
// profile adds what provisioning installs (CRDs, default storage class and ingress class).
import { provisionedCrds } from './crds.ts';
import { clone } from './meta.ts';
import type { ObjectApi } from './object-api.ts';
import { parseQuantity } from './quantity.ts';
import type { StoredObject } from './types.ts';

export type Profile = 'full' | 'bare';

/** The simulated nodes: how many, and what each one offers the scheduler. */
export interface SimNodeOptions {
  /** How many nodes (default 1), named `uncloud-sim-1` … `uncloud-sim-N`. */
  count?: number;
  /** Each node's CPU, a Kubernetes quantity (default `8`). */
  cpu?: string;
  /** Each node's memory, a Kubernetes quantity (default `32Gi`). */
  memory?: string;
  /** How many pods each node runs at most (default 110, the kubelet's default). */
  pods?: number;
}

/** One node of 8 CPUs, 32 GiB and 110 pods: a single-node k3s, as kube-real's KWOK nodes are. */
export const DEFAULT_NODES: Required<SimNodeOptions> = { count: 1, cpu: '8', memory: '32Gi', pods: 110 };

export const NODE_NAME = 'uncloud-sim-1';
export const NODE_IP = '172.18.0.2';

/** The node options with their defaults, refused with the field named when they make no sense. */
export function resolveNodeOptions(options: SimNodeOptions = {}): Required<SimNodeOptions> {
  const o = { ...DEFAULT_NODES, ...options };
  if (!Number.isInteger(o.count) || o.count < 1 || o.count > 250)
    throw new Error(`nodes.count: must be an integer from 1 to 250, got ${String(o.count)}`);
  if (!((parseQuantity(o.cpu) ?? 0) > 0))
    throw new Error(`nodes.cpu: must be a positive quantity such as "8" or "500m", got ${String(o.cpu)}`);
  if (!((parseQuantity(o.memory) ?? 0) > 0))
    throw new Error(`nodes.memory: must be a positive quantity such as "32Gi", got ${String(o.memory)}`);
  if (!Number.isInteger(o.pods) || o.pods < 1)
    throw new Error(`nodes.pods: must be a positive integer, got ${String(o.pods)}`);
  return o;
}

/** Name and address of the i-th node (0-based). */
export function nodeIdentity(i: number): { name: string; ip: string } {
  return { name: `uncloud-sim-${i + 1}`, ip: `172.18.${Math.floor((i + 2) / 256)}.${(i + 2) % 256}` };
}

function node(i: number, o: Required<SimNodeOptions>): StoredObject {
  const { name, ip } = nodeIdentity(i);
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const ready = {
    type: 'Ready',
    status: 'True',
    reason: 'KubeletReady',
    message: 'kubelet is posting ready status',
    lastHeartbeatTime: now,
    lastTransitionTime: now,
  };
  const capacity = { cpu: o.cpu, memory: o.memory, pods: String(o.pods), 'ephemeral-storage': '200Gi' };
  // The first node is the k3s server (control plane), the others are agents.
  const role: Record<string, string> =
    i === 0
      ? { 'node-role.kubernetes.io/control-plane': 'true', 'node-role.kubernetes.io/master': 'true' }
      : {};
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        ...role,
        'kubevirt.io/schedulable': 'true',
      },
    },
    spec: { podCIDR: `10.42.${i}.0/24`, podCIDRs: [`10.42.${i}.0/24`], providerID: `k3s://${name}` },
    status: {
      capacity,
      allocatable: capacity,
      conditions: [
        {
          type: 'MemoryPressure',
          status: 'False',
          reason: 'KubeletHasSufficientMemory',
          message: 'kubelet has sufficient memory available',
          lastHeartbeatTime: now,
          lastTransitionTime: now,
        },
        {
          type: 'DiskPressure',
          status: 'False',
          reason: 'KubeletHasNoDiskPressure',
          message: 'kubelet has no disk pressure',
          lastHeartbeatTime: now,
          lastTransitionTime: now,
        },
        {
          type: 'PIDPressure',
          status: 'False',
          reason: 'KubeletHasSufficientPID',
          message: 'kubelet has sufficient PID available',
          lastHeartbeatTime: now,
          lastTransitionTime: now,
        },
        ready,
      ],
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.32.0+k3s1',
        kubeProxyVersion: 'v1.32.0+k3s1',
        containerRuntimeVersion: 'containerd://1.7.23-k3s2',
        operatingSystem: 'linux',
        architecture: 'amd64',
        osImage: 'Uncloud simulated node',
        kernelVersion: '6.8.0',
        machineID: '',
        systemUUID: '',
        bootID: '',
      },
    },
  };
}

/**
 * Make the configured nodes exist with the configured capacity: at seeding, and after a restart
 * from a data file written with other node options (other nodes are left as they are).
 */
export function ensureNodes(api: ObjectApi, options: SimNodeOptions = {}): void {
  const o = resolveNodeOptions(options);
  const type = api.registry.get('/nodes');
  if (!type) throw new Error('resource /nodes is not served');
  for (let i = 0; i < o.count; i++) {
    const want = node(i, o);
    const have = api.store.get('/nodes', '', want.metadata.name ?? '');
    if (!have) api.create(type, '', want, { keepStatus: true });
    else if (
      JSON.stringify(have.status?.capacity) !== JSON.stringify(want.status?.capacity) ||
      JSON.stringify(have.status?.allocatable) !== JSON.stringify(want.status?.allocatable)
    )
      api.store.put('/nodes', {
        ...clone(have),
        status: {
          ...clone(have.status),
          capacity: want.status?.capacity,
          allocatable: want.status?.allocatable,
        },
      });
  }
}

export function seedCluster(api: ObjectApi, profile: Profile, nodes: SimNodeOptions = {}): void {
  const t = (key: string) => {
    const type = api.registry.get(key);
    if (!type) throw new Error(`resource ${key} is not served`);
    return type;
  };
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    api.create(t('/namespaces'), '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  api.create(t('/services'), 'default', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      clusterIP: '10.43.0.1',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
    },
  });
  ensureNodes(api, nodes);
  if (profile === 'bare') return;
  // Trusted input (and large): created without decoding it against the CRD kind's schema again.
  for (const crd of provisionedCrds())
    api.create(t('apiextensions.k8s.io/customresourcedefinitions'), '', crd, {
      decoded: true,
      discardResult: true,
    });
  api.create(t('storage.k8s.io/storageclasses'), '', {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'local-path', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'rancher.io/local-path',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
    allowVolumeExpansion: true,
  });
  // The simulated storage can snapshot its volumes (a real local-path cannot; a cluster whose CSI
  // driver can has a class like this one), so droplet and volume snapshots work out of the box.
  api.create(t('snapshot.storage.k8s.io/volumesnapshotclasses'), '', {
    apiVersion: 'snapshot.storage.k8s.io/v1',
    kind: 'VolumeSnapshotClass',
    metadata: {
      name: 'local-path-snapshots',
      annotations: { 'snapshot.storage.kubernetes.io/is-default-class': 'true' },
    },
    driver: 'rancher.io/local-path',
    deletionPolicy: 'Delete',
  });
  // Rook-Ceph's bucket class (an ObjectBucketClaim's): its object store's RGW serves the buckets.
  api.create(t('storage.k8s.io/storageclasses'), '', {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'uncloud-buckets' },
    provisioner: 'rook-ceph.ceph.rook.io/bucket',
    parameters: { objectStoreName: 'uncloud-objects', objectStoreNamespace: 'rook-ceph' },
    reclaimPolicy: 'Delete',
  });
  api.create(t('networking.k8s.io/ingressclasses'), '', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: 'traefik', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
    spec: { controller: 'traefik.io/ingress-controller' },
  });
}
