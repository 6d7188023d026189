// Simulated KubeVirt: a VirtualMachine that should run gets a VirtualMachineInstance, which moves
// Pending → Scheduling → Scheduled → Running through its virt-launcher pod and takes the pod's IP.
import { nowIso, ownerRef, randomSuffix } from '../meta.ts';
import type { ObjectApi } from '../object-api.ts';
import type { StoredObject } from '../types.ts';
import { objKey, splitKey, type Controller } from './manager.ts';
import {
  deleteIgnoringMissing,
  emitEvent,
  isReady,
  mustType,
  withCondition,
  writeStatus,
  type Condition,
} from './util.ts';

const VM = 'kubevirt.io/virtualmachines';
const VMI = 'kubevirt.io/virtualmachineinstances';

function shouldRun(vm: StoredObject): boolean {
  const strategy = vm.spec?.runStrategy as string | undefined;
  if (strategy) return strategy === 'Always' || strategy === 'RerunOnFailure' || strategy === 'Once';
  return vm.spec?.running === true;
}

interface VmVolume {
  name: string;
  persistentVolumeClaim?: { claimName?: string };
  dataVolume?: { name?: string };
  containerDisk?: unknown;
  cloudInitNoCloud?: unknown;
}

function volumesOf(spec: { volumes?: VmVolume[] } | undefined): VmVolume[] {
  return spec?.volumes ?? [];
}

function claimsOf(spec: { volumes?: VmVolume[] } | undefined): string[] {
  return volumesOf(spec).flatMap((v) =>
    v.persistentVolumeClaim?.claimName ? [v.persistentVolumeClaim.claimName] : [],
  );
}

/** status.volumeStatus of a running instance: one entry per volume, disks as vda, vdb, … */
function volumeStatus(api: ObjectApi, vmi: StoredObject): unknown[] {
  return volumesOf(vmi.spec).map((v, i) => {
    const entry: Record<string, unknown> = { name: v.name, target: `vd${String.fromCharCode(97 + i)}` };
    const claim = v.persistentVolumeClaim?.claimName;
    if (claim) {
      const pvc = api.store.get('/persistentvolumeclaims', vmi.metadata.namespace ?? '', claim);
      entry.persistentVolumeClaimInfo = {
        claimName: claim,
        accessModes: pvc?.status?.accessModes ?? [],
        capacity: pvc?.status?.capacity ?? {},
        volumeMode: pvc?.spec?.volumeMode ?? 'Filesystem',
      };
    }
    return entry;
  });
}

function launcherPod(api: ObjectApi, vmi: StoredObject): StoredObject | undefined {
  return api.store
    .list('/pods', vmi.metadata.namespace)
    .find((p) => (p.metadata.ownerReferences ?? []).some((r) => r.uid === vmi.metadata.uid));
}

export const virtualMachineController: Controller = {
  name: 'virtualmachine',
  keysFor(e, { api }) {
    if (e.typeKey === VM) return [objKey(VM, e.object.metadata.namespace, e.object.metadata.name)];
    if (e.typeKey === VMI) return [objKey(VM, e.object.metadata.namespace, e.object.metadata.name)];
    if (e.typeKey === '/persistentvolumeclaims' && e.type === 'ADDED') {
      const claim = e.object.metadata.name ?? '';
      return api.store
        .list(VM, e.object.metadata.namespace)
        .filter((vm) => claimsOf(vm.spec?.template?.spec).includes(claim))
        .map((vm) => objKey(VM, vm.metadata.namespace, vm.metadata.name));
    }
    return [];
  },
  reconcile(key, { api }) {
    const vmType = api.registry.get(VM);
    const vmiType = api.registry.get(VMI);
    if (!vmType || !vmiType) return;
    const { namespace, name } = splitKey(key);
    const vm = api.find(vmType, namespace, name);
    if (!vm || vm.metadata.deletionTimestamp) return;
    let vmi = api.find(vmiType, namespace, name);
    const run = shouldRun(vm);
    const missingClaim = claimsOf(vm.spec?.template?.spec).find(
      (c) => !api.store.get('/persistentvolumeclaims', namespace, c),
    );
    if (run && !vmi && missingClaim) {
      const conditions = withCondition(vm.status?.conditions, {
        type: 'Ready',
        status: 'False',
        reason: 'VMINotExists',
        message: 'VMI does not exist',
        lastProbeTime: null,
      });
      writeStatus(api, vmType, vm, {
        printableStatus: 'ErrorPvcNotFound',
        conditions,
        observedGeneration: vm.metadata.generation,
        desiredGeneration: vm.metadata.generation,
        runStrategy: vm.spec?.runStrategy ?? 'Always',
      });
      return;
    }
    if (run && !vmi) {
      const template = vm.spec?.template ?? {};
      vmi = api.create(vmiType, namespace, {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachineInstance',
        metadata: {
          name,
          labels: { ...template.metadata?.labels },
          annotations: { ...template.metadata?.annotations },
          ownerReferences: [ownerRef(vm)],
        },
        spec: template.spec ?? {},
      });
      emitEvent(
        api,
        vm,
        'SuccessfulCreate',
        `Started the virtual machine by creating the new virtual machine instance ${name}`,
        'virtualmachine-controller',
      );
    } else if (!run && vmi && !vmi.metadata.deletionTimestamp) {
      deleteIgnoringMissing(api, vmiType, vmi);
      emitEvent(
        api,
        vm,
        'SuccessfulDelete',
        `Stopped the virtual machine by deleting the virtual machine instance ${vmi.metadata.uid}`,
        'virtualmachine-controller',
      );
      vmi = api.find(vmiType, namespace, name);
    }
    const phase: string | undefined = vmi?.status?.phase;
    const ready = !!vmi && phase === 'Running' && isReady(vmi);
    let printable = 'Stopped';
    if (vmi?.metadata.deletionTimestamp || (vmi && !run)) printable = 'Stopping';
    else if (vmi && phase === 'Running') printable = 'Running';
    else if (vmi && (phase === 'Scheduling' || phase === 'Scheduled')) printable = 'Starting';
    else if (vmi) printable = 'Provisioning';
    else if (run) printable = 'Starting';
    const conditions: Condition[] = withCondition(
      vm.status?.conditions,
      ready
        ? { type: 'Ready', status: 'True', lastProbeTime: null }
        : {
            type: 'Ready',
            status: 'False',
            reason: vmi ? 'PodNotReady' : 'VMINotExists',
            message: vmi ? 'VMI is not ready' : 'VMI does not exist',
            lastProbeTime: null,
          },
    );
    const status: Record<string, unknown> = {
      printableStatus: printable,
      created: !!vmi,
      ready,
      conditions,
      observedGeneration: vm.metadata.generation,
      desiredGeneration: vm.metadata.generation,
      runStrategy: vm.spec?.runStrategy ?? (vm.spec?.running ? 'Always' : 'Halted'),
    };
    if (!vmi) delete status.created;
    if (!ready) delete status.ready;
    writeStatus(api, vmType, vm, status);
  },
};

export const virtualMachineInstanceController: Controller = {
  name: 'virtualmachineinstance',
  keysFor(e) {
    if (e.typeKey === VMI && e.type !== 'DELETED')
      return [objKey(VMI, e.object.metadata.namespace, e.object.metadata.name)];
    if (e.typeKey === '/pods' && e.object.metadata.labels?.['kubevirt.io'] === 'virt-launcher') {
      const ref = (e.object.metadata.ownerReferences ?? []).find((r) => r.kind === 'VirtualMachineInstance');
      return ref ? [objKey(VMI, e.object.metadata.namespace, ref.name)] : [];
    }
    return [];
  },
  reconcile(key, { api, isHeld }) {
    const vmiType = api.registry.get(VMI);
    if (!vmiType) return;
    const { namespace, name } = splitKey(key);
    const vmi = api.find(vmiType, namespace, name);
    if (!vmi || vmi.metadata.deletionTimestamp) return;
    // A held instance gets as far as Scheduling and stays there (fault injection).
    if (isHeld(VMI, namespace, name) && vmi.status?.phase === 'Scheduling') return;
    const status = { ...(vmi.status ?? {}) };
    const now = nowIso();
    const transition = (phase: string, extra: Record<string, unknown> = {}) => {
      const stamps = [
        ...((status.phaseTransitionTimestamps as unknown[]) ?? []),
        { phase, phaseTransitionTimestamp: now },
      ];
      writeStatus(api, vmiType, vmi, { ...status, ...extra, phase, phaseTransitionTimestamps: stamps });
      return { requeueSteps: 1 };
    };
    const phase = status.phase as string | undefined;
    if (!phase) return transition('Pending', { guestOSInfo: {}, qosClass: 'Burstable' });
    const pod = launcherPod(api, vmi);
    if (phase === 'Pending') {
      if (!pod) {
        const domain = vmi.spec?.domain ?? {};
        const requests: Record<string, string> = {
          cpu: String(domain.resources?.requests?.cpu ?? `${domain.cpu?.cores ?? 1}`),
          memory: String(domain.resources?.requests?.memory ?? domain.memory?.guest ?? '1Gi'),
        };
        api.create(mustType(api, '/pods'), namespace, {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: `virt-launcher-${name}-${randomSuffix()}`,
            labels: {
              ...vmi.metadata.labels,
              'kubevirt.io': 'virt-launcher',
              'vm.kubevirt.io/name': name,
              'kubevirt.io/created-by': vmi.metadata.uid ?? '',
            },
            ownerReferences: [ownerRef(vmi)],
          },
          spec: {
            containers: [
              {
                name: 'compute',
                image: 'quay.io/kubevirt/virt-launcher:v1.4.0',
                resources: { requests: requests, limits: { memory: requests.memory } },
              },
            ],
          },
        });
      }
      return transition('Scheduling');
    }
    if (phase === 'Scheduling') {
      if (!pod?.spec?.nodeName) return { requeueSteps: 1 };
      return transition('Scheduled', { nodeName: pod.spec.nodeName });
    }
    if (phase === 'Scheduled') {
      if (!pod || !isReady(pod)) return { requeueSteps: 1 };
      const ip = pod.status?.podIP as string;
      let conditions = withCondition(status.conditions as Condition[] | undefined, {
        type: 'Ready',
        status: 'True',
        lastProbeTime: null,
      });
      conditions = withCondition(conditions, { type: 'LiveMigratable', status: 'True', lastProbeTime: null });
      const mac = `02:${ip
        .split('.')
        .map((n) => Number(n).toString(16).padStart(2, '0'))
        .join(':')}:00`.slice(0, 17);
      return transition('Running', {
        nodeName: pod.spec?.nodeName,
        conditions,
        volumeStatus: volumeStatus(api, vmi),
        interfaces: [
          {
            name: 'default',
            interfaceName: 'eth0',
            ipAddress: ip,
            ipAddresses: [ip],
            mac,
            // No guest agent runs in a simulated guest: the address is the launcher pod's.
            infoSource: 'domain',
            queueCount: 1,
          },
        ],
        launcherContainerImageVersion: 'quay.io/kubevirt/virt-launcher:v1.4.0',
        migrationMethod: 'BlockMigration',
      });
    }
    return;
  },
};
