import { z } from 'zod';
import { sortField } from './list-sort.ts';
import {
  FirewallId,
  IsoDateTime,
  ProjectId,
  ResourceName,
  ResourceState,
  Tag,
  idPattern,
  listFields,
  reconciledFields,
} from './common.ts';

export const FirewallProtocol = z.enum(['tcp', 'udp', 'icmp']);
export type FirewallProtocol = z.infer<typeof FirewallProtocol>;

/** `"all"`, a port (`"443"`) or an inclusive range (`"8000-9000"`). */
export const PortRange = z.string().superRefine((ports, ctx) => {
  if (ports === 'all') return;
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(ports);
  const from = Number(match?.[1]);
  const to = match?.[2] === undefined ? from : Number(match[2]);
  if (!match || from < 1 || to > 65535 || from > to) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be "all", a port from 1 to 65535, or a range "low-high" within it',
    });
  }
});

const cidrOrIp = z.union([z.cidrv4(), z.cidrv6(), z.ipv4(), z.ipv6()]);
const tagPrefix = 'tag:';

export type FirewallEndpointKind = 'address' | 'droplet' | 'app' | 'tag';

/**
 * What a source, destination or target string names: an address or CIDR, a droplet or app id, or
 * every droplet and app with a tag (`tag:web`).
 */
export const classifyEndpoint = (value: string): FirewallEndpointKind | null => {
  if (value.startsWith(tagPrefix)) return Tag.safeParse(value.slice(tagPrefix.length)).success ? 'tag' : null;
  if (idPattern('droplet').test(value)) return 'droplet';
  if (idPattern('app').test(value)) return 'app';
  return cidrOrIp.safeParse(value).success ? 'address' : null;
};

/**
 * Why a source, destination or target is refused, in words that say what to write instead: a bad
 * tag is a bad tag (not "not an id"), and an address where only droplets, apps and tags apply says so.
 */
const endpointProblem = (value: string, kind: FirewallEndpointKind | null, addresses: boolean) => {
  const shown = `"${value.slice(0, 80)}"`;
  if (value.startsWith(tagPrefix))
    return `${shown} is not a valid tag: after "tag:" write letters, digits, '-', '_', '.' or ':', starting and ending with a letter or digit`;
  if (kind === 'address')
    return `${shown} is an address; a firewall applies to droplets, apps and tags (such as "tag:web"), not to addresses`;
  return addresses
    ? `${shown} is not a CIDR or address (such as 203.0.113.0/24), a droplet, an app, or a tag (such as "tag:web")`
    : `${shown} is not a droplet, an app, or a tag (such as "tag:web")`;
};

export const FirewallEndpoint = z.string().superRefine((value, ctx) => {
  if (classifyEndpoint(value) === null)
    ctx.addIssue({ code: 'custom', message: endpointProblem(value, null, true) });
});

export const FirewallTarget = z.string().superRefine((value, ctx) => {
  const kind = classifyEndpoint(value);
  if (kind === null || kind === 'address')
    ctx.addIssue({ code: 'custom', message: endpointProblem(value, kind, false) });
});

const icmpHasNoPorts = (rule: { protocol: FirewallProtocol; ports: string }) =>
  rule.protocol !== 'icmp' || rule.ports === 'all';
const icmpPortsIssue = { message: 'icmp rules have no ports: leave ports out or use "all"', path: ['ports'] };

export const InboundRule = z
  .object({
    protocol: FirewallProtocol,
    ports: PortRange.default('all'),
    sources: z.array(FirewallEndpoint).min(1, { message: 'name at least one source' }).max(100),
  })
  .refine(icmpHasNoPorts, icmpPortsIssue);
export type InboundRule = z.infer<typeof InboundRule>;

export const OutboundRule = z
  .object({
    protocol: FirewallProtocol,
    ports: PortRange.default('all'),
    destinations: z.array(FirewallEndpoint).min(1, { message: 'name at least one destination' }).max(100),
  })
  .refine(icmpHasNoPorts, icmpPortsIssue);
export type OutboundRule = z.infer<typeof OutboundRule>;

/**
 * Whether DNS to the cluster's resolver stays allowed while outbound rules restrict the targets.
 * On unless turned off; firewalls add up, so DNS is cut only when no firewall of a target allows it.
 */
const AllowDns = z.boolean({ message: 'must be true or false' });

/** One droplet or app a firewall applies to, and whether the cluster enforces it there yet. */
export const FirewallTargetStatus = z.object({
  id: z.string(),
  kind: z.enum(['droplet', 'app']),
  name: z.string().nullable(),
  enforced: z.boolean(),
  /** Why it is not enforced yet, or what the cluster cannot enforce (ICMP without Cilium). */
  note: z.string().nullable(),
});
export type FirewallTargetStatus = z.infer<typeof FirewallTargetStatus>;

export const Firewall = z.object({
  id: FirewallId,
  projectId: ProjectId,
  name: ResourceName,
  inbound: z.array(InboundRule),
  outbound: z.array(OutboundRule),
  /** Droplets and apps the rules apply to (ids, or `tag:<name>`). */
  targets: z.array(z.string()),
  allowDns: AllowDns,
  /** The droplets and apps the targets mean now (tags expanded), each with its enforcement. */
  appliesTo: z.array(FirewallTargetStatus),
  state: ResourceState,
  ...reconciledFields,
  deletedAt: IsoDateTime.nullable(),
});
export type Firewall = z.infer<typeof Firewall>;

export const CreateFirewallInput = z.object({
  projectId: ProjectId,
  name: ResourceName,
  inbound: z.array(InboundRule).max(50).default([]),
  outbound: z.array(OutboundRule).max(50).default([]),
  targets: z.array(FirewallTarget).max(100).default([]),
  allowDns: AllowDns.default(true),
});
export type CreateFirewallInput = z.input<typeof CreateFirewallInput>;

export const FirewallRef = z.object({ projectId: ProjectId, id: FirewallId });
export type FirewallRef = z.input<typeof FirewallRef>;

export const UpdateFirewallInput = z.object({
  projectId: ProjectId,
  id: FirewallId,
  name: ResourceName.optional(),
  inbound: z.array(InboundRule).max(50).optional(),
  outbound: z.array(OutboundRule).max(50).optional(),
  targets: z.array(FirewallTarget).max(100).optional(),
  allowDns: AllowDns.optional(),
});
export type UpdateFirewallInput = z.input<typeof UpdateFirewallInput>;

export const ListFirewallsInput = z.object({
  projectId: ProjectId,
  ...listFields,
  sort: sortField('firewall'),
  state: ResourceState.optional(),
});
export type ListFirewallsInput = z.input<typeof ListFirewallsInput>;
