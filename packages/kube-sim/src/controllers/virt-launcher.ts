// The virt-launcher pod KubeVirt's virt-controller makes for a VirtualMachineInstance, as far as a
// ResourceQuota and the scheduler see it: the `compute` container asks for the VM's CPU and its
// guest memory plus KubeVirt's overhead (GetMemoryOverhead in
// pkg/virt-controller/services/renderresources.go), and each container disk brings a container
// and one init container with KubeVirt's minimal support-container requests.
import { parseQuantity } from '../quantity.ts';

const MI = 2 ** 20;
const LAUNCHER_IMAGE = 'quay.io/kubevirt/virt-launcher:v1.4.0';
const SUPPORT = { requests: { cpu: '10m', memory: '1M' }, limits: { cpu: '100m', memory: '40M' } };

interface Domain {
  cpu?: { cores?: number; sockets?: number; threads?: number };
  memory?: { guest?: string };
  resources?: { requests?: Record<string, string> };
}

/**
 * Memory KubeVirt adds to the guest's: page tables (guest kB / 512, in kB), virt-launcher-monitor
 * 25Mi, virt-launcher 100Mi, virtlogd 25Mi, virtqemud 40Mi, qemu 30Mi, 8Mi per vCPU, 8Mi for the
 * IO thread, 16Mi of video memory.
 */
export function memoryOverhead(guestBytes: number, vcpus: number): number {
  const pageTables = Math.floor(Math.ceil(guestBytes / 1000) / 512) * 1000;
  return pageTables + 220 * MI + 8 * MI * Math.max(1, vcpus) + 8 * MI + 16 * MI;
}

export function launcherPodSpec(vmiSpec: {
  domain?: Domain;
  volumes?: { name: string; containerDisk?: { image?: string } }[];
}): Record<string, unknown> {
  const domain = vmiSpec.domain ?? {};
  const cpu = domain.cpu ?? {};
  const vcpus = (cpu.cores ?? 1) * (cpu.sockets ?? 1) * (cpu.threads ?? 1);
  const guest = Math.ceil(
    parseQuantity(domain.resources?.requests?.memory ?? domain.memory?.guest ?? '1Gi') ?? 0,
  );
  const memory = String(guest + memoryOverhead(guest, vcpus));
  const requests = { cpu: String(domain.resources?.requests?.cpu ?? `${vcpus}`), memory };
  const disks = (vmiSpec.volumes ?? []).filter((v) => v.containerDisk);
  return {
    ...(disks.length > 0
      ? { initContainers: [{ name: 'container-disk-binary', image: LAUNCHER_IMAGE, resources: SUPPORT }] }
      : {}),
    containers: [
      { name: 'compute', image: LAUNCHER_IMAGE, resources: { requests, limits: { memory } } },
      ...disks.map((d) => ({
        name: `volume${d.name}`,
        image: d.containerDisk?.image ?? LAUNCHER_IMAGE,
        resources: SUPPORT,
      })),
    ],
  };
}
