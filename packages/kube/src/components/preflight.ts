import type { K3sInfo, PreflightCheck } from '@uncloud/sdk';
import type { KubeObject } from '../manifests/meta.ts';
import { parseQuantity } from '../quantity.ts';

/** The k3s release the Setup page's commands install. */
export const K3S_VERSION = 'v1.32.5+k3s1';
/** KubeVirt 1.7 and CloudNativePG 1.28 support Kubernetes 1.30 and later. */
export const MIN_KUBERNETES = [1, 30] as const;
export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
/** What KubeVirt's device plugin reports on a node with /dev/kvm. */
export const KVM_DEVICE = 'devices.kubevirt.io/kvm';

interface NodeView {
  metadata: { name: string; labels?: Record<string, string> };
  spec?: { unschedulable?: boolean; taints?: { effect?: string }[] };
  status?: {
    allocatable?: Record<string, string>;
    conditions?: { type?: string; status?: string }[];
    nodeInfo?: { kubeletVersion?: string };
    addresses?: { type?: string; address?: string }[];
  };
}

export interface ClusterFacts {
  nodes: KubeObject[];
  storageClasses: KubeObject[];
  /** KubeVirt is installed (its VirtualMachine CRD is served). */
  kubevirtInstalled: boolean;
  /** The KubeVirt resource asks for software emulation (no /dev/kvm needed). */
  emulation: boolean;
}

const view = (node: KubeObject) => node as unknown as NodeView;
const ready = (node: NodeView) =>
  node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
const schedulable = (node: NodeView) =>
  ready(node) &&
  !node.spec?.unschedulable &&
  !(node.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule');

/** `v1.32.0+k3s1` → [1, 32]. */
export const minorOf = (version: string): [number, number] | null => {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  return m ? [Number(m[1]), Number(m[2])] : null;
};

/** The default storage class's name (the annotation k8s reads), null when none is marked. */
export const defaultStorageClass = (classes: KubeObject[]): string | null =>
  classes.find((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true')?.metadata.name ?? null;

/** The checks before an install, each with a sentence saying what to do (pure). */
export const preflightChecks = (facts: ClusterFacts): PreflightCheck[] => {
  const nodes = facts.nodes.map(view);
  const checks: PreflightCheck[] = [];
  const versions = nodes.map((n) => n.status?.nodeInfo?.kubeletVersion ?? '').filter(Boolean);
  const oldest = versions
    .map((v) => ({ v, minor: minorOf(v) }))
    .filter((x) => x.minor)
    .sort((a, b) => a.minor![0] - b.minor![0] || a.minor![1] - b.minor![1])[0];
  const min = `${MIN_KUBERNETES[0]}.${MIN_KUBERNETES[1]}`;
  if (!oldest)
    checks.push({
      id: 'kubernetes-version',
      status: 'failed',
      message: 'no node reports a Kubernetes version: are nodes registered?',
    });
  else if (
    oldest.minor![0] < MIN_KUBERNETES[0] ||
    (oldest.minor![0] === MIN_KUBERNETES[0] && oldest.minor![1] < MIN_KUBERNETES[1])
  )
    checks.push({
      id: 'kubernetes-version',
      status: 'failed',
      message: `Kubernetes ${oldest.v} is older than ${min}, the oldest that KubeVirt and CloudNativePG support here: upgrade the cluster`,
    });
  else
    checks.push({
      id: 'kubernetes-version',
      status: 'ok',
      message: `Kubernetes ${oldest.v} (${min} or later needed)`,
    });

  const usable = nodes.filter(schedulable);
  const kvm = usable.filter((n) => (parseQuantity(n.status?.allocatable?.[KVM_DEVICE]) ?? 0) > 0);
  if (kvm.length > 0)
    checks.push({
      id: 'virtualization',
      status: 'ok',
      message: `${kvm.length} of ${nodes.length} nodes offer /dev/kvm for virtual machines`,
    });
  else if (facts.emulation)
    checks.push({
      id: 'virtualization',
      status: 'warning',
      message: 'no node reports /dev/kvm; KubeVirt is set to software emulation, so droplets run, slowly',
    });
  else if (facts.kubevirtInstalled)
    checks.push({
      id: 'virtualization',
      status: 'failed',
      message: `no schedulable node reports ${KVM_DEVICE}: enable hardware virtualization (/dev/kvm) on the nodes, or set spec.configuration.developerConfiguration.useEmulation on the KubeVirt resource`,
    });
  else
    checks.push({
      id: 'virtualization',
      status: 'warning',
      message:
        'checked once KubeVirt runs (its handler reports /dev/kvm per node): nodes need hardware virtualization, or emulation must be enabled',
    });

  const defaultClass = defaultStorageClass(facts.storageClasses);
  if (!defaultClass)
    checks.push({
      id: 'storage-class',
      status: 'failed',
      message:
        'no default storage class: install the Storage class component (Longhorn, Rook-Ceph, or k3s local-path on one node)',
    });
  else if (defaultClass === 'local-path' && nodes.length > 1)
    checks.push({
      id: 'storage-class',
      status: 'warning',
      message: `the default storage class is k3s local-path on ${nodes.length} nodes: a volume lives on one node's disk and is lost with it; install Longhorn or Rook-Ceph`,
    });
  else checks.push({ id: 'storage-class', status: 'ok', message: `default storage class: ${defaultClass}` });

  const cpu = usable.reduce((sum, n) => sum + (parseQuantity(n.status?.allocatable?.cpu) ?? 0), 0);
  const memGi =
    usable.reduce((sum, n) => sum + (parseQuantity(n.status?.allocatable?.memory) ?? 0), 0) / 2 ** 30;
  const room = `${usable.length} schedulable nodes with ${cpu} CPUs and ${memGi.toFixed(1)} GiB allocatable`;
  checks.push(
    cpu < 2 || memGi < 4
      ? {
          id: 'capacity',
          status: 'failed',
          message: `${room}: the components alone need 2 CPUs and 4 GiB; add nodes`,
        }
      : cpu < 4 || memGi < 8
        ? {
            id: 'capacity',
            status: 'warning',
            message: `${room}: enough for the components, little left for droplets and databases`,
          }
        : { id: 'capacity', status: 'ok', message: room },
  );
  return checks;
};

/** Whether the cluster is k3s, and the pinned commands to install it or join it (pure). */
export const k3sInfo = (nodes: KubeObject[]): K3sInfo => {
  const views = nodes.map(view);
  const versions = views.map((n) => n.status?.nodeInfo?.kubeletVersion ?? '');
  const k3s = versions.find((v) => v.includes('+k3s'));
  const server = views.find((n) => n.metadata.labels?.['node-role.kubernetes.io/control-plane'] === 'true');
  const address =
    server?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '<server-address>';
  const get = `curl -sfL https://get.k3s.io | INSTALL_K3S_VERSION=${K3S_VERSION}`;
  return {
    detected: Boolean(k3s),
    version: k3s ?? versions.find(Boolean) ?? null,
    pinnedVersion: K3S_VERSION,
    installCommand: `${get} sh -s - server --write-kubeconfig-mode 0600`,
    joinCommand: `${get} K3S_URL=https://${address}:6443 K3S_TOKEN=<contents of /var/lib/rancher/k3s/server/node-token> sh -s - agent`,
  };
};
