import type { V1ObjectMeta } from '@kubernetes/client-node';
import type { ManagedKind } from '@uncloud/sdk';

/** Any Kubernetes object Uncloud writes: built-in kinds and the CRDs it targets alike. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: V1ObjectMeta & { name: string };
  [field: string]: unknown;
}

export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGER = 'uncloud';
export const RESOURCE_ID = 'uncloud.dev/resource-id';
export const PROJECT_ID = 'uncloud.dev/project-id';
export const RESOURCE_KIND = 'uncloud.dev/kind';
export const RESOURCE_NAME = 'uncloud.dev/name';
/**
 * Which Uncloud installation wrote the object (its id, kept in its database): an installation only
 * ever collects its own objects, so two of them, or one started on an empty database, never delete
 * each other's.
 */
export const INSTALLATION = 'uncloud.dev/installation';

/**
 * Objects with this annotation are created once and never re-applied (generated secrets), unless
 * their `REVISION` annotation is older than the one intent wants (a password reset).
 */
export const CREATE_ONLY = 'uncloud.dev/create-only';
export const REVISION = 'uncloud.dev/revision';

/** What an object Uncloud writes belongs to (the registry's kinds, the project and its quota). */
export type UncloudKind = ManagedKind;

export interface Owner {
  kind: UncloudKind;
  id: string;
  projectId: string;
  /** The user-facing name, shown as a label so operators can find objects by it. */
  name: string;
}

/**
 * The ownership labels every object Uncloud creates carries (DESIGN §1.6). Objects without them are
 * never changed or deleted; `uncloud.dev/resource-id` ties each object to one intent row.
 */
export const ownerLabels = (owner: Owner): Record<string, string> => ({
  [MANAGED_BY]: MANAGER,
  [RESOURCE_KIND]: owner.kind,
  [RESOURCE_ID]: owner.id,
  [PROJECT_ID]: owner.projectId,
  [RESOURCE_NAME]: owner.name,
});

/**
 * The ownership labels without the user-facing name, for what Kubernetes never lets change once
 * written (a StatefulSet's volume claim templates): a rename must not touch them.
 */
export const fixedOwnerLabels = (owner: Owner): Record<string, string> => {
  const { [RESOURCE_NAME]: _name, ...fixed } = ownerLabels(owner);
  return fixed;
};

/** The label selector that finds every object of one kind Uncloud manages. */
export const managedSelector = (kind?: UncloudKind) =>
  kind ? `${MANAGED_BY}=${MANAGER},${RESOURCE_KIND}=${kind}` : `${MANAGED_BY}=${MANAGER}`;

/** The object with the installation label added (a copy; nested templates are left as they are). */
export const withInstallation = <T extends KubeObject>(object: T, installationId: string): T => ({
  ...object,
  metadata: { ...object.metadata, labels: { ...object.metadata.labels, [INSTALLATION]: installationId } },
});

export const isManaged = (object: { metadata?: { labels?: Record<string, string> } }) =>
  object.metadata?.labels?.[MANAGED_BY] === MANAGER;

/**
 * Kubernetes names come from resource ids, not user-facing names: ids never change (renaming a
 * droplet must not replace its VM), never collide, and are already lowercase DNS labels once the
 * `_` becomes `-` (`dpl_3k…` → `dpl-3k…`, 24–25 characters).
 */
export const objectName = (id: string) => id.replace('_', '-');

/** Namespace of a project: `uc-` and the project's object name. */
export const namespaceName = (projectId: string) => `uc-${objectName(projectId)}`;

export const metadata = (owner: Owner, name: string, extra: Partial<V1ObjectMeta> = {}) => ({
  name,
  namespace: namespaceName(owner.projectId),
  ...extra,
  labels: { ...ownerLabels(owner), ...extra.labels },
});
