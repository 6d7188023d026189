import { type DropletRow, dropletsRepository } from '@uncloud/db';
import {
  type KubeObject,
  defaultRootDiskName,
  imageSource,
  dropletAddressManifests,
  dropletManifests,
  loadBalancerAddress,
  namespaceName,
} from '@uncloud/kube';
import type { IntentLookup } from './lookup.ts';
import { statusOf } from './status.ts';
import { waitingForNamespace, type KindReconciler, firstOf } from './types.ts';

/**
 * The droplet's root disk: the DataVolume a rebuild or restore named, else the first one; imported
 * from the snapshot it was made from, else (no source given) from its image.
 */
const rootDiskOf = (row: DropletRow, lookup?: IntentLookup) => {
  const custom = lookup?.customImage(row.image);
  const source = row.rootDiskVolumeSnapshot
    ? { snapshot: { name: row.rootDiskVolumeSnapshot } }
    : custom
      ? imageSource(custom)
      : undefined;
  return { name: row.rootDisk ?? defaultRootDiskName(row.id), ...(source ? { source } : {}) };
};

/** While the VM waits for its disk: how far CDI has come importing it (`ImportInProgress 47.30%`). */
const rootDiskPhase = (row: DropletRow, objects: KubeObject[], printable: string) => {
  const name = rootDiskOf(row).name;
  const disk = statusOf(
    objects.find((o) => o.kind === 'DataVolume' && o.metadata.name === name),
    'DataVolume',
  );
  if (!disk.phase) return printable;
  return disk.progress && disk.progress !== 'N/A' ? `${disk.phase} ${disk.progress}` : disk.phase;
};

/**
 * A droplet is a KubeVirt VirtualMachine and the Secret holding its cloud-init user data (created,
 * updated and deleted with it); its running instance (VMI) tells IP, node and phase. Its public
 * address is a LoadBalancer Service (and, while no firewall applies to it, a policy admitting the
 * internet to SSH); the address the Service is given is its public IP.
 */
export const dropletReconciler: KindReconciler<DropletRow> = {
  kind: 'droplet',
  ownedKinds: ['Secret', 'VirtualMachine', 'Service', 'NetworkPolicy'],
  runtimeKinds: ['VirtualMachineInstance', 'DataVolume'],
  find: (db, id) => dropletsRepository.byId(db, id),
  all: (db) => dropletsRepository.all(db),
  namespaceOf: (row) => namespaceName(row.projectId),

  desired(lookup, row, settings) {
    if (!lookup.namespaceReady(row.projectId)) return waitingForNamespace;
    const sshPublicKeys = row.sshKeyIds
      .map((id) => lookup.sshPublicKey(row.projectId, id))
      .filter((key): key is string => key !== undefined);
    const address = dropletAddressManifests(
      { id: row.id, projectId: row.projectId, name: row.name },
      lookup.firewallInbound(row.projectId, row.id),
    );
    return {
      objects: [
        ...dropletManifests(
          {
            id: row.id,
            projectId: row.projectId,
            name: row.name,
            size: row.size,
            image: row.image,
            userData: row.userData,
            sshPublicKeys,
            volumes: lookup.volumesOf(row.id).flatMap((id) => {
              const volume = lookup.volume(id);
              return volume ? [{ id, name: volume.name, filesystem: volume.filesystem }] : [];
            }),
            poweredOn: row.poweredOn,
            rootDisk: rootDiskOf(row, lookup),
          },
          { storageClass: settings.storageClass },
        ),
        ...address,
      ],
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
        publicIp: loadBalancerAddress(firstOf(objects, 'Service')),
        node: vmi.nodeName ?? null,
        // A VM that fits on no node waits in Scheduling for good: say why, as `kubectl get vm` does.
        phase:
          printable === 'ErrorUnschedulable'
            ? printable
            : printable === 'Provisioning' || printable === 'DataVolumeError'
              ? rootDiskPhase(row, objects, printable)
              : (vmi.phase ?? printable ?? null),
      },
    };
  },

  record: (db, id, values) => dropletsRepository.recordSync(db, id, values),
  remove: (db, id) => void dropletsRepository.remove(db, id),
  touch: (db, ids, at) => dropletsRepository.touchObserved(db, ids, at),
};
