// The ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount): on a pod's create,
// `serviceAccountName` defaults to `default`; a ServiceAccount that does not exist is 403
// Forbidden; unless the pod or its account opt out, every container mounts the projected
// `kube-api-access-<random>` token volume at /var/run/secrets/kubernetes.io/serviceaccount; the
// account's imagePullSecrets are copied to a pod that names none.
import { forbidden, SimError } from '../errors.ts';
import { randomSuffix } from '../meta.ts';
import type { ObjectApi } from '../object-api.ts';
import type { ResourceType, StoredObject } from '../types.ts';
import { isPod, type Admission } from './chain.ts';

const DEFAULT_ACCOUNT = 'default';
const VOLUME_PREFIX = 'kube-api-access-';
export const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

type Container = { volumeMounts?: { name?: string; readOnly?: boolean; mountPath?: string }[] };

/** The projected volume the plugin adds (TokenVolumeSource, its expiry 3607 s). */
function tokenVolume(name: string) {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        {
          downwardAPI: {
            items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
          },
        },
      ],
    },
  };
}

/**
 * The account, or undefined. The real plugin retries a missing `default` account for about a
 * second while the ServiceAccount controller creates it in a new namespace; the simulated
 * controller would do the same, so the plugin creates it at once instead of waiting.
 */
function findAccount(api: ObjectApi, saType: ResourceType, namespace: string, name: string) {
  const found = api.store.get('/serviceaccounts', namespace, name);
  if (found || name !== DEFAULT_ACCOUNT) return found;
  const ns = api.store.get('/namespaces', '', namespace);
  if (!ns || ns.metadata.deletionTimestamp) return undefined;
  try {
    return api.create(saType, namespace, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: DEFAULT_ACCOUNT },
    });
  } catch (e) {
    if (e instanceof SimError && e.code === 409) return api.store.get('/serviceaccounts', namespace, name);
    throw e;
  }
}

function mountToken(spec: Record<string, unknown>): void {
  const volumes = (spec.volumes as { name?: string }[] | undefined) ?? [];
  const existing = volumes.find((v) => v.name?.startsWith(VOLUME_PREFIX));
  const name = existing?.name ?? `${VOLUME_PREFIX}${randomSuffix()}`;
  let needed = false;
  for (const c of [
    ...((spec.initContainers as Container[] | undefined) ?? []),
    ...((spec.containers as Container[] | undefined) ?? []),
  ]) {
    if (!c || (c.volumeMounts ?? []).some((m) => m.mountPath === TOKEN_MOUNT_PATH)) continue;
    c.volumeMounts = [...(c.volumeMounts ?? []), { name, readOnly: true, mountPath: TOKEN_MOUNT_PATH }];
    needed = true;
  }
  if (!existing && needed) spec.volumes = [...volumes, tokenVolume(name)];
}

export const serviceAccountAdmission: Admission = ({ op, type, object }, api) => {
  if (op !== 'create' || !isPod(type)) return;
  const spec = object.spec as Record<string, unknown> | undefined;
  if (!spec) return;
  // Mirror pods (a kubelet's static pods) are left as they are.
  if (object.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined) return;
  spec.serviceAccountName ||= DEFAULT_ACCOUNT;
  const name = spec.serviceAccountName as string;
  const namespace = object.metadata.namespace ?? '';
  const saType = api.registry.get('/serviceaccounts');
  if (!saType) return;
  const account: StoredObject | undefined = findAccount(api, saType, namespace, name);
  if (!account)
    throw forbidden(
      type,
      object.metadata.name ?? '',
      `error looking up service account ${namespace}/${name}: serviceaccount "${name}" not found`,
    );
  // The deprecated field is the same value on the wire.
  spec.serviceAccount = name;
  const automount =
    (spec.automountServiceAccountToken as boolean | undefined) ??
    (account.automountServiceAccountToken as boolean | undefined) ??
    true;
  if (automount) mountToken(spec);
  const pullSecrets = (account.imagePullSecrets as { name?: string }[] | undefined) ?? [];
  if (!(spec.imagePullSecrets as unknown[] | undefined)?.length && pullSecrets.length > 0)
    spec.imagePullSecrets = pullSecrets.map((s) => ({ name: s.name }));
};
