// What an intent costs in the terms of the project's ResourceQuota, read from the very objects the
// sync engine writes for it (and, for the pods controllers make from them, the pod those controllers
// make). The API checks intent against the quota with these, so it refuses what Kubernetes would.
import type { AppIntent } from './app.ts';
import { deploymentManifest } from './app.ts';
import type { DatabaseIntent } from './database.ts';
import { cnpgClusterManifest, statefulSetManifest } from './database.ts';
import type { DropletIntent } from './droplet.ts';
import { virtualMachineManifest } from './droplet.ts';
import type { KubeObject } from './meta.ts';
import type { VolumeIntent } from './volume.ts';
import { persistentVolumeClaimManifest } from './volume.ts';
import { parseQuantity } from '../quantity.ts';

/** A cost in exact units: millicores and bytes, as the quota admission counts them. */
export interface QuotaCost {
  droplets: number;
  apps: number;
  databases: number;
  /** Load balancers (each a `LoadBalancer` Service: `services.loadbalancers`). */
  loadBalancers: number;
  /** Reserved IPs (each a `LoadBalancer` Service too: `services.loadbalancers`). */
  reservedIps: number;
  /** `requests.cpu`, in millicores. */
  cpuMillis: number;
  /** `requests.memory`, in bytes. */
  memoryBytes: number;
  /** `requests.storage` of every claim, in bytes. */
  storageBytes: number;
}

export const zeroCost = (): QuotaCost => ({
  droplets: 0,
  apps: 0,
  databases: 0,
  loadBalancers: 0,
  reservedIps: 0,
  cpuMillis: 0,
  memoryBytes: 0,
  storageBytes: 0,
});

/** `a + times × b`, field by field. */
export const addCost = (a: QuotaCost, b: QuotaCost, times = 1): QuotaCost => ({
  droplets: a.droplets + times * b.droplets,
  apps: a.apps + times * b.apps,
  databases: a.databases + times * b.databases,
  loadBalancers: a.loadBalancers + times * b.loadBalancers,
  reservedIps: a.reservedIps + times * b.reservedIps,
  cpuMillis: a.cpuMillis + times * b.cpuMillis,
  memoryBytes: a.memoryBytes + times * b.memoryBytes,
  storageBytes: a.storageBytes + times * b.storageBytes,
});

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };
type Container = { name?: string; resources?: Resources };
export interface PodSpecLike {
  containers?: Container[];
  initContainers?: Container[];
  overhead?: Record<string, string>;
}

// The API server rounds requests up to whole millicores and bytes.
const millis = (q: string | undefined) => Math.ceil((parseQuantity(q) ?? 0) * 1000 - 1e-9);
const bytes = (q: string | undefined) => Math.ceil((parseQuantity(q) ?? 0) - 1e-9);

/** A container's request, or its limit when it states no request (the API server defaults it so). */
const requestOf = (c: Container, resource: 'cpu' | 'memory') =>
  c.resources?.requests?.[resource] ?? c.resources?.limits?.[resource];

/**
 * What a pod takes from `requests.cpu` and `requests.memory`, as Kubernetes' `PodRequests` counts it:
 * the sum of its containers or its largest init container, whichever is more, plus its overhead.
 */
export const podRequests = (spec: PodSpecLike): { cpuMillis: number; memoryBytes: number } => {
  const total = (resource: 'cpu' | 'memory', parse: (q: string | undefined) => number) => {
    const sum = (spec.containers ?? []).reduce((n, c) => n + parse(requestOf(c, resource)), 0);
    const init = Math.max(0, ...(spec.initContainers ?? []).map((c) => parse(requestOf(c, resource))));
    return Math.max(sum, init) + parse(spec.overhead?.[resource]);
  };
  return { cpuMillis: total('cpu', millis), memoryBytes: total('memory', bytes) };
};

const MI = 2 ** 20;

/**
 * What KubeVirt's virt-controller adds to a VM's guest memory in its virt-launcher pod
 * (`GetMemoryOverhead` in pkg/virt-controller/services/renderresources.go): page tables (one byte
 * per 512 of guest memory, counted in kB), its own processes (virt-launcher-monitor 25Mi,
 * virt-launcher 100Mi, virtlogd 25Mi, virtqemud 40Mi, qemu 30Mi), 8Mi per vCPU, 8Mi for the IO
 * thread and 16Mi of video memory (the graphics device is attached by default).
 */
export const kubevirtMemoryOverheadBytes = (guestBytes: number, vcpus: number): number => {
  const pageTables = Math.floor(Math.ceil(guestBytes / 1000) / 512) * 1000;
  const processes = (25 + 100 + 25 + 40 + 30) * MI;
  return pageTables + processes + 8 * MI * Math.max(1, vcpus) + 8 * MI + 16 * MI;
};

/** KubeVirt's requests for each container disk's container and its init container (10m, 1M). */
export const KUBEVIRT_SUPPORT_CONTAINER_REQUESTS = { cpu: '10m', memory: '1M' };

interface VmTemplate {
  domain?: {
    cpu?: { cores?: number; sockets?: number; threads?: number };
    memory?: { guest?: string };
    resources?: Resources;
  };
  volumes?: { name: string; containerDisk?: unknown }[];
}

/**
 * The requests of the virt-launcher pod KubeVirt runs a VM in: the `compute` container asks for the
 * VM's CPU and its memory plus KubeVirt's overhead; every container disk adds a container (and one
 * init container copies the binary they run).
 */
export const virtLauncherPodSpec = (vm: KubeObject): PodSpecLike => {
  const template = ((vm.spec as { template?: { spec?: VmTemplate } } | undefined)?.template?.spec ??
    {}) as VmTemplate;
  const domain = template.domain ?? {};
  const requests = domain.resources?.requests ?? {};
  const guest = bytes(requests.memory ?? domain.memory?.guest);
  const cpu = domain.cpu ?? {};
  const vcpus = (cpu.cores ?? 1) * (cpu.sockets ?? 1) * (cpu.threads ?? 1);
  const compute: Container = {
    name: 'compute',
    resources: {
      requests: {
        ...(requests.cpu ? { cpu: requests.cpu } : {}),
        memory: String(guest + kubevirtMemoryOverheadBytes(guest, vcpus)),
      },
    },
  };
  const disks = (template.volumes ?? []).filter((v) => v.containerDisk !== undefined);
  const support = (name: string): Container => ({
    name,
    resources: { requests: KUBEVIRT_SUPPORT_CONTAINER_REQUESTS },
  });
  return {
    containers: [compute, ...disks.map((d) => support(`volume${d.name}`))],
    initContainers: disks.length > 0 ? [support('container-disk-binary')] : [],
  };
};

const podCost = (spec: PodSpecLike, pods = 1): QuotaCost => {
  const { cpuMillis, memoryBytes } = podRequests(spec);
  return { ...zeroCost(), cpuMillis: pods * cpuMillis, memoryBytes: pods * memoryBytes };
};

/**
 * A droplet: one VirtualMachine, its launcher pod and its root disk's claim (a DataVolume's claim
 * counts against `requests.storage` like any other). A powered-off droplet runs no pod, but its
 * cost stays reserved so that powering it on is never refused for want of quota.
 */
export const dropletQuotaCost = (droplet: DropletIntent): QuotaCost => {
  // What the disk is imported from does not change what it costs (and a custom image's source is
  // not the manifests' to know): any source serves.
  const vm = virtualMachineManifest({
    ...droplet,
    poweredOn: true,
    rootDisk: { ...droplet.rootDisk, source: { snapshot: { name: 'quota-cost' } } },
  });
  const templates = ((vm.spec as { dataVolumeTemplates?: DataVolumeTemplate[] }).dataVolumeTemplates ??
    []) as DataVolumeTemplate[];
  return {
    ...podCost(virtLauncherPodSpec(vm)),
    storageBytes: templates.reduce((n, t) => n + bytes(t.spec?.storage?.resources?.requests?.storage), 0),
    droplets: 1,
  };
};

interface DataVolumeTemplate {
  spec?: { storage?: { resources?: { requests?: { storage?: string } } } };
}

/** The extra pods a rolling update may start (`maxSurge`, 25% by default, rounded up). */
export const rolloutSurge = (replicas: number, maxSurge: string | number = '25%'): number =>
  typeof maxSurge === 'number'
    ? maxSurge
    : maxSurge.endsWith('%')
      ? Math.ceil((replicas * Number(maxSurge.slice(0, -1))) / 100)
      : Number(maxSurge);

/**
 * An app: its Deployment's pods at the peak of a rollout, replicas plus the surge, since the quota
 * refuses a surge pod like any other and the rollout would stall.
 */
export const appQuotaCost = (app: AppIntent): QuotaCost => {
  const deployment = deploymentManifest(app);
  const replicas = deployment.spec?.replicas ?? 1;
  const surge =
    replicas === 0 ? 0 : rolloutSurge(replicas, deployment.spec?.strategy?.rollingUpdate?.maxSurge);
  return { ...podCost((deployment.spec?.template.spec ?? {}) as PodSpecLike, replicas + surge), apps: 1 };
};

/**
 * A database: its pods and claims. CloudNativePG runs one pod per instance with the Cluster's
 * resources and a claim of `storage.size` each (it replaces pods one at a time, never adding one);
 * MySQL and Valkey a StatefulSet's replicas, with a claim from its template each.
 */
export const databaseQuotaCost = (database: DatabaseIntent): QuotaCost => {
  if (database.engine === 'postgres') {
    const spec = cnpgClusterManifest(database).spec as {
      instances: number;
      storage: { size: string };
      resources: Resources;
    };
    return {
      ...podCost({ containers: [{ name: 'postgres', resources: spec.resources }] }, spec.instances),
      storageBytes: spec.instances * bytes(spec.storage.size),
      databases: 1,
    };
  }
  const statefulSet = statefulSetManifest({ ...database, engine: database.engine });
  const replicas = statefulSet.spec?.replicas ?? 1;
  const claims = (statefulSet.spec?.volumeClaimTemplates ?? []).reduce(
    (n, t) => n + bytes(t.spec?.resources?.requests?.storage),
    0,
  );
  return {
    ...podCost((statefulSet.spec?.template.spec ?? {}) as PodSpecLike, replicas),
    storageBytes: replicas * claims,
    databases: 1,
  };
};

/** A volume: its claim's storage. */
export const volumeQuotaCost = (volume: VolumeIntent): QuotaCost => ({
  ...zeroCost(),
  storageBytes: bytes(
    persistentVolumeClaimManifest(volume, { storageClass: undefined }).spec?.resources?.requests?.storage,
  ),
});

/** What a load balancer costs the quota: one `LoadBalancer` Service, no pods, no claims. */
export const loadBalancerQuotaCost = (): QuotaCost => ({ ...zeroCost(), loadBalancers: 1 });

/** What a reserved IP costs the quota: one `LoadBalancer` Service holding its address. */
export const reservedIpQuotaCost = (): QuotaCost => ({ ...zeroCost(), reservedIps: 1 });
