// What the API server itself fills in when an object is created (the "strategy" of each kind):
// status reset, a namespace's phase, a service's cluster IP, workload defaults.
import { allocateAddress, type PoolSpec } from './address-pool.ts';
import { podQosClass } from './qos.ts';
import type { ObjectStore } from './store.ts';
import type { StoredObject, ResourceType } from './types.ts';

const SERVICE_CIDR_BASE = [10, 43] as const;

/** Service cluster IPs, from 10.43.0.10 up. */
const SERVICE_NETWORK: PoolSpec = {
  prefix: [SERVICE_CIDR_BASE[0], SERVICE_CIDR_BASE[1]],
  first: 10,
  typeKeys: ['/services'],
  addressOf: (_typeKey, s) => s.spec?.clusterIP as string | undefined,
  what: 'service IP',
};

function allocateClusterIp(store: ObjectStore): string {
  return allocateAddress(store, SERVICE_NETWORK);
}

function defaultPodSpec(spec: Record<string, unknown> | undefined): void {
  if (!spec) return;
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  for (const c of (spec.containers as Record<string, unknown>[] | undefined) ?? []) {
    c.imagePullPolicy ??=
      String(c.image ?? '').endsWith(':latest') || !String(c.image ?? '').includes(':')
        ? 'Always'
        : 'IfNotPresent';
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    c.resources ??= {};
    for (const p of (c.ports as Record<string, unknown>[] | undefined) ?? []) p.protocol ??= 'TCP';
  }
}

/** Fill defaults on create. `keepStatus` is for objects the cluster itself seeds. */
export function prepareForCreate(
  type: ResourceType,
  obj: StoredObject,
  store: ObjectStore,
  keepStatus: boolean,
): void {
  // A built-in kind's status is a Go struct: a new object has `status: {}` until a controller writes it.
  if (type.subresources.includes('status') && !keepStatus) {
    if (type.custom) delete obj.status;
    else obj.status = {};
  }
  const spec = obj.spec as Record<string, unknown> | undefined;
  switch (`${type.group}/${type.kind}`) {
    case '/Namespace':
      obj.spec = { finalizers: ['kubernetes'], ...(spec ?? {}) };
      obj.status = { phase: 'Active' };
      obj.metadata.labels = {
        ...obj.metadata.labels,
        'kubernetes.io/metadata.name': obj.metadata.name ?? '',
      };
      break;
    case '/Pod':
      defaultPodSpec(spec);
      if (!keepStatus) obj.status = { phase: 'Pending', qosClass: podQosClass(spec) };
      break;
    case '/Service': {
      const s = (obj.spec ??= {}) as Record<string, unknown>;
      s.type ??= 'ClusterIP';
      s.sessionAffinity ??= 'None';
      if (s.type !== 'ExternalName') {
        if (!s.clusterIP) s.clusterIP = allocateClusterIp(store);
        s.clusterIPs = [s.clusterIP];
        s.ipFamilies = ['IPv4'];
        s.ipFamilyPolicy = 'SingleStack';
        s.internalTrafficPolicy ??= 'Cluster';
      }
      for (const p of (s.ports as Record<string, unknown>[] | undefined) ?? []) {
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
      }
      obj.status = { loadBalancer: {} };
      break;
    }
    case 'apps/Deployment':
      if (spec) {
        spec.replicas ??= 1;
        spec.revisionHistoryLimit ??= 10;
        spec.progressDeadlineSeconds ??= 600;
        spec.strategy ??= {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
        };
        defaultPodSpec((spec.template as { spec?: Record<string, unknown> } | undefined)?.spec);
      }
      break;
    case 'apps/ReplicaSet':
    case 'apps/StatefulSet':
      if (spec) {
        spec.replicas ??= 1;
        defaultPodSpec((spec.template as { spec?: Record<string, unknown> } | undefined)?.spec);
      }
      break;
    case '/PersistentVolumeClaim':
      if (spec) spec.volumeMode ??= 'Filesystem';
      if (!keepStatus) obj.status = { phase: 'Pending' };
      break;
    case '/Secret':
      obj.type ??= 'Opaque';
      break;
    default:
      break;
  }
}

/** Secrets take `stringData` and store it base64-encoded in `data`. */
export function normaliseSecret(obj: StoredObject): void {
  if (obj.kind !== 'Secret' || !obj.stringData) return;
  const data = (obj.data ?? {}) as Record<string, string>;
  for (const [k, v] of Object.entries(obj.stringData as Record<string, string>))
    data[k] = Buffer.from(String(v)).toString('base64');
  obj.data = data;
  delete obj.stringData;
}
