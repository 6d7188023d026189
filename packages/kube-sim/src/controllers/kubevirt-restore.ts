// Simulated KubeVirt restore controller. A VirtualMachineRestore of a ready VirtualMachineSnapshot
// waits until its target VM has no running instance, then gives each volume the snapshot holds a new
// claim restored from that volume's VolumeSnapshot, named `restore-<restore uid>-<volume>`: a
// DataVolume template (source.snapshot) for a DataVolume volume, a PersistentVolumeClaim with the
// snapshot as dataSource for a claim volume. It points the VM's volumes at them, lists the
// DataVolumes they replace in deletedDataVolumes and deletes those, and reports complete with the
// restores it made and Ready=True, as KubeVirt's restore controller does.
import { nowIso } from '../meta.ts';
import type { StoredObject } from '../types.ts';
import { VM_SNAPSHOT, VM_SNAPSHOT_CONTENT } from './kubevirt-snapshot.ts';
import { objKey, splitKey, type Controller } from './manager.ts';
import { DATA_VOLUME } from './cdi.ts';
import {
  createIgnoringExists,
  deleteIgnoringMissing,
  mustType,
  writeStatus,
  type Condition,
} from './util.ts';

const RESTORE = 'snapshot.kubevirt.io/virtualmachinerestores';
const VM = 'kubevirt.io/virtualmachines';
const VMI = 'kubevirt.io/virtualmachineinstances';

interface VolumeBackup {
  volumeName: string;
  volumeSnapshotName: string;
  persistentVolumeClaim: { metadata?: { name?: string }; spec?: Record<string, unknown> };
}

interface DataVolumeTemplate {
  metadata?: { name?: string };
  spec?: { source?: unknown; storage?: unknown };
}

interface VmVolume {
  name: string;
  persistentVolumeClaim?: { claimName?: string };
  dataVolume?: { name?: string };
}

const progressing = (message: string, now: string): Condition[] => [
  { type: 'Progressing', status: 'True', reason: message, message, lastTransitionTime: now },
  { type: 'Ready', status: 'False', reason: message, message, lastTransitionTime: now },
];

export const virtualMachineRestoreController: Controller = {
  name: 'virtualmachinerestore',
  keysFor(e, { api }) {
    const ns = e.object.metadata.namespace;
    if (e.typeKey === RESTORE) return [objKey(RESTORE, ns, e.object.metadata.name)];
    // A VM whose instance went away, or a snapshot that became ready, may unblock a restore.
    const vmName = e.typeKey === VMI ? e.object.metadata.name : undefined;
    const snapshotName = e.typeKey === VM_SNAPSHOT ? e.object.metadata.name : undefined;
    if (!vmName && !snapshotName) return [];
    return api.store
      .list(RESTORE, ns)
      .filter(
        (r) =>
          r.status?.complete !== true &&
          (r.spec?.target?.name === vmName || r.spec?.virtualMachineSnapshotName === snapshotName),
      )
      .map((r) => objKey(RESTORE, ns, r.metadata.name));
  },
  reconcile(key, { api }) {
    const type = api.registry.get(RESTORE);
    if (!type) return;
    const { namespace, name } = splitKey(key);
    const restore = api.find(type, namespace, name);
    if (!restore || restore.metadata.deletionTimestamp || restore.status?.complete === true) return;
    const now = nowIso();
    const waiting = (message: string) => {
      writeStatus(api, type, restore, { complete: false, conditions: progressing(message, now) });
    };
    const snapshot = api.store.get(VM_SNAPSHOT, namespace, String(restore.spec?.virtualMachineSnapshotName));
    if (snapshot?.status?.readyToUse !== true)
      return waiting(`VirtualMachineSnapshot ${restore.spec?.virtualMachineSnapshotName} not ready`);
    const vmType = mustType(api, VM);
    const vm = api.find(vmType, namespace, String(restore.spec?.target?.name));
    if (!vm) return waiting(`VirtualMachine ${restore.spec?.target?.name} does not exist`);
    if (api.store.get(VMI, namespace, vm.metadata.name ?? ''))
      return waiting(
        'Waiting for target VM to be powered off. Please stop the restore target to proceed with restore, or the operation will fail after grace period',
      );
    const content = api.store.get(
      VM_SNAPSHOT_CONTENT,
      namespace,
      String(snapshot.status?.virtualMachineSnapshotContentName ?? ''),
    );
    if (!content) return waiting('VirtualMachineSnapshotContent not found');
    const backups = (content.spec?.volumeBackups ?? []) as VolumeBackup[];
    const uid = restore.metadata.uid ?? '';
    // StoredObject's spec is untyped (`any`): a copy of the VM's, changed in place below.
    const spec: StoredObject['spec'] = structuredClone(vm.spec ?? {});
    const volumes = (spec.template?.spec?.volumes ?? []) as VmVolume[];
    const templates = (spec.dataVolumeTemplates ?? []) as DataVolumeTemplate[];
    const restores: Record<string, string>[] = [];
    const deleted: string[] = [];
    const pvcType = mustType(api, '/persistentvolumeclaims');
    for (const backup of backups) {
      const volume = volumes.find((v) => v.name === backup.volumeName);
      if (!volume) continue;
      const restoredName = `restore-${uid}-${backup.volumeName}`;
      const template = templates.find((t) => t.metadata?.name === volume.dataVolume?.name);
      if (volume.dataVolume?.name && template) {
        // Already pointing at the restored disk (its owner wrote the name first): nothing to drop.
        if (volume.dataVolume.name !== restoredName) deleted.push(volume.dataVolume.name);
        template.metadata = { ...template.metadata, name: restoredName };
        template.spec = {
          source: { snapshot: { namespace, name: backup.volumeSnapshotName } },
          storage: template.spec?.storage ?? {},
        };
        volume.dataVolume = { name: restoredName };
      } else {
        const source = backup.persistentVolumeClaim.spec ?? {};
        createIgnoringExists(api, pvcType, namespace, {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: restoredName },
          spec: {
            accessModes: source.accessModes ?? ['ReadWriteOnce'],
            volumeMode: source.volumeMode ?? 'Filesystem',
            resources: source.resources ?? {},
            ...(source.storageClassName ? { storageClassName: source.storageClassName } : {}),
            dataSource: {
              apiGroup: 'snapshot.storage.k8s.io',
              kind: 'VolumeSnapshot',
              name: backup.volumeSnapshotName,
            },
          },
        });
        delete volume.dataVolume;
        volume.persistentVolumeClaim = { claimName: restoredName };
      }
      restores.push({
        volumeName: backup.volumeName,
        persistentVolumeClaim: restoredName,
        volumeSnapshotName: backup.volumeSnapshotName,
        ...(volume.dataVolume ? { dataVolumeName: restoredName } : {}),
      });
    }
    api.update(vmType, namespace, vm.metadata.name ?? '', { ...vm, spec });
    const dvType = api.registry.get(DATA_VOLUME);
    for (const dv of deleted) {
      const old: StoredObject | undefined = dvType && api.find(dvType, namespace, dv);
      if (dvType && old) deleteIgnoringMissing(api, dvType, old);
    }
    writeStatus(api, type, restore, {
      complete: true,
      restoreTime: now,
      restores,
      deletedDataVolumes: deleted,
      conditions: [
        {
          type: 'Progressing',
          status: 'False',
          reason: 'Operation complete',
          message: 'Operation complete',
          lastTransitionTime: now,
        },
        {
          type: 'Ready',
          status: 'True',
          reason: 'Operation complete',
          message: 'Operation complete',
          lastTransitionTime: now,
        },
      ],
    });
  },
};
