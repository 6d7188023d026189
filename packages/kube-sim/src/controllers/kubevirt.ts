// Simulated KubeVirt: a VirtualMachine that should run gets a VirtualMachineInstance, which moves
// Pending → Scheduling → Scheduled → Running through its virt-launcher pod and takes the pod's IP.
import { nowIso, ownerRef, randomSuffix } from '../meta.ts';
import type { ObjectApi } from '../object-api.ts';
import type { StoredObject } from '../types.ts';
import { objKey, splitKey, type Controller } from './manager.ts';
import { DATA_VOLUME } from './cdi.ts';
import { launcherPodSpec } from './virt-launcher.ts';
import {
  createIgnoringExists,
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

// KubeVirt's finalizers (kubevirt.io/api core/v1 types.go): the VM controller's, on the VM and on
// the instances it creates, and the one virt-api's mutating webhook puts on every instance.
export const VM_CONTROLLER_FINALIZER = 'kubevirt.io/virtualMachineControllerFinalize';
export const VMI_FINALIZER = 'kubevirt.io/foregroundDeleteVirtualMachine';
const DEPRECATED_VMI_FINALIZER = 'foregroundDeleteVirtualMachine';

const isFinal = (vmi: StoredObject | undefined) =>
  vmi?.status?.phase === 'Succeeded' || vmi?.status?.phase === 'Failed';

/** The condition the scheduler left on the launcher pod when it fits nowhere. */
const unschedulable = (o: StoredObject | undefined) =>
  ((o?.status?.conditions ?? []) as Condition[]).find(
    (c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable',
  );

function withoutFinalizers(api: ObjectApi, typeKey: string, obj: StoredObject, drop: string[]): void {
  const finalizers = obj.metadata.finalizers ?? [];
  if (!finalizers.some((f) => drop.includes(f))) return;
  api.update(mustType(api, typeKey), obj.metadata.namespace ?? '', obj.metadata.name ?? '', {
    ...obj,
    metadata: { ...obj.metadata, finalizers: finalizers.filter((f) => !drop.includes(f)) },
  });
}

/** VM conditions follow the instance's (vm.go syncConditions), except the VM's own. */
function syncedConditions(vm: Condition[] | undefined, vmi: StoredObject | undefined): Condition[] {
  const own = new Set(['Ready', 'Failure', 'RestartRequired']);
  if (!vmi) return vm ?? [];
  const fromVmi = ((vmi.status?.conditions ?? []) as Condition[]).filter((c) => !own.has(c.type));
  let out = (vm ?? []).filter((c) => own.has(c.type) || fromVmi.some((x) => x.type === c.type));
  for (const c of fromVmi) out = withCondition(out, c);
  return out;
}

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

function dataVolumesOf(spec: { volumes?: VmVolume[] } | undefined): string[] {
  return volumesOf(spec).flatMap((v) => (v.dataVolume?.name ? [v.dataVolume.name] : []));
}

interface DataVolumeTemplate {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: unknown;
}

/**
 * The VM controller creates each of `spec.dataVolumeTemplates` that does not exist yet, owned by the
 * VM (so deleting the VM deletes its disks), and reports how far they are: the instance starts only
 * once every DataVolume it mounts has Succeeded (vm.go handleDataVolumes).
 */
function provisionDataVolumes(api: ObjectApi, vm: StoredObject): 'ready' | 'provisioning' | 'failed' {
  const dvType = api.registry.get(DATA_VOLUME);
  const namespace = vm.metadata.namespace ?? '';
  const templates = (vm.spec?.dataVolumeTemplates ?? []) as DataVolumeTemplate[];
  if (dvType)
    for (const t of templates) {
      const name = t.metadata?.name;
      if (!name || api.find(dvType, namespace, name)) continue;
      createIgnoringExists(api, dvType, namespace, {
        apiVersion: 'cdi.kubevirt.io/v1beta1',
        kind: 'DataVolume',
        metadata: {
          name,
          labels: { ...t.metadata?.labels },
          annotations: { ...t.metadata?.annotations },
          ownerReferences: [ownerRef(vm)],
        },
        spec: t.spec ?? {},
      });
      emitEvent(
        api,
        vm,
        'SuccessfulDataVolumeCreate',
        `Created DataVolume ${name}`,
        'virtualmachine-controller',
      );
    }
  let state: 'ready' | 'provisioning' | 'failed' = 'ready';
  for (const name of dataVolumesOf(vm.spec?.template?.spec)) {
    const dv = dvType && api.find(dvType, namespace, name);
    const phase = dv?.status?.phase as string | undefined;
    if (phase === 'Failed') return 'failed';
    if (phase !== 'Succeeded') state = 'provisioning';
  }
  return state;
}

/** status.volumeStatus of a running instance: one entry per volume, disks as vda, vdb, … */
function volumeStatus(api: ObjectApi, vmi: StoredObject): unknown[] {
  return volumesOf(vmi.spec).map((v, i) => {
    const entry: Record<string, unknown> = { name: v.name, target: `vd${String.fromCharCode(97 + i)}` };
    const claim = v.persistentVolumeClaim?.claimName ?? v.dataVolume?.name;
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
    if (e.typeKey === DATA_VOLUME) {
      const owner = (e.object.metadata.ownerReferences ?? []).find((r) => r.kind === 'VirtualMachine');
      const byVolume = api.store
        .list(VM, e.object.metadata.namespace)
        .filter((vm) => dataVolumesOf(vm.spec?.template?.spec).includes(e.object.metadata.name ?? ''))
        .map((vm) => objKey(VM, vm.metadata.namespace, vm.metadata.name));
      return owner ? [objKey(VM, e.object.metadata.namespace, owner.name), ...byVolume] : byVolume;
    }
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
    let vm = api.find(vmType, namespace, name);
    if (!vm) return;
    let vmi = api.find(vmiType, namespace, name);
    // Its status recorded, a finished instance is let go (vm.go removeVMIFinalizer).
    if (vmi && isFinal(vmi)) withoutFinalizers(api, VMI, vmi, [VM_CONTROLLER_FINALIZER]);
    if (vm.metadata.deletionTimestamp) {
      // Stop the instance first; the VM goes once it is gone (or its dependents are orphaned).
      if (!vmi || (vm.metadata.finalizers ?? []).includes('orphan'))
        withoutFinalizers(api, VM, vm, [VM_CONTROLLER_FINALIZER]);
      else if (!vmi.metadata.deletionTimestamp) deleteIgnoringMissing(api, vmiType, vmi);
      vm = api.find(vmType, namespace, name);
      if (vm && vmi) writeStatus(api, vmType, vm, { ...vm.status, printableStatus: 'Terminating' });
      return;
    }
    if (!(vm.metadata.finalizers ?? []).includes(VM_CONTROLLER_FINALIZER))
      vm = api.update(vmType, namespace, name, {
        ...vm,
        metadata: {
          ...vm.metadata,
          finalizers: [...(vm.metadata.finalizers ?? []), VM_CONTROLLER_FINALIZER],
        },
      });
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
    const disks = provisionDataVolumes(api, vm);
    if (run && !vmi && disks !== 'ready') {
      // Waiting for its disks to be imported (printable status as vm.go sets it).
      writeStatus(api, vmType, vm, {
        printableStatus: disks === 'failed' ? 'DataVolumeError' : 'Provisioning',
        conditions: withCondition(vm.status?.conditions, {
          type: 'Ready',
          status: 'False',
          reason: 'VMINotExists',
          message: 'VMI does not exist',
          lastProbeTime: null,
        }),
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
          finalizers: [VM_CONTROLLER_FINALIZER, VMI_FINALIZER],
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
    // The first that holds, in the VM controller's order (vm.go setPrintableStatus).
    let printable = 'Unknown';
    if (vmi && !isFinal(vmi) && (vmi.metadata.deletionTimestamp || !run)) printable = 'Stopping';
    else if (vmi && phase === 'Running') printable = 'Running';
    else if (unschedulable(vmi)) printable = 'ErrorUnschedulable';
    else if (vmi ? !phase || ['Pending', 'Scheduling', 'Scheduled'].includes(phase) : run)
      printable = 'Starting';
    else if (vmi ? isFinal(vmi) : !run) printable = 'Stopped';
    const conditions: Condition[] = withCondition(
      syncedConditions(vm.status?.conditions, vmi),
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
    if (!vmi) return;
    if (vmi.metadata.deletionTimestamp) {
      // virt-handler shuts the guest down (the instance ends Succeeded), virt-controller deletes
      // the launcher pod, and only then lets the instance go (lifecycle.go, vmi.IsFinal()).
      const pod = launcherPod(api, vmi);
      if (pod && !pod.metadata.deletionTimestamp) deleteIgnoringMissing(api, mustType(api, '/pods'), pod);
      if (!isFinal(vmi)) {
        writeStatus(api, vmiType, vmi, { ...vmi.status, phase: 'Succeeded' });
        return;
      }
      if (launcherPod(api, vmi)) return;
      const ownerGone = !(vmi.metadata.ownerReferences ?? []).some(
        (r) => r.kind === 'VirtualMachine' && api.store.get(VM, namespace, r.name)?.metadata.uid === r.uid,
      );
      withoutFinalizers(api, VMI, vmi, [
        VMI_FINALIZER,
        DEPRECATED_VMI_FINALIZER,
        ...(ownerGone ? [VM_CONTROLLER_FINALIZER] : []),
      ]);
      return;
    }
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
    const createLauncherPod = () =>
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
        spec: launcherPodSpec(vmi.spec ?? {}),
      });
    if (phase === 'Pending') {
      const conditions = (status.conditions ?? []) as Condition[];
      if (!pod) {
        try {
          createLauncherPod();
        } catch (e) {
          // virt-controller's sync error: a Warning event and Synchronized=False on the instance,
          // which stays Pending and is tried again (vmi.go, FailedCreatePodReason).
          const message = `failed to create virtual machine pod: ${(e as Error).message}`;
          if (!conditions.some((c) => c.type === 'Synchronized' && c.message === message)) {
            emitEvent(
              api,
              vmi,
              'FailedCreate',
              `Error creating pod: ${(e as Error).message}`,
              'virtualmachine-controller',
              'Warning',
            );
            writeStatus(api, vmiType, vmi, {
              ...status,
              conditions: withCondition(conditions, {
                type: 'Synchronized',
                status: 'False',
                reason: 'FailedCreate',
                message,
                lastProbeTime: null,
              }),
            });
          }
          return { requeueSteps: 5 };
        }
      }
      if (conditions.some((c) => c.type === 'Synchronized'))
        status.conditions = conditions.filter((c) => c.type !== 'Synchronized');
      return transition('Scheduling');
    }
    if (phase === 'Scheduling') {
      // The launcher pod's PodScheduled=False is copied while it waits (lifecycle.go), and gone
      // once it is bound; its own events bring the instance back here.
      const waiting = unschedulable(pod);
      const conditions = (status.conditions ?? []) as Condition[];
      const others = conditions.filter((c) => c.type !== 'PodScheduled');
      if (!pod?.spec?.nodeName) {
        if (waiting && !conditions.some((c) => c.type === 'PodScheduled'))
          writeStatus(api, vmiType, vmi, { ...status, conditions: [...conditions, { ...waiting }] });
        return;
      }
      return transition('Scheduled', { nodeName: pod.spec.nodeName, conditions: others });
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
