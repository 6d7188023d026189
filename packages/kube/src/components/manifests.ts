import { parseAllDocuments } from 'yaml';
import { INSTALLATION, type KubeObject } from '../manifests/meta.ts';
import type { ObjectRef } from './catalogue.ts';

/**
 * The label of every object the provisioner applies: which component it belongs to. Deliberately not
 * `app.kubernetes.io/managed-by=uncloud`: the sync engine collects objects with that label that no
 * resource owns, and a component's objects belong to no project's resource.
 */
export const COMPONENT = 'uncloud.dev/component';

export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The objects of a multi-document YAML file (empty documents skipped, `List`s unpacked). Refuses a
 * file that does not parse or holds something that is not a Kubernetes object, naming `source`.
 */
export const parseManifests = (text: string, source: string): KubeObject[] => {
  const objects: KubeObject[] = [];
  parseAllDocuments(text).forEach((doc, index) => {
    if (doc.errors.length > 0)
      throw new ManifestError(
        `${source}: document ${index + 1} is not valid YAML (${doc.errors[0]!.message})`,
      );
    const value: unknown = doc.toJSON();
    if (value === null || value === undefined) return;
    const items =
      isObject(value) && value.kind === 'List' && Array.isArray(value.items) ? value.items : [value];
    for (const item of items as unknown[]) {
      if (
        !isObject(item) ||
        typeof item.apiVersion !== 'string' ||
        typeof item.kind !== 'string' ||
        !isObject(item.metadata) ||
        typeof item.metadata.name !== 'string'
      )
        throw new ManifestError(
          `${source}: document ${index + 1} is not a Kubernetes object (apiVersion, kind and metadata.name are required)`,
        );
      objects.push(item as KubeObject);
    }
  });
  return objects;
};

// Groups Kubernetes itself serves: anything else is a custom resource, applied after its CRD.
const BUILTIN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'rbac.authorization.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'admissionregistration.k8s.io',
  'storage.k8s.io',
  'scheduling.k8s.io',
  'networking.k8s.io',
  'coordination.k8s.io',
  'certificates.k8s.io',
  'discovery.k8s.io',
  'node.k8s.io',
  'flowcontrol.apiserver.k8s.io',
]);

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');

// What others refer to goes first: who may do what, configuration, and priority classes.
const FOUNDATION = new Set([
  'ServiceAccount',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'ConfigMap',
  'Secret',
  'PriorityClass',
  'StorageClass',
  'PersistentVolumeClaim',
]);

/** 0 CRDs, 1 Namespaces, 2 RBAC and configuration, 3 workloads and the rest, 4 custom resources. */
export const applyRank = (object: { apiVersion: string; kind: string }): number => {
  if (object.kind === 'CustomResourceDefinition') return 0;
  if (object.kind === 'Namespace') return 1;
  if (!BUILTIN_GROUPS.has(groupOf(object.apiVersion))) return 4;
  if (FOUNDATION.has(object.kind)) return 2;
  return 3;
};

/** The objects in the order to apply them (stable within a rank: the files' own order). */
export const sortForApply = <T extends { apiVersion: string; kind: string }>(objects: T[]): T[] =>
  objects
    .map((object, index) => ({ object, index, rank: applyRank(object) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((entry) => entry.object);

/** The order to delete them in: custom resources first (their operators still run), CRDs last. */
export const sortForDelete = <T extends { apiVersion: string; kind: string }>(objects: T[]): T[] =>
  sortForApply(objects).reverse();

/** `Kind namespace/name` (or `Kind name`), as the Setup page shows objects. */
export const describeRef = (ref: ObjectRef): string =>
  `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;

export const refOf = (object: KubeObject): ObjectRef => ({
  apiVersion: object.apiVersion,
  kind: object.kind,
  name: object.metadata.name,
  ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
});

/** The object labelled as the component's and this installation's, nothing else changed. */
export const labelForComponent = (
  object: KubeObject,
  component: string,
  installationId: string,
): KubeObject => ({
  ...object,
  metadata: {
    ...object.metadata,
    labels: { ...object.metadata.labels, [COMPONENT]: component, [INSTALLATION]: installationId },
  },
});

const sameRef = (a: ObjectRef, b: ObjectRef) =>
  a.apiVersion === b.apiVersion &&
  a.kind === b.kind &&
  a.name === b.name &&
  (a.namespace ?? '') === (b.namespace ?? '');

/** What an earlier version applied that this one no longer has: deleted after an upgrade. */
export const leftBehind = (before: ObjectRef[], now: ObjectRef[]): ObjectRef[] =>
  before.filter((old) => !now.some((ref) => sameRef(ref, old)));
