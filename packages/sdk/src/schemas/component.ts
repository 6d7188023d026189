import { z } from 'zod';
import { ActionId, ActionStatus } from './action.ts';
import { IsoDateTime, listFields } from './common.ts';

/**
 * What the provisioner installs into a cluster (administrators only). Each is a record of intent
 * with a pinned version and source, reconciled by the sync engine like any other resource.
 */
export const ComponentName = z.enum([
  'kubevirt',
  'cdi',
  'storage',
  'metrics-server',
  'prometheus',
  'cnpg',
  'registry',
  'object-storage',
  'coredns',
]);
export type ComponentName = z.infer<typeof ComponentName>;

/** The components droplets, volumes and PostgreSQL databases cannot do without. */
export const requiredComponents = ['kubevirt', 'cdi', 'storage', 'cnpg'] as const satisfies ComponentName[];

/** Which storage provider the `storage` component installs. */
export const StorageVariant = z.enum(['longhorn', 'rook-ceph', 'local-path']);
export type StorageVariant = z.infer<typeof StorageVariant>;

/**
 * - `absent`: not installed by Uncloud and not found in the cluster;
 * - `present`: found in the cluster (installed by someone else, or shipped with it, as k3s ships
 *   `local-path` and CoreDNS), not managed by Uncloud;
 * - `installing` (applied, not yet healthy), `ready`, `degraded` (was ready, now is not),
 *   `error` (with `lastError`), `uninstalling`.
 */
export const ComponentState = z.enum([
  'absent',
  'present',
  'installing',
  'ready',
  'degraded',
  'error',
  'uninstalling',
]);
export type ComponentState = z.infer<typeof ComponentState>;

export const ComponentActionType = z.enum(['install', 'upgrade', 'repair', 'uninstall']);
export type ComponentActionType = z.infer<typeof ComponentActionType>;

/** An install, upgrade, repair or uninstall: started by an administrator, finished by the sync engine. */
export const ComponentAction = z.object({
  id: z.string(),
  type: ComponentActionType,
  status: z.enum(['in-progress', 'completed', 'errored']),
  /** The version the component moves to (for an uninstall: the one it leaves). */
  version: z.string(),
  error: z.string().nullable(),
  startedAt: IsoDateTime,
  completedAt: IsoDateTime.nullable(),
});
export type ComponentAction = z.infer<typeof ComponentAction>;

/**
 * A component's install, upgrade, repair or uninstall as a system action: an action like a project's
 * (listed newest first, awaited with `waitForAction`, audited), in no project, for administrators.
 */
export const SystemAction = z.object({
  id: ActionId,
  /** Null: a system action belongs to no project. */
  projectId: z.null(),
  type: ComponentActionType,
  resourceKind: z.literal('component'),
  resourceId: ComponentName,
  status: ActionStatus,
  /** `{ version, variant? }`: the version the component moves to (an uninstall: the one it leaves). */
  params: z.record(z.string(), z.unknown()),
  error: z.string().nullable(),
  startedAt: IsoDateTime,
  completedAt: IsoDateTime.nullable(),
});
export type SystemAction = z.infer<typeof SystemAction>;

export const SystemActionRef = z.object({ id: ActionId });
export type SystemActionRef = z.input<typeof SystemActionRef>;

/** Newest first; `resourceId` narrows to one component. */
export const ListSystemActionsInput = z.object({
  limit: listFields.limit,
  cursor: listFields.cursor,
  resourceId: ComponentName.optional(),
  status: ActionStatus.optional(),
});
export type ListSystemActionsInput = z.input<typeof ListSystemActionsInput>;

/** One object's health, read from its own conditions. */
export const ComponentHealthItem = z.object({
  /** `Kind namespace/name`. */
  object: z.string(),
  ready: z.boolean(),
  message: z.string(),
});
export type ComponentHealthItem = z.infer<typeof ComponentHealthItem>;

export const ComponentVersion = z.object({
  version: z.string(),
  variant: StorageVariant.nullable(),
  /** Where its manifests come from (before any mirror), empty for manifests Uncloud generates. */
  sources: z.array(z.string()),
  /** False when the catalogue records no checksum for a source: the install is refused. */
  verified: z.boolean(),
});
export type ComponentVersion = z.infer<typeof ComponentVersion>;

export const Component = z.object({
  name: ComponentName,
  title: z.string(),
  description: z.string(),
  /** Needed by droplets, volumes or PostgreSQL databases. */
  required: z.boolean(),
  /** Components to install first. */
  dependsOn: z.array(ComponentName),
  state: ComponentState,
  /** Whether Uncloud manages it (an administrator asked to install it). */
  managed: z.boolean(),
  /** The version asked for, null when not managed. */
  version: z.string().nullable(),
  variant: StorageVariant.nullable(),
  /** The version whose manifests were last applied. */
  installedVersion: z.string().nullable(),
  available: z.array(ComponentVersion),
  health: z.array(ComponentHealthItem),
  warnings: z.array(z.string()),
  lastError: z.string().nullable(),
  action: ComponentAction.nullable(),
  observedAt: IsoDateTime.nullable(),
});
export type Component = z.infer<typeof Component>;

export const ComponentRef = z.object({ name: ComponentName });

export const InstallComponentInput = z.object({
  name: ComponentName,
  /** Default: the catalogue's newest version (for an installed component: its current one). */
  version: z.string().min(1).max(64).optional(),
  /** Only for `storage` (default `longhorn`). */
  variant: StorageVariant.optional(),
});
export type InstallComponentInput = z.infer<typeof InstallComponentInput>;

export const UpgradeComponentInput = z.object({ name: ComponentName, version: z.string().min(1).max(64) });
export type UpgradeComponentInput = z.infer<typeof UpgradeComponentInput>;

export const PreflightCheck = z.object({
  id: z.enum(['kubernetes-version', 'virtualization', 'storage-class', 'capacity', 'cluster']),
  status: z.enum(['ok', 'warning', 'failed']),
  message: z.string(),
});
export type PreflightCheck = z.infer<typeof PreflightCheck>;

export const K3sInfo = z.object({
  /** A node's kubelet reports a k3s version (`v1.32.0+k3s1`). */
  detected: z.boolean(),
  /** The k3s (or Kubernetes) version found, null without a cluster. */
  version: z.string().nullable(),
  /** The pinned k3s version the commands install. */
  pinnedVersion: z.string(),
  /** Run on the host that is to be the server. */
  installCommand: z.string(),
  /** Run on every further node; the token is in /var/lib/rancher/k3s/server/node-token on the server. */
  joinCommand: z.string(),
});
export type K3sInfo = z.infer<typeof K3sInfo>;

export const Preflight = z.object({
  checks: z.array(PreflightCheck),
  k3s: K3sInfo,
  checkedAt: IsoDateTime,
});
export type Preflight = z.infer<typeof Preflight>;

/** What any signed-in user may know: whether the required components are missing. */
export const ComponentReadiness = z.object({
  /** Required components known to be missing from the cluster (empty while unknown). */
  missing: z.array(ComponentName),
});
export type ComponentReadiness = z.infer<typeof ComponentReadiness>;
