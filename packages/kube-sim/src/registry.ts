// The resource types the simulated API server serves: the built-in kinds plus one per served CRD version.
import { ALL_VERBS, apiVersionOf, typeKey, type StoredObject, type ResourceType } from './types.ts';

const RO = ['get', 'list', 'watch'];
const NO_COLLECTION = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

function def(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return {
    group,
    version,
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames: [],
    verbs: ALL_VERBS,
    subresources: [],
    ...extra,
  };
}

export const BUILTIN_TYPES: ResourceType[] = [
  def('', 'v1', 'Namespace', 'namespaces', false, {
    shortNames: ['ns'],
    verbs: NO_COLLECTION,
    subresources: ['status'],
  }),
  def('', 'v1', 'Pod', 'pods', true, {
    shortNames: ['po'],
    subresources: ['status', 'log'],
    categories: ['all'],
  }),
  def('', 'v1', 'Service', 'services', true, {
    shortNames: ['svc'],
    verbs: NO_COLLECTION,
    subresources: ['status'],
    categories: ['all'],
  }),
  def('', 'v1', 'Secret', 'secrets', true),
  def('', 'v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
  def('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, {
    shortNames: ['pvc'],
    subresources: ['status'],
  }),
  def('', 'v1', 'PersistentVolume', 'persistentvolumes', false, {
    shortNames: ['pv'],
    subresources: ['status'],
  }),
  def('', 'v1', 'ResourceQuota', 'resourcequotas', true, { shortNames: ['quota'], subresources: ['status'] }),
  def('', 'v1', 'Event', 'events', true, { shortNames: ['ev'] }),
  def('', 'v1', 'Node', 'nodes', false, { shortNames: ['no'], subresources: ['status'] }),
  def('', 'v1', 'ServiceAccount', 'serviceaccounts', true, { shortNames: ['sa'] }),
  def('', 'v1', 'LimitRange', 'limitranges', true, { shortNames: ['limits'] }),
  def('', 'v1', 'Endpoints', 'endpoints', true, { shortNames: ['ep'], singular: 'endpoints' }),
  def('', 'v1', 'ReplicationController', 'replicationcontrollers', true, {
    shortNames: ['rc'],
    subresources: ['status', 'scale'],
    categories: ['all'],
  }),
  def('apps', 'v1', 'Deployment', 'deployments', true, {
    shortNames: ['deploy'],
    subresources: ['status', 'scale'],
    categories: ['all'],
  }),
  def('apps', 'v1', 'ReplicaSet', 'replicasets', true, {
    shortNames: ['rs'],
    subresources: ['status', 'scale'],
    categories: ['all'],
  }),
  def('apps', 'v1', 'StatefulSet', 'statefulsets', true, {
    shortNames: ['sts'],
    subresources: ['status', 'scale'],
    categories: ['all'],
  }),
  def('apps', 'v1', 'DaemonSet', 'daemonsets', true, {
    shortNames: ['ds'],
    subresources: ['status'],
    categories: ['all'],
  }),
  def('batch', 'v1', 'Job', 'jobs', true, { subresources: ['status'], categories: ['all'] }),
  def('batch', 'v1', 'CronJob', 'cronjobs', true, {
    shortNames: ['cj'],
    subresources: ['status'],
    categories: ['all'],
  }),
  def('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true),
  def('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, {
    shortNames: ['ing'],
    subresources: ['status'],
  }),
  def('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', true, { shortNames: ['netpol'] }),
  def('networking.k8s.io', 'v1', 'IngressClass', 'ingressclasses', false),
  def('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', false, { shortNames: ['sc'] }),
  def('coordination.k8s.io', 'v1', 'Lease', 'leases', true),
  // A fresh k3s serves RBAC: the provisioner's upstream manifests carry roles of their own.
  def('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false),
  def('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false),
  def('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true),
  def('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true),
  def('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, {
    shortNames: ['crd', 'crds'],
    subresources: ['status'],
  }),
  // Create-only reviews (answered, never stored: reviews.ts).
  def('authorization.k8s.io', 'v1', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews', false, {
    verbs: ['create'],
  }),
  def('authorization.k8s.io', 'v1', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews', false, {
    verbs: ['create'],
  }),
  def('authentication.k8s.io', 'v1', 'SelfSubjectReview', 'selfsubjectreviews', false, { verbs: ['create'] }),
  def('metrics.k8s.io', 'v1beta1', 'PodMetrics', 'pods', true, { singular: '', verbs: RO, readOnly: true }),
  def('metrics.k8s.io', 'v1beta1', 'NodeMetrics', 'nodes', false, {
    singular: '',
    verbs: RO,
    readOnly: true,
  }),
];

/** Core kinds a fresh cluster has even in the `bare` profile (all built-ins above). */
export class Registry {
  private readonly byKey = new Map<string, ResourceType>();

  constructor() {
    for (const t of BUILTIN_TYPES) this.byKey.set(typeKey(t), t);
  }

  all(): ResourceType[] {
    return [...this.byKey.values()];
  }

  /** Resolve `/apis/<group>/<version>/<plural>`; undefined when not served. */
  find(group: string, version: string, plural: string): ResourceType | undefined {
    const t = this.byKey.get(`${group}/${plural}`);
    return t && t.version === version ? t : undefined;
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.all().find((t) => apiVersionOf(t) === apiVersion && t.kind === kind);
  }

  get(key: string): ResourceType | undefined {
    return this.byKey.get(key);
  }

  groupVersions(): { group: string; version: string }[] {
    const seen = new Map<string, { group: string; version: string }>();
    for (const t of this.byKey.values())
      if (t.group) seen.set(`${t.group}/${t.version}`, { group: t.group, version: t.version });
    return [...seen.values()];
  }

  /** Serve (or stop serving) the resource a CRD describes. Only its first served version is used. */
  syncCrd(crd: StoredObject, present: boolean): ResourceType | undefined {
    const spec = crd.spec ?? {};
    const names = spec.names ?? {};
    const key = `${spec.group}/${names.plural}`;
    if (!present) {
      const existing = this.byKey.get(key);
      if (existing?.custom) this.byKey.delete(key);
      return existing;
    }
    const versions: {
      name: string;
      served?: boolean;
      storage?: boolean;
      subresources?: { status?: unknown; scale?: unknown };
      schema?: { openAPIV3Schema?: Record<string, unknown> };
    }[] = spec.versions ?? [];
    const version =
      versions.find((v) => v.served !== false && v.storage) ?? versions.find((v) => v.served !== false);
    if (!version || !spec.group || !names.plural || !names.kind) return undefined;
    const subresources: string[] = [];
    if (version.subresources?.status) subresources.push('status');
    if (version.subresources?.scale) subresources.push('scale');
    const type: ResourceType = {
      group: spec.group,
      version: version.name,
      kind: names.kind,
      plural: names.plural,
      singular: names.singular ?? names.kind.toLowerCase(),
      namespaced: spec.scope !== 'Cluster',
      shortNames: names.shortNames ?? [],
      categories: names.categories,
      verbs: ALL_VERBS,
      subresources,
      custom: true,
      ...(version.schema?.openAPIV3Schema ? { openAPIV3Schema: version.schema.openAPIV3Schema } : {}),
    };
    this.byKey.set(key, type);
    return type;
  }
}
