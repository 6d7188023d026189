import { type DropletRow, dropletsRepository } from '@uncloud/db';
import { namespaceName, virtualMachineManifest } from '@uncloud/kube';
import { waitingForNamespace, type KindReconciler, field, firstOf } from './types.ts';

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
          id: row.id as never,
          projectId: row.projectId as never,
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
    const vm = firstOf(objects, 'VirtualMachine');
    const vmi = firstOf(objects, 'VirtualMachineInstance');
    const printable = field(vm, 'status.printableStatus') as string | undefined;
    const state =
      printable === 'Running' && field(vm, 'status.ready') === true
        ? 'active'
        : printable === 'Stopped'
          ? 'stopped'
          : printable === 'Stopping'
            ? 'stopping'
            : 'provisioning';
    return {
      state,
      values: {
        ip: (field(vmi, 'status.interfaces.0.ipAddress') as string | undefined) ?? null,
        node: (field(vmi, 'status.nodeName') as string | undefined) ?? null,
        phase: (field(vmi, 'status.phase') as string | undefined) ?? printable ?? null,
      },
    };
  },

  record: (db, id, values) => dropletsRepository.recordSync(db, id, values),
  remove: (db, id) => void dropletsRepository.remove(db, id),
  touch: (db, ids, at) => dropletsRepository.touchObserved(db, ids, at),
};
