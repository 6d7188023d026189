import { z } from 'zod';
import {
  DropletId,
  IsoDateTime,
  ProjectId,
  ReservedIpId,
  ResourceName,
  ResourceState,
  listFields,
  reconciledFields,
} from './common.ts';

/** A dotted IPv4 address, as reserved IPs are (DigitalOcean's are IPv4 too). */
export const Ipv4Address = z
  .string()
  .regex(/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/, {
    message: 'must be an IPv4 address such as 203.0.113.10',
  });

/** A region: the installation's one (UNCLOUD_REGION), named as DigitalOcean names theirs. */
export const Region = z
  .string()
  .min(1, { message: 'is required' })
  .max(32, { message: 'must be at most 32 characters' })
  .regex(/^[a-z0-9-]+$/, { message: 'must be lowercase letters, digits and "-"' });

/**
 * A public address that belongs to the project, not to a droplet: it stays the same while it moves
 * from droplet to droplet, and while it is assigned to none.
 */
export const ReservedIp = z.object({
  id: ReservedIpId,
  projectId: ProjectId,
  name: ResourceName,
  /** The address, taken from the administrator's pool when the reserved IP was made; never changes. */
  ip: Ipv4Address,
  region: Region,
  /** The droplet it forwards to; null while unassigned. */
  dropletId: DropletId.nullable(),
  dropletName: z.string().nullable(),
  /**
   * True once the cluster's load balancer announces the address (its Service holds it); false while
   * it is pending, for example when the address is outside the load balancer's pool.
   */
  announced: z.boolean(),
  state: ResourceState,
  ...reconciledFields,
  deletedAt: IsoDateTime.nullable(),
});
export type ReservedIp = z.infer<typeof ReservedIp>;

export const CreateReservedIpInput = z.object({
  projectId: ProjectId,
  /** Defaults to `ip-` and the address with dashes (`ip-203-0-113-10`). */
  name: ResourceName.optional(),
  /** The region; only the installation's own is served. Defaults to it. */
  region: Region.optional(),
  /** A particular address of the pool; the lowest free one when left out. */
  ip: Ipv4Address.optional(),
  /** Assigns it to this droplet at once, as DigitalOcean's create with `droplet_id` does. */
  dropletId: DropletId.optional(),
});
export type CreateReservedIpInput = z.input<typeof CreateReservedIpInput>;

export const ReservedIpRef = z.object({ projectId: ProjectId, id: ReservedIpId });
export type ReservedIpRef = z.input<typeof ReservedIpRef>;

export const UpdateReservedIpInput = z.object({
  projectId: ProjectId,
  id: ReservedIpId,
  name: ResourceName.optional(),
});
export type UpdateReservedIpInput = z.input<typeof UpdateReservedIpInput>;

/** Points the address at a droplet of the project; when it is assigned already, moves it there. */
export const AssignReservedIpInput = z.object({
  projectId: ProjectId,
  id: ReservedIpId,
  dropletId: DropletId,
});
export type AssignReservedIpInput = z.input<typeof AssignReservedIpInput>;

export const ListReservedIpsInput = z.object({
  projectId: ProjectId,
  ...listFields,
  state: ResourceState.optional(),
});
export type ListReservedIpsInput = z.input<typeof ListReservedIpsInput>;
