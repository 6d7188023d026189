// What a fresh cluster holds: system namespaces, the kubernetes Service and the node; the `full`
// profile adds what provisioning installs (CRDs, default storage class and ingress class).
import { provisionedCrds } from './crds.ts';
import type { ObjectApi } from './object-api.ts';
import type { StoredObject } from './types.ts';

export type Profile = 'full' | 'bare';

export const NODE_NAME = 'uncloud-sim-1';
export const NODE_IP = '172.18.0.2';

function node(): StoredObject {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const ready = {
    type: 'Ready',
    status: 'True',
    reason: 'KubeletReady',
    message: 'kubelet is posting ready status',
    lastHeartbeatTime: now,
    lastTransitionTime: now,
  };
  const capacity = { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '200Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: NODE_NAME,
      labels: {
        'kubernetes.io/hostname': NODE_NAME,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node-role.kubernetes.io/control-plane': 'true',
        'node-role.kubernetes.io/master': 'true',
        'kubevirt.io/schedulable': 'true',
      },
    },
    spec: { podCIDR: '10.42.0.0/24', podCIDRs: ['10.42.0.0/24'], providerID: `k3s://${NODE_NAME}` },
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
        { type: 'InternalIP', address: NODE_IP },
        { type: 'Hostname', address: NODE_NAME },
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

export function seedCluster(api: ObjectApi, profile: Profile): void {
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
  api.create(t('/nodes'), '', node(), { keepStatus: true });
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
  api.create(t('networking.k8s.io/ingressclasses'), '', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: 'traefik', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
    spec: { controller: 'traefik.io/ingress-controller' },
  });
}
