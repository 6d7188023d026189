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
  const template = (spec.template ?? {}) as { spec?: { volumes?: unknown } };
  causes.push(...cloudInitCauses(template.spec?.volumes, 'spec.template.spec.volumes'));
  return causes;
}

// vmi-create-admitter.go, validateVolumes: cloudInitUserMaxLen and cloudInitNetworkMaxLen.
const CLOUD_INIT_USER_MAX_LEN = 2048;
const CLOUD_INIT_NETWORK_MAX_LEN = 2048;

interface CloudInitSource {
  secretRef?: { name?: string } | null;
  userDataBase64?: string;
  userData?: string;
  networkDataSecretRef?: { name?: string } | null;
  networkDataBase64?: string;
  networkData?: string;
}

/** Go's base64.StdEncoding.DecodeString: padded standard alphabet only; undefined when invalid. */
const decodeStdBase64 = (text: string): Buffer | undefined =>
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)
    ? Buffer.from(text, 'base64')
    : undefined;

/**
 * The cloud-init checks of KubeVirt's volume validation, with its words: one user data source and one
 * network data source at most, at least one of either, valid base64, and inline data within 2048
 * bytes (larger data must come from a Secret: `secretRef` / `networkDataSecretRef`).
 */
export function cloudInitCauses(volumes: unknown, path: string): StatusCause[] {
  if (!Array.isArray(volumes)) return [];
  const causes: StatusCause[] = [];
  volumes.forEach((volume: Record<string, unknown> | null, idx) => {
    for (const type of ['cloudInitNoCloud', 'cloudInitConfigDrive'] as const) {
      const source = volume?.[type] as CloudInitSource | undefined | null;
      if (!source) continue;
      const at = `${path}[${idx}].${type}`;
      const invalidBase64 = (key: string) =>
        causes.push({ message: `${at}.${type}.${key} is not a valid base64 value.`, field: `${at}.${key}` });

      let userDataLen = 0;
      let userSources = 0;
      if (source.secretRef?.name) userSources++;
      if (source.userDataBase64) {
        userSources++;
        const decoded = decodeStdBase64(source.userDataBase64);
        if (!decoded) invalidBase64('userDataBase64');
        userDataLen = decoded?.length ?? 0;
      }
      if (source.userData) {
        userSources++;
        userDataLen = Buffer.byteLength(source.userData, 'utf8');
      }
      if (userSources > 1)
        causes.push({ message: `${at} must have only one userdatasource set.`, field: at });
      if (userDataLen > CLOUD_INIT_USER_MAX_LEN)
        causes.push({
          message: `${at} userdata exceeds ${CLOUD_INIT_USER_MAX_LEN} byte limit. Should use UserDataSecretRef for larger data.`,
          field: at,
        });

      let networkDataLen = 0;
      let networkSources = 0;
      if (source.networkDataSecretRef?.name) networkSources++;
      if (source.networkDataBase64) {
        networkSources++;
        const decoded = decodeStdBase64(source.networkDataBase64);
        if (!decoded) invalidBase64('networkDataBase64');
        networkDataLen = decoded?.length ?? 0;
      }
      if (source.networkData) {
        networkSources++;
        networkDataLen = Buffer.byteLength(source.networkData, 'utf8');
      }
      if (networkSources > 1)
        causes.push({ message: `${at} must have only one networkdata source set.`, field: at });
      if (networkDataLen > CLOUD_INIT_NETWORK_MAX_LEN)
        causes.push({
          message: `${at} networkdata exceeds ${CLOUD_INIT_NETWORK_MAX_LEN} byte limit. Should use NetworkDataSecretRef for larger data.`,
          field: at,
        });
      if (userSources === 0 && networkSources === 0)
        causes.push({
          message: `${at} must have at least one userdatasource or one networkdatasource set.`,
          field: at,
        });
    }
  });
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
