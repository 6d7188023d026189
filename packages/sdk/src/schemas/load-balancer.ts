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
import { Domain } from './app.ts';

/**
 * What clients speak to the load balancer. At its own address every rule is forwarded as TCP (UDP
 * for udp); an HTTP or HTTPS rule with a hostname is also served by the cluster's ingress controller
 * for that hostname (HTTPS terminated there with the load balancer's certificate).
 */
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
  /**
   * HTTP and HTTPS rules only: the hostname the cluster's ingress controller routes to the targets
   * (an Ingress), on its port 80 (HTTP) or 443 (HTTPS). Null: only the load balancer's address.
   */
  hostname: Domain.nullable().default(null),
});
export type ForwardingRule = z.output<typeof ForwardingRule>;

export const HealthCheckProtocol = z.enum(['tcp', 'http', 'https'], {
  message: 'must be "tcp", "http" or "https"',
});
export type HealthCheckProtocol = z.infer<typeof HealthCheckProtocol>;

const seconds = (min: number, max: number) =>
  z
    .number({ message: 'must be a number of seconds' })
    .int({ message: 'must be a whole number of seconds' })
    .min(min, { message: `must be from ${min} to ${max} seconds` })
    .max(max, { message: `must be from ${min} to ${max} seconds` });
const times = z
  .number({ message: 'must be a number of checks' })
  .int({ message: 'must be a whole number of checks' })
  .min(1, { message: 'must be from 1 to 10 checks' })
  .max(10, { message: 'must be from 1 to 10 checks' });

/**
 * How the load balancer decides a target may take traffic, as DigitalOcean's does: every
 * `intervalSeconds` it connects to `port` (TCP), or asks for `path` over HTTP(S) and wants a 2xx or
 * 3xx answer, within `timeoutSeconds`. A target's first check decides its health; after that it
 * takes `unhealthyThreshold` failures in a row to take it out and `healthyThreshold` successes in a
 * row to put it back.
 */
export const HealthCheck = z
  .object({
    protocol: HealthCheckProtocol.default('tcp'),
    port: Port,
    /** HTTP(S) checks only: the path asked for. */
    path: z
      .string()
      .startsWith('/', { message: 'must start with "/"' })
      .max(200, { message: 'must be at most 200 characters' })
      .nullable()
      .default(null),
    intervalSeconds: seconds(3, 300).default(10),
    timeoutSeconds: seconds(1, 300).default(5),
    healthyThreshold: times.default(3),
    unhealthyThreshold: times.default(3),
  })
  .refine((check) => check.protocol !== 'tcp' || check.path === null, {
    message: 'only HTTP and HTTPS health checks have a path: leave it out for TCP',
    path: ['path'],
  })
  .refine((check) => check.timeoutSeconds <= check.intervalSeconds, {
    message: 'must be at most the interval: a check ends before the next one starts',
    path: ['timeoutSeconds'],
  })
  .transform((check) => (check.protocol !== 'tcp' && check.path === null ? { ...check, path: '/' } : check));
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
      if (rule.hostname !== null && rule.entryProtocol !== 'http' && rule.entryProtocol !== 'https')
        ctx.addIssue({
          code: 'custom',
          message: 'only HTTP and HTTPS rules have a hostname: leave it out, or make the rule HTTP',
          path: [i, 'hostname'],
        });
    });
    const hosts = new Set<string>();
    rules.forEach((rule, i) => {
      if (rule.hostname === null) return;
      const key = `${rule.entryProtocol}/${rule.hostname}`;
      if (hosts.has(key))
        ctx.addIssue({
          code: 'custom',
          message: `${rule.hostname} already has an ${rule.entryProtocol.toUpperCase()} rule`,
          path: [i, 'hostname'],
        });
      hosts.add(key);
    });
  });

const Pem = (what: string, marker: RegExp) =>
  z
    .string({ message: `must be a PEM ${what}` })
    .max(64 * 1024, { message: 'must be at most 64 KiB' })
    .regex(marker, { message: `must be a PEM ${what} (-----BEGIN …-----)` });

/**
 * The certificate HTTPS rules with a hostname are served with: one the user gives (kept in a
 * Secret the load balancer owns), or one cert-manager issues when the cluster runs it.
 */
export const TlsCertificateInput = z.discriminatedUnion(
  'source',
  [
    z.object({
      source: z.literal('uploaded'),
      certificate: Pem('certificate', /-----BEGIN CERTIFICATE-----/),
      privateKey: Pem('private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/),
    }),
    z.object({ source: z.literal('cert-manager') }),
  ],
  { message: 'source must be "uploaded" (with certificate and privateKey) or "cert-manager"' },
);
export type TlsCertificateInput = z.input<typeof TlsCertificateInput>;

/** What is shown of the certificate: where it comes from, never the key. */
export const TlsCertificate = z.object({ source: z.enum(['uploaded', 'cert-manager']) });
export type TlsCertificate = z.infer<typeof TlsCertificate>;

/** Droplets by id, or every droplet carrying a tag; one of them. */
const targetsOf = {
  dropletIds: z.array(DropletId).max(50).default([]),
  tag: Tag.nullable().default(null),
};
const oneKindOfTarget = {
  message: 'name target droplets by id or by tag, not both',
  path: ['tag'],
};

/**
 * One droplet the load balancer sends to: healthy while the cluster lists it ready behind the load
 * balancer (its droplet runs and passes the health check), with why it is or is not.
 */
export const LoadBalancerTarget = z.object({
  dropletId: DropletId,
  name: z.string().nullable(),
  healthy: z.boolean(),
  /** Why, in a sentence: "HTTP 200 from /healthz", "connection refused on port 8080", "powered off". */
  reason: z.string(),
  /** Since when it has been so (its health check's last change); null when not checked. */
  since: IsoDateTime.nullable(),
});
export type LoadBalancerTarget = z.infer<typeof LoadBalancerTarget>;

/** A target's health as its checks last judged it (the sync engine's record; runtime, not intent). */
export interface TargetHealth {
  healthy: boolean;
  reason: string;
  /** ISO time the health or its reason last changed. */
  since: string;
  /** Checks in a row that agreed with the last one, toward a threshold. */
  streak: number;
  /** What the last check found (a streak of these moves `healthy` at its threshold). */
  lastOk: boolean;
}

export const LoadBalancer = z.object({
  id: LoadBalancerId,
  projectId: ProjectId,
  name: ResourceName,
  forwardingRules: z.array(ForwardingRule),
  healthCheck: HealthCheck,
  dropletIds: z.array(DropletId),
  tag: Tag.nullable(),
  stickySessions: z.boolean(),
  /** Where HTTPS rules' certificate comes from; null without one. */
  tlsCertificate: TlsCertificate.nullable(),
  /** HTTP requests to a hostname that also has an HTTPS rule are redirected to HTTPS. */
  redirectHttpToHttps: z.boolean(),
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
    tlsCertificate: TlsCertificateInput.nullable().default(null),
    redirectHttpToHttps: z.boolean({ message: 'must be true or false' }).default(false),
  })
  .refine((input) => input.dropletIds.length === 0 || input.tag === null, oneKindOfTarget)
  .superRefine((input, ctx) => tlsFits(input.forwardingRules, input.tlsCertificate, ctx))
  .transform((input) => ({
    ...input,
    // Checked where traffic goes unless said otherwise: the first rule's target port, over TCP.
    healthCheck: input.healthCheck ?? HealthCheck.parse({ port: input.forwardingRules[0]!.targetPort }),
  }));
export type CreateLoadBalancerInput = z.input<typeof CreateLoadBalancerInput>;

/** An HTTPS rule with a hostname needs a certificate to be served with. */
export const tlsFits = (
  rules: readonly ForwardingRule[],
  tls: TlsCertificateInput | TlsCertificate | null,
  ctx: z.RefinementCtx,
) => {
  const i = rules.findIndex((r) => r.entryProtocol === 'https' && r.hostname !== null);
  if (i >= 0 && tls === null)
    ctx.addIssue({
      code: 'custom',
      message: `HTTPS for ${rules[i]!.hostname} needs a certificate: upload one, or choose cert-manager`,
      path: ['tlsCertificate'],
    });
};

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
    tlsCertificate: TlsCertificateInput.nullable().optional(),
    redirectHttpToHttps: z.boolean({ message: 'must be true or false' }).optional(),
  })
  .refine((input) => !(input.dropletIds?.length && input.tag), oneKindOfTarget)
  .superRefine((input, ctx) => {
    // The other half may be the one stored: the service checks the pair as it will be.
    if (input.forwardingRules && input.tlsCertificate !== undefined)
      tlsFits(input.forwardingRules, input.tlsCertificate, ctx);
  });
export type UpdateLoadBalancerInput = z.input<typeof UpdateLoadBalancerInput>;

/** Droplets to put behind a load balancer, or take from it (DigitalOcean's droplet actions). */
export const LoadBalancerDropletsInput = z.object({
  projectId: ProjectId,
  id: LoadBalancerId,
  dropletIds: z
    .array(DropletId)
    .min(1, { message: 'name at least one droplet' })
    .max(50, { message: 'at most 50 droplets at once' }),
});
export type LoadBalancerDropletsInput = z.input<typeof LoadBalancerDropletsInput>;

export const ListLoadBalancersInput = z.object({
  projectId: ProjectId,
  ...listFields,
  sort: sortField('loadBalancer'),
  state: ResourceState.optional(),
});
export type ListLoadBalancersInput = z.input<typeof ListLoadBalancersInput>;
