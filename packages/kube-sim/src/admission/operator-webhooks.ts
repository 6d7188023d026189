// The validating webhooks the operators install with their CRDs, for the fields Uncloud writes.
// The simulated cluster models KubeVirt and CloudNativePG as installed, so it refuses what their
// webhooks refuse, with their words. (kube-real runs no operators and so no webhooks: there
// `runStrategy: Sometimes` is stored, which is why the fidelity probe vm-runstrategy-free-string
// differs on purpose.)
import { invalid, SimError, type StatusCause } from '../errors.ts';
import type { Admission } from './chain.ts';
import { deepEqual } from '../patch.ts';
import { parseQuantity } from '../quantity.ts';
import type { StoredObject } from '../types.ts';

/** A webhook's refusal as kube-apiserver relays it: its Status, the message prefixed with who denied it. */
function denied(webhook: string, status: SimError): SimError {
  return new SimError(
    status.code,
    status.reason,
    `admission webhook "${webhook}" denied the request: ${status.message}`,
    status.details,
  );
}

// KubeVirt v1.7 virt-api, pkg/virt-api/webhooks/validating-webhook/admitters/vms-admitter.go.
const RUN_STRATEGIES = ['Halted', 'Manual', 'Always', 'RerunOnFailure', 'Once'];

export function virtualMachineCauses(vm: StoredObject): StatusCause[] {
  const spec = vm.spec ?? {};
  const causes: StatusCause[] = [];
  const hasRunning = spec.running !== undefined && spec.running !== null;
  const hasStrategy = spec.runStrategy !== undefined && spec.runStrategy !== null;
  if (hasRunning && hasStrategy)
    causes.push({
      message:
        'Running and RunStrategy are mutually exclusive. Note that Running is deprecated, please use RunStrategy instead',
      field: 'spec.running',
    });
  if (!hasRunning && !hasStrategy)
    causes.push({ message: 'RunStrategy must be specified', field: 'spec.running' });
  if (hasStrategy && !RUN_STRATEGIES.includes(String(spec.runStrategy)))
    causes.push({ message: `Invalid RunStrategy (${String(spec.runStrategy)})`, field: 'spec.runStrategy' });
  return causes;
}

/** ToAdmissionResponse: the causes' messages joined, 422 Invalid, the causes as details. */
function kubevirtRefusal(causes: StatusCause[]): SimError {
  return denied(
    'virtualmachine-validator.kubevirt.io',
    new SimError(422, 'Invalid', causes.map((c) => c.message).join(', '), {
      causes: causes.map((c) => ({ reason: 'FieldValueInvalid', message: c.message, field: c.field })),
    }),
  );
}

// CloudNativePG v1.28, internal/webhook/v1/cluster_webhook.go (validateStorageSize).
export function cnpgStorageCauses(cluster: StoredObject): StatusCause[] {
  const storage = (cluster.spec?.storage ?? {}) as {
    size?: string;
    pvcTemplate?: { resources?: { requests?: { storage?: string } } };
  };
  const size = storage.size ?? '';
  if (size !== '' && parseQuantity(size) === undefined)
    return [{ field: 'spec.storage.size', message: `Invalid value: "${size}": Size value isn't valid` }];
  const templated = parseQuantity(storage.pvcTemplate?.resources?.requests?.storage) ?? 0;
  if (size === '' && templated === 0)
    return [
      {
        field: 'spec.storage.size',
        message:
          'Invalid value: "": Size not configured. Please add it, or a storage request in the pvcTemplate.',
      },
    ];
  return [];
}

export const operatorWebhooks: Admission = ({ op, type, object, old }) => {
  // They let objects being deleted through, and are not called for status writes (nor here for
  // updates that leave the spec as it was: the stored spec passed them already).
  if (object.metadata.deletionTimestamp) return;
  if (op === 'update' && old && deepEqual(old.spec, object.spec)) return;
  if (type.group === 'kubevirt.io' && type.kind === 'VirtualMachine') {
    const causes = virtualMachineCauses(object);
    if (causes.length > 0) throw kubevirtRefusal(causes);
  }
  if (type.group === 'postgresql.cnpg.io' && type.kind === 'Cluster') {
    const causes = cnpgStorageCauses(object);
    // The operator's update path names the group "cluster.cnpg.io" (as it does, verbatim).
    const group = op === 'create' ? 'postgresql.cnpg.io' : 'cluster.cnpg.io';
    if (causes.length > 0)
      throw denied(
        'vcluster.cnpg.io',
        invalid({ group, kind: 'Cluster' }, object.metadata.name ?? '', causes),
      );
  }
};
