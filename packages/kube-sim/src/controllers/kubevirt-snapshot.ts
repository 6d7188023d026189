// Simulated KubeVirt snapshot controller. A VirtualMachineSnapshot of an existing VM takes a CSI
// VolumeSnapshot of each of its claim-backed volumes (PVCs and DataVolumes; container disks and
// cloud-init are left out, as KubeVirt does), records the VM's spec and those snapshots in a
// VirtualMachineSnapshotContent it owns, and is Succeeded and ready to use once every VolumeSnapshot
// is. A claim whose storage class's provisioner has no VolumeSnapshotClass is left out (listed in
// `excludedVolumes`), as KubeVirt does. One of a VM that does not exist fails.
import { nowIso, ownerRef } from '../meta.ts';
import type { StoredObject } from '../types.ts';
import { objKey, splitKey, type Controller } from './manager.ts';
import { VOLUME_SNAPSHOT } from './volume-snapshot.ts';
import { createIgnoringExists, mustType, writeStatus } from './util.ts';

export const VM_SNAPSHOT = 'snapshot.kubevirt.io/virtualmachinesnapshots';
export const VM_SNAPSHOT_CONTENT = 'snapshot.kubevirt.io/virtualmachinesnapshotcontents';
const VM = 'kubevirt.io/virtualmachines';
const SNAPSHOT_CLASS = 'snapshot.storage.k8s.io/volumesnapshotclasses';

interface VmVolume {
  name: string;
  persistentVolumeClaim?: { claimName?: string };
  dataVolume?: { name?: string };
}

/** The claim behind a VM volume, if it has one (a DataVolume's claim has its name). */
export const claimOfVolume = (v: VmVolume) => v.persistentVolumeClaim?.claimName ?? v.dataVolume?.name;

export const contentNameOf = (snapshot: StoredObject) => `vmsnapshot-content-${snapshot.metadata.uid}`;
const volumeSnapshotNameOf = (snapshot: StoredObject, volume: string) =>
  `vmsnapshot-${snapshot.metadata.uid}-volume-${volume}`;

export const virtualMachineSnapshotController: Controller = {
  name: 'virtualmachinesnapshot',
  keysFor(e, { api }) {
    const ns = e.object.metadata.namespace;
    const ownerOf = (o: StoredObject | undefined, kind: string) =>
      (o?.metadata.ownerReferences ?? []).find((r) => r.kind === kind)?.name;
    if (e.typeKey === VM_SNAPSHOT) return [objKey(VM_SNAPSHOT, ns, e.object.metadata.name)];
    let content: StoredObject | undefined;
    if (e.typeKey === VM_SNAPSHOT_CONTENT) content = e.object;
    if (e.typeKey === VOLUME_SNAPSHOT) {
      const contentName = ownerOf(e.object, 'VirtualMachineSnapshotContent');
      content = contentName ? api.store.get(VM_SNAPSHOT_CONTENT, ns ?? '', contentName) : undefined;
    }
    const snapshot = ownerOf(content, 'VirtualMachineSnapshot');
    return snapshot ? [objKey(VM_SNAPSHOT, ns, snapshot)] : [];
  },
  reconcile(key, { api }) {
    const type = api.registry.get(VM_SNAPSHOT);
    const contentType = api.registry.get(VM_SNAPSHOT_CONTENT);
    const vsType = api.registry.get(VOLUME_SNAPSHOT);
    if (!type || !contentType) return;
    const { namespace, name } = splitKey(key);
    const snapshot = api.find(type, namespace, name);
    if (!snapshot || snapshot.metadata.deletionTimestamp || snapshot.status?.phase === 'Succeeded') return;
    let content = api.find(contentType, namespace, contentNameOf(snapshot));
    if (!content) {
      const vm = api.find(mustType(api, VM), namespace, String(snapshot.spec?.source?.name ?? ''));
      if (!vm) {
        writeStatus(api, type, snapshot, {
          phase: 'Failed',
          readyToUse: false,
          error: { time: nowIso(), message: `VirtualMachine ${snapshot.spec?.source?.name} does not exist` },
        });
        return;
      }
      const volumes = (vm.spec?.template?.spec?.volumes ?? []) as VmVolume[];
      // KubeVirt snapshots a claim only where its storage's driver has a VolumeSnapshotClass.
      const drivers = new Set(
        api.store.list(SNAPSHOT_CLASS).map((c) => String((c as { driver?: unknown }).driver ?? '')),
      );
      const snapshottable = (v: VmVolume) => {
        const pvc = api.store.get('/persistentvolumeclaims', namespace, claimOfVolume(v) ?? '');
        const className = String(pvc?.spec?.storageClassName ?? '');
        const provisioner = api.store.get('storage.k8s.io/storageclasses', '', className)?.provisioner;
        return typeof provisioner === 'string' && drivers.has(provisioner);
      };
      const included = volumes.filter((v) => claimOfVolume(v) && vsType && snapshottable(v));
      const excluded = volumes.filter((v) => !included.includes(v));
      content = createIgnoringExists(api, contentType, namespace, {
        apiVersion: 'snapshot.kubevirt.io/v1beta1',
        kind: 'VirtualMachineSnapshotContent',
        metadata: { name: contentNameOf(snapshot), ownerReferences: [ownerRef(snapshot)] },
        spec: {
          source: {
            virtualMachine: {
              metadata: { name: vm.metadata.name, namespace, labels: vm.metadata.labels ?? {} },
              spec: vm.spec,
            },
          },
          virtualMachineSnapshotName: name,
          volumeBackups: included.map((v) => {
            const claim = claimOfVolume(v) ?? '';
            const pvc = api.store.get('/persistentvolumeclaims', namespace, claim);
            return {
              volumeName: v.name,
              persistentVolumeClaim: { metadata: { name: claim }, spec: pvc?.spec ?? {} },
              volumeSnapshotName: volumeSnapshotNameOf(snapshot, v.name),
            };
          }),
        },
      });
      if (!content) return { requeueSteps: 1 };
      for (const v of included)
        createIgnoringExists(api, vsType!, namespace, {
          apiVersion: 'snapshot.storage.k8s.io/v1',
          kind: 'VolumeSnapshot',
          metadata: {
            name: volumeSnapshotNameOf(snapshot, v.name),
            ownerReferences: [ownerRef(content)],
          },
          spec: { source: { persistentVolumeClaimName: claimOfVolume(v) } },
        });
      writeStatus(api, type, snapshot, {
        phase: 'InProgress',
        readyToUse: false,
        sourceUID: vm.metadata.uid,
        virtualMachineSnapshotContentName: content.metadata.name,
        indications: vm.status?.printableStatus === 'Running' ? ['Online', 'NoGuestAgent'] : [],
        snapshotVolumes: {
          includedVolumes: included.map((v) => v.name),
          excludedVolumes: excluded.map((v) => v.name),
        },
      });
      return { requeueSteps: 1 };
    }
    const backups = (content.spec?.volumeBackups ?? []) as { volumeSnapshotName: string }[];
    const statuses = backups.map((b) => {
      const vs = api.store.get(VOLUME_SNAPSHOT, namespace, b.volumeSnapshotName);
      return {
        volumeSnapshotName: b.volumeSnapshotName,
        readyToUse: vs?.status?.readyToUse === true,
        ...(vs?.status?.creationTime ? { creationTime: vs.status.creationTime } : {}),
      };
    });
    const ready = statuses.every((s) => s.readyToUse);
    const now = nowIso();
    writeStatus(api, contentType, content, {
      readyToUse: ready,
      volumeSnapshotStatus: statuses,
      ...(ready ? { creationTime: now } : {}),
    });
    if (!ready) return { requeueSteps: 1 };
    writeStatus(api, type, snapshot, {
      ...snapshot.status,
      phase: 'Succeeded',
      readyToUse: true,
      creationTime: now,
      conditions: [
        { type: 'Progressing', status: 'False', reason: 'Operation complete', lastTransitionTime: now },
        { type: 'Ready', status: 'True', reason: 'Operation complete', lastTransitionTime: now },
      ],
    });
  },
};
