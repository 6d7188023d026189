// Simulated KubeVirt snapshot controller: a VirtualMachineSnapshot of an existing VM becomes
// InProgress, then Succeeded and ready to use; one of a VM that does not exist fails, as in KubeVirt.
import { nowIso } from '../meta.ts';
import { objKey, splitKey, type Controller } from './manager.ts';
import { mustType, writeStatus } from './util.ts';

const SNAPSHOT = 'snapshot.kubevirt.io/virtualmachinesnapshots';
const VM = 'kubevirt.io/virtualmachines';

export const virtualMachineSnapshotController: Controller = {
  name: 'virtualmachinesnapshot',
  keysFor(e) {
    return e.typeKey === SNAPSHOT
      ? [objKey(SNAPSHOT, e.object.metadata.namespace, e.object.metadata.name)]
      : [];
  },
  reconcile(key, { api }) {
    const type = api.registry.get(SNAPSHOT);
    if (!type) return;
    const { namespace, name } = splitKey(key);
    const snapshot = api.find(type, namespace, name);
    if (!snapshot || snapshot.metadata.deletionTimestamp || snapshot.status?.phase === 'Succeeded') return;
    const vm = api.find(mustType(api, VM), namespace, String(snapshot.spec?.source?.name ?? ''));
    if (!vm) {
      writeStatus(api, type, snapshot, {
        phase: 'Failed',
        readyToUse: false,
        error: { time: nowIso(), message: `VirtualMachine ${snapshot.spec?.source?.name} does not exist` },
      });
      return;
    }
    if (snapshot.status?.phase !== 'InProgress') {
      writeStatus(api, type, snapshot, {
        phase: 'InProgress',
        readyToUse: false,
        sourceUID: vm.metadata.uid,
      });
      return { requeueSteps: 1 };
    }
    writeStatus(api, type, snapshot, {
      ...snapshot.status,
      phase: 'Succeeded',
      readyToUse: true,
      creationTime: nowIso(),
      indications: vm.status?.printableStatus === 'Running' ? ['Online'] : [],
    });
  },
};
