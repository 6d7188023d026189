import { z } from 'zod';
import { sortField } from './list-sort.ts';
import {
  DropletId,
  IsoDateTime,
  LoadBalancerId,
  ProjectId,
  ResourceName,
  ResourceState,
  Tag,
  listFields,
  reconciledFields,
} from './common.ts';

/** What clients speak to the load balancer; HTTP and HTTPS are forwarded as TCP. */
export const EntryProtocol = z.enum(['tcp', 'udp', 'http', 'https'], {
  message: 'must be "tcp", "udp", "http" or "https"',
});
export type EntryProtocol = z.infer<typeof EntryProtocol>;

const Port = z
  .number({ message: 'must be a port number' })
  .int({ message: 'must be a whole number' })
  .min(1, { message: 'must be a port from 1 to 65535' })
  .max(65535, { message: 'must be a port from 1 to 65535' });

export const ForwardingRule = z.object({
  entryProtocol: EntryProtocol,
  /** The port the load balancer's address listens on. */
  entryPort: Port,
  /** The port of the targets it forwards to. */
  targetPort: Port,
});
export type ForwardingRule = z.infer<typeof ForwardingRule>;

export const HealthCheck = z
  .object({
    protocol: z.enum(['tcp', 'http'], { message: 'must be "tcp" or "http"' }).default('tcp'),
    port: Port,
    /** HTTP checks only: the path asked for. */
    path: z.string().startsWith('/', { message: 'must start with "/"' }).max(200).nullable().default(null),
    intervalSeconds: z.number().int().min(3).max(300).default(10),
    healthyThreshold: z.number().int().min(1).max(10).default(3),
    unhealthyThreshold: z.number().int().min(1).max(10).default(3),
  })
  .refine((check) => check.protocol === 'http' || check.path === null, {
    message: 'only HTTP health checks have a path: leave it out for TCP',
    path: ['path'],
  })
  .transform((check) => (check.protocol === 'http' && check.path === null ? { ...check, path: '/' } : check));
export type HealthCheck = z.output<typeof HealthCheck>;

const rulesOf = z
  .array(ForwardingRule)
  .min(1, { message: 'add at least one forwarding rule' })
  .max(16)
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((rule, i) => {
      // A Service port is unique by protocol and port; HTTP(S) is TCP on the wire.
      const key = `${rule.entryProtocol === 'udp' ? 'udp' : 'tcp'}/${rule.entryPort}`;
      if (seen.has(key))
        ctx.addIssue({
          code: 'custom',
          message: `entry port ${rule.entryPort} is already forwarded`,
          path: [i, 'entryPort'],
        });
      seen.add(key);
    });
  });

/** Droplets by id, or every droplet carrying a tag; one of them. */
const targetsOf = {
  dropletIds: z.array(DropletId).max(50).default([]),
  tag: Tag.nullable().default(null),
};
const oneKindOfTarget = {
  message: 'name target droplets by id or by tag, not both',
  path: ['tag'],
};

/** One droplet the load balancer sends to, and whether the cluster sees it ready to take traffic. */
export const LoadBalancerTarget = z.object({
  dropletId: DropletId,
  name: z.string().nullable(),
  healthy: z.boolean(),
});
export type LoadBalancerTarget = z.infer<typeof LoadBalancerTarget>;

export const LoadBalancer = z.object({
  id: LoadBalancerId,
  projectId: ProjectId,
  name: ResourceName,
  forwardingRules: z.array(ForwardingRule),
  healthCheck: HealthCheck,
  dropletIds: z.array(DropletId),
  tag: Tag.nullable(),
  stickySessions: z.boolean(),
  /** The public address the cluster's load balancer gave it; null until given. */
  address: z.string().nullable(),
  /** The droplets the targets mean now, with their health as observed. */
  targets: z.array(LoadBalancerTarget),
  state: ResourceState,
  ...reconciledFields,
  deletedAt: IsoDateTime.nullable(),
});
export type LoadBalancer = z.infer<typeof LoadBalancer>;

export const CreateLoadBalancerInput = z
  .object({
    projectId: ProjectId,
    name: ResourceName,
    forwardingRules: rulesOf,
    healthCheck: HealthCheck.optional(),
    ...targetsOf,
    stickySessions: z.boolean({ message: 'must be true or false' }).default(false),
  })
  .refine((input) => input.dropletIds.length === 0 || input.tag === null, oneKindOfTarget)
  .transform((input) => ({
    ...input,
    // Checked where traffic goes unless said otherwise: the first rule's target port, over TCP.
    healthCheck: input.healthCheck ?? HealthCheck.parse({ port: input.forwardingRules[0]!.targetPort }),
  }));
export type CreateLoadBalancerInput = z.input<typeof CreateLoadBalancerInput>;

export const LoadBalancerRef = z.object({ projectId: ProjectId, id: LoadBalancerId });
export type LoadBalancerRef = z.input<typeof LoadBalancerRef>;

export const UpdateLoadBalancerInput = z
  .object({
    projectId: ProjectId,
    id: LoadBalancerId,
    name: ResourceName.optional(),
    forwardingRules: rulesOf.optional(),
    healthCheck: HealthCheck.optional(),
    dropletIds: targetsOf.dropletIds.removeDefault().optional(),
    tag: Tag.nullable().optional(),
    stickySessions: z.boolean({ message: 'must be true or false' }).optional(),
  })
  .refine((input) => !(input.dropletIds?.length && input.tag), oneKindOfTarget);
export type UpdateLoadBalancerInput = z.input<typeof UpdateLoadBalancerInput>;

export const ListLoadBalancersInput = z.object({
  projectId: ProjectId,
  ...listFields,
  sort: sortField('loadBalancer'),
  state: ResourceState.optional(),
});
export type ListLoadBalancersInput = z.input<typeof ListLoadBalancersInput>;
