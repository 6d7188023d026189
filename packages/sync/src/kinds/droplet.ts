import { type DropletRow, dropletsRepository } from '@uncloud/db';
import { namespaceName, virtualMachineManifest } from '@uncloud/kube';
import { statusOf } from './status.ts';
import { waitingForNamespace, type KindReconciler, firstOf } from './types.ts';

/** A droplet is a KubeVirt VirtualMachine; its running instance (VMI) tells IP, node and phase. */
export const dropletReconciler: KindReconciler<DropletRow> = {
  kind: 'droplet',
  ownedKinds: ['VirtualMachine'],
  runtimeKinds: ['VirtualMachineInstance'],
  find: (db, id) => dropletsRepository.byId(db, id),
  all: (db) => dropletsRepository.all(db),
  namespaceOf: (row) => namespaceName(row.projectId),

  desired(lookup, row) {
    if (!lookup.namespaceReady(row.projectId)) return waitingForNamespace;
    const sshPublicKeys = row.sshKeyIds
      .map((id) => lookup.sshPublicKey(row.projectId, id))
      .filter((key): key is string => key !== undefined);
    return {
      objects: [
        virtualMachineManifest({
          id: row.id,
          projectId: row.projectId,
          name: row.name,
          size: row.size,
          image: row.image,
          userData: row.userData,
          sshPublicKeys,
          volumeIds: lookup.volumesOf(row.id),
          poweredOn: row.poweredOn,
        }),
      ],
    };
  },

  observe(_row, objects) {
    const vm = statusOf(firstOf(objects, 'VirtualMachine'), 'VirtualMachine');
    const vmi = statusOf(firstOf(objects, 'VirtualMachineInstance'), 'VirtualMachineInstance');
    const printable = vm.printableStatus;
    const state =
      printable === 'Running' && vm.ready === true
        ? 'active'
        : printable === 'Stopped'
          ? 'stopped'
          : printable === 'Stopping'
            ? 'stopping'
            : 'provisioning';
    return {
      state,
      values: {
        ip: vmi.interfaces?.[0]?.ipAddress ?? null,
        node: vmi.nodeName ?? null,
        // A VM that fits on no node waits in Scheduling for good: say why, as `kubectl get vm` does.
        phase: printable === 'ErrorUnschedulable' ? printable : (vmi.phase ?? printable ?? null),
      },
    };
  },

  record: (db, id, values) => dropletsRepository.recordSync(db, id, values),
  remove: (db, id) => void dropletsRepository.remove(db, id),
  touch: (db, ids, at) => dropletsRepository.touchObserved(db, ids, at),
};
