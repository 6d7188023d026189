import { z } from 'zod';
import { sortField } from './list-sort.ts';
import { ImageSlug, SizeSlug } from './catalog.ts';
import {
  DropletId,
  IsoDateTime,
  ProjectId,
  ResourceName,
  SnapshotId,
  SshKeyId,
  Tag,
  Tags,
  VolumeId,
  listFields,
  reconciledFields,
} from './common.ts';

export const DropletState = z.enum([
  'pending',
  'provisioning',
  'active',
  'stopped',
  'starting',
  'stopping',
  'error',
  'deleting',
]);
export type DropletState = z.infer<typeof DropletState>;

/** cloud-init user data; 64 KiB as on DigitalOcean. */
export const UserData = z.string().max(65536, { message: 'must be at most 64 KiB' });

export const Droplet = z.object({
  id: DropletId,
  projectId: ProjectId,
  name: ResourceName,
  size: SizeSlug,
  vcpus: z.number().int(),
  memoryMiB: z.number().int(),
  diskGiB: z.number().int(),
  image: ImageSlug,
  /** The snapshot its root disk was last made from (create or rebuild from a snapshot, restore); null: its image. */
  rootDiskSnapshotId: SnapshotId.nullable(),
  sshKeyIds: z.array(SshKeyId),
  tags: z.array(Tag),
  /** The cloud-init user data; `null` when there is none or when it is withheld (`userDataRedacted`). */
  userData: z.string().nullable(),
  /** True when the droplet has user data the caller may not read (a viewer): it may hold secrets. */
  userDataRedacted: z.boolean(),
  /** Volumes attached to this droplet. */
  volumeIds: z.array(VolumeId),
  /** Intent: whether the droplet should run (`powerOff` / `powerOn` change it; `state` says whether it does). */
  poweredOn: z.boolean(),
  state: DropletState,
  ip: z.string().nullable(),
  /**
   * The address reachable from outside the cluster (its LoadBalancer Service's), forwarding SSH and
   * the ports its firewalls allow; null until the load balancer gives one.
   */
  publicIp: z.string().nullable(),
  /** The reserved IP assigned to it (its own address for life while it is assigned); null: none. */
  reservedIp: z.string().nullable(),
  node: z.string().nullable(),
  /** Phase of the running instance as Kubernetes reports it (Pending, Scheduling, Running, …). */
  phase: z.string().nullable(),
  ...reconciledFields,
  deletedAt: IsoDateTime.nullable(),
});
export type Droplet = z.infer<typeof Droplet>;

export const CreateDropletInput = z
  .object({
    projectId: ProjectId,
    name: ResourceName,
    size: SizeSlug,
    /** The image to install; with `snapshotId`, the snapshot's own image when omitted. */
    image: ImageSlug.optional(),
    /** Creates the droplet from a droplet snapshot: its root disk is a copy of the snapshot's. */
    snapshotId: SnapshotId.optional(),
    sshKeyIds: z.array(SshKeyId).max(32).default([]),
    tags: Tags,
    userData: UserData.optional(),
    volumeIds: z.array(VolumeId).max(16).default([]),
  })
  .refine((input) => input.image !== undefined || input.snapshotId !== undefined, {
    message: 'is required: choose an image, or a snapshot (snapshotId) to create the droplet from',
    path: ['image'],
  });
export type CreateDropletInput = z.input<typeof CreateDropletInput>;

export const DropletRef = z.object({ projectId: ProjectId, id: DropletId });
export type DropletRef = z.input<typeof DropletRef>;

/** Renames and retags; size, image and power changes are actions. */
export const UpdateDropletInput = z.object({
  projectId: ProjectId,
  id: DropletId,
  name: ResourceName.optional(),
  tags: z.array(Tag).max(32).optional(),
});
export type UpdateDropletInput = z.input<typeof UpdateDropletInput>;

export const ListDropletsInput = z.object({
  projectId: ProjectId,
  ...listFields,
  sort: sortField('droplet'),
  tag: Tag.optional(),
  state: DropletState.optional(),
});
export type ListDropletsInput = z.input<typeof ListDropletsInput>;

/**
 * What the droplet's serial console printed (kernel, systemd, cloud-init, the login prompt), as
 * far as the console gives it back: the recent output, oldest line first.
 */
export const DropletBootLog = z.object({
  dropletId: DropletId,
  lines: z.array(z.string()),
  /** When it was read from the console. */
  capturedAt: IsoDateTime,
});
export type DropletBootLog = z.infer<typeof DropletBootLog>;
