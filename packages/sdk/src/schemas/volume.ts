import { z } from 'zod';
import { sortField } from './list-sort.ts';
import {
  DropletId,
  IsoDateTime,
  ProjectId,
  ResourceName,
  ResourceState,
  SizeGiB,
  SnapshotId,
  Tag,
  Tags,
  VolumeId,
  listFields,
  reconciledFields,
} from './common.ts';

export const Filesystem = z.enum(['ext4', 'xfs']);
export type Filesystem = z.infer<typeof Filesystem>;

export const Volume = z.object({
  id: VolumeId,
  projectId: ProjectId,
  name: ResourceName,
  sizeGiB: z.number().int(),
  filesystem: Filesystem,
  description: z.string(),
  tags: z.array(Tag),
  /** The droplet the volume is attached to, if any. */
  dropletId: DropletId.nullable(),
  state: ResourceState,
  /** Claim phase as Kubernetes reports it (Pending, Bound, Lost). */
  phase: z.string().nullable(),
  /** Capacity the storage actually provides, once bound. */
  capacityGiB: z.number().nullable(),
  /** Where the droplet it is attached to mounts it (`/mnt/<name>`); null while detached. */
  mountPath: z.string().nullable(),
  /** The snapshot it was restored from; null for a volume created blank. */
  snapshotId: SnapshotId.nullable(),
  ...reconciledFields,
  deletedAt: IsoDateTime.nullable(),
});
export type Volume = z.infer<typeof Volume>;

const Description = z.string().max(1024, { message: 'must be at most 1024 characters' });

export const CreateVolumeInput = z.object({
  projectId: ProjectId,
  name: ResourceName,
  sizeGiB: SizeGiB,
  /** Restores a volume snapshot into the new volume (at least the snapshot's size; its filesystem). */
  snapshotId: SnapshotId.optional(),
  filesystem: Filesystem.default('ext4'),
  description: Description.default(''),
  tags: Tags,
});
export type CreateVolumeInput = z.input<typeof CreateVolumeInput>;

export const VolumeRef = z.object({ projectId: ProjectId, id: VolumeId });
export type VolumeRef = z.input<typeof VolumeRef>;

/** Renames, describes and retags; resizing and attaching are actions. */
export const UpdateVolumeInput = z.object({
  projectId: ProjectId,
  id: VolumeId,
  name: ResourceName.optional(),
  description: Description.optional(),
  tags: z.array(Tag).max(32).optional(),
});
export type UpdateVolumeInput = z.input<typeof UpdateVolumeInput>;

export const ListVolumesInput = z.object({
  projectId: ProjectId,
  ...listFields,
  sort: sortField('volume'),
  tag: Tag.optional(),
  state: ResourceState.optional(),
});
export type ListVolumesInput = z.input<typeof ListVolumesInput>;
