import { type DropletRow, dropletsRepository } from '@uncloud/db';
import { dropletManifests, namespaceName } from '@uncloud/kube';
import { statusOf } from './status.ts';
import { waitingForNamespace, type KindReconciler, firstOf } from './types.ts';

/**
 * A droplet is a KubeVirt VirtualMachine and the Secret holding its cloud-init user data (created,
 * updated and deleted with it); its running instance (VMI) tells IP, node and phase.
 */
export const dropletReconciler: KindReconciler<DropletRow> = {
  kind: 'droplet',
  ownedKinds: ['Secret', 'VirtualMachine'],
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
      objects: dropletManifests({
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
    };
  },

  observe(row, objects) {
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
        // A stopped droplet keeps its address (the power-off dialog promises it): the last one seen
        // stays while there is no instance to report it.
        ip: vmi.interfaces?.[0]?.ipAddress ?? (state === 'stopped' || state === 'stopping' ? row.ip : null),
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
