import { z } from 'zod';
import { DatabaseSizeSlug, ImageSlug, SizeSlug } from './catalog.ts';
import {
  AppId,
  DatabaseId,
  DropletId,
  IsoDateTime,
  ProjectId,
  ResourceName,
  SizeGiB,
  SnapshotId,
  VolumeId,
  idSchema,
  listFields,
} from './common.ts';
import { DatabaseNodes } from './catalog.ts';
import { type ActionKind, actionKinds } from './kinds.ts';
import { Env, ImageReference, Replicas } from './app.ts';

export const ActionId = idSchema('action').brand<'ActionId'>();
export type ActionId = z.infer<typeof ActionId>;

/** The kinds of resource actions act on: those the registry marks `hasActions`. */
export const ActionResourceKind = z.enum(actionKinds as [ActionKind, ...ActionKind[]]);
export type ActionResourceKind = z.infer<typeof ActionResourceKind>;

/** What an action does; named after the procedure that starts it. */
export const ActionType = z.enum([
  'powerOn',
  'powerOff',
  'reboot',
  'resize',
  'rebuild',
  'snapshot',
  'restore',
  'attach',
  'detach',
  'scale',
  'redeploy',
  'deploy',
  'rollback',
  'resetPassword',
  'assign',
  'unassign',
  'addDroplets',
  'removeDroplets',
]);
export type ActionType = z.infer<typeof ActionType>;

export const ActionStatus = z.enum(['in-progress', 'completed', 'errored']);
export type ActionStatus = z.infer<typeof ActionStatus>;

/**
 * An asynchronous operation on a resource, DigitalOcean style: recorded with the change of intent it
 * makes, returned at once, and completed by the sync engine when Kubernetes shows the result.
 */
export const Action = z.object({
  id: ActionId,
  projectId: ProjectId,
  type: ActionType,
  resourceKind: ActionResourceKind,
  resourceId: z.string(),
  status: ActionStatus,
  /** What the action was asked to do, e.g. `{ size: 's-2vcpu-4gb' }`. */
  params: z.record(z.string(), z.unknown()),
  /** Why it failed, when `errored`. */
  error: z.string().nullable(),
  startedAt: IsoDateTime,
  completedAt: IsoDateTime.nullable(),
});
export type Action = z.infer<typeof Action>;

export const ActionRef = z.object({ projectId: ProjectId, id: ActionId });
export type ActionRef = z.input<typeof ActionRef>;

/** Newest first; narrowed to one resource with `resourceId`. */
export const ListActionsInput = z.object({
  projectId: ProjectId,
  limit: listFields.limit,
  cursor: listFields.cursor,
  resourceId: z.string().max(64).optional(),
  status: ActionStatus.optional(),
});
export type ListActionsInput = z.input<typeof ListActionsInput>;

// Inputs of the actions, one per procedure. Every action answers with the `Action` it started.

export const ResizeDropletInput = z.object({ projectId: ProjectId, id: DropletId, size: SizeSlug });
export type ResizeDropletInput = z.input<typeof ResizeDropletInput>;

/**
 * Reinstalls from an image (the droplet's own when neither is given), or from a droplet snapshot of
 * the project: the droplet gets a new root disk, and what the old one held is gone.
 */
export const RebuildDropletInput = z
  .object({
    projectId: ProjectId,
    id: DropletId,
    image: ImageSlug.optional(),
    snapshotId: SnapshotId.optional(),
  })
  .refine((input) => input.image === undefined || input.snapshotId === undefined, {
    message: 'give an image or a snapshot to rebuild from, not both',
    path: ['snapshotId'],
  });
export type RebuildDropletInput = z.input<typeof RebuildDropletInput>;

export const SnapshotDropletInput = z.object({
  projectId: ProjectId,
  id: DropletId,
  /** Defaults to the droplet's name and the time. */
  name: ResourceName.optional(),
});
export type SnapshotDropletInput = z.input<typeof SnapshotDropletInput>;

/** Puts a powered-off droplet's root disk back to a snapshot of it (KubeVirt's VirtualMachineRestore). */
export const RestoreDropletInput = z.object({ projectId: ProjectId, id: DropletId, snapshotId: SnapshotId });
export type RestoreDropletInput = z.input<typeof RestoreDropletInput>;

export const SnapshotVolumeInput = z.object({
  projectId: ProjectId,
  id: VolumeId,
  /** Defaults to the volume's name and the time. */
  name: ResourceName.optional(),
});
export type SnapshotVolumeInput = z.input<typeof SnapshotVolumeInput>;

export const AttachVolumeInput = z.object({ projectId: ProjectId, id: VolumeId, dropletId: DropletId });
export type AttachVolumeInput = z.input<typeof AttachVolumeInput>;

export const ResizeVolumeInput = z.object({ projectId: ProjectId, id: VolumeId, sizeGiB: SizeGiB });
export type ResizeVolumeInput = z.input<typeof ResizeVolumeInput>;

export const ScaleAppInput = z.object({ projectId: ProjectId, id: AppId, replicas: Replicas });
export type ScaleAppInput = z.input<typeof ScaleAppInput>;

/** A new image and/or environment, rolled out replica by replica. */
export const DeployAppInput = z
  .object({ projectId: ProjectId, id: AppId, image: ImageReference.optional(), env: Env.optional() })
  .refine((input) => input.image !== undefined || input.env !== undefined, {
    message: 'give an image, env or both to deploy',
    path: ['image'],
  });
export type DeployAppInput = z.input<typeof DeployAppInput>;

export const ResizeDatabaseInput = z
  .object({
    projectId: ProjectId,
    id: DatabaseId,
    size: DatabaseSizeSlug.optional(),
    nodes: DatabaseNodes.optional(),
    storageGiB: SizeGiB.optional(),
  })
  .refine((i) => i.size !== undefined || i.nodes !== undefined || i.storageGiB !== undefined, {
    message: 'give a size, nodes or storageGiB to resize to',
    path: ['size'],
  });
export type ResizeDatabaseInput = z.input<typeof ResizeDatabaseInput>;
