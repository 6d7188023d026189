import { z } from 'zod';
import { sortField } from './list-sort.ts';
import { SizeSlug } from './catalog.ts';
import {
  DropletId,
  IsoDateTime,
  ProjectId,
  ResourceName,
  ResourceState,
  SnapshotId,
  VolumeId,
  listFields,
  reconciledFields,
} from './common.ts';
import { Filesystem } from './volume.ts';

/** What a snapshot was taken of: a droplet's root disk, or a volume. */
export const SnapshotResourceKind = z.enum(['droplet', 'volume']);
export type SnapshotResourceKind = z.infer<typeof SnapshotResourceKind>;

/**
 * A point-in-time copy of a droplet's root disk (KubeVirt's VirtualMachineSnapshot) or of a volume
 * (a CSI VolumeSnapshot). It outlives what it was taken of: a droplet can be restored to it, and a
 * new droplet or volume created from it.
 */
export const Snapshot = z.object({
  id: SnapshotId,
  projectId: ProjectId,
  name: ResourceName,
  resourceKind: SnapshotResourceKind,
  /** The droplet or volume it was taken of (which may since have been deleted). */
  resourceId: z.union([DropletId, VolumeId]),
  /** That droplet's or volume's name when the snapshot was taken. */
  resourceName: z.string(),
  /** The disk's size when taken: the least a droplet or volume made from it needs. */
  sizeGiB: z.number().int(),
  /** Droplet snapshots: the droplet's size and image when taken; null for volume snapshots. */
  dropletSize: SizeSlug.nullable(),
  image: z.string().nullable(),
  /** Volume snapshots: the volume's filesystem; null for droplet snapshots. */
  filesystem: Filesystem.nullable(),
  state: ResourceState,
  ...reconciledFields,
  deletedAt: IsoDateTime.nullable(),
});
export type Snapshot = z.infer<typeof Snapshot>;

export const SnapshotRef = z.object({ projectId: ProjectId, id: SnapshotId });
export type SnapshotRef = z.input<typeof SnapshotRef>;

export const ListSnapshotsInput = z.object({
  projectId: ProjectId,
  ...listFields,
  sort: sortField('snapshot'),
  resourceKind: SnapshotResourceKind.optional(),
  /** Only the snapshots of this droplet or volume. */
  resourceId: z.union([DropletId, VolumeId]).optional(),
  state: ResourceState.optional(),
});
export type ListSnapshotsInput = z.input<typeof ListSnapshotsInput>;
