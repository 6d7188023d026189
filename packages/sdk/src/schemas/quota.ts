import { z } from 'zod';
import { ProjectId, ResourceState, reconciledFields } from './common.ts';

const Limit = z.number().int({ message: 'must be a whole number' }).min(0, { message: 'must be 0 or more' });

/** Per-project limits, enforced by the API before intent is accepted and by Kubernetes after. */
export const QuotaLimits = z.object({
  droplets: Limit.max(1000),
  vcpus: Limit.max(10000),
  memoryMiB: Limit.max(100 * 1024 * 1024),
  volumeGiB: Limit.max(1024 * 1024),
  apps: Limit.max(1000),
  databases: Limit.max(1000),
  /** Load balancers (`lb_…`); each droplet's own public address is not one of them. */
  loadBalancers: Limit.max(1000),
  /** Reserved IPs (`rip_…`) the project holds, assigned or not. */
  reservedIps: Limit.max(1000),
});
export type QuotaLimits = z.infer<typeof QuotaLimits>;

export const defaultQuotaLimits: QuotaLimits = {
  droplets: 25,
  vcpus: 50,
  memoryMiB: 100 * 1024,
  volumeGiB: 1000,
  apps: 25,
  databases: 10,
  loadBalancers: 10,
  reservedIps: 5,
};

/**
 * What a project takes, in the units of its limits. CPU and memory are what its pods request, as
 * the ResourceQuota counts them, so they are not whole: a droplet's VM runs in a pod that asks for
 * KubeVirt's overhead too (about 250 MiB more than its size), an app for each replica
 * and the one a rollout adds, a database for each node. Storage counts volumes and database disks.
 */
export const QuotaUsage = z.object({
  droplets: z.number(),
  vcpus: z.number(),
  memoryMiB: z.number(),
  volumeGiB: z.number(),
  apps: z.number(),
  databases: z.number(),
  loadBalancers: z.number(),
  reservedIps: z.number(),
});
export type QuotaUsage = z.infer<typeof QuotaUsage>;

export const Quota = z.object({
  projectId: ProjectId,
  ...QuotaLimits.shape,
  /**
   * What the project's resources take, counted from intent the way the ResourceQuota counts them:
   * what the API checks a change against.
   */
  usage: QuotaUsage,
  /**
   * What Kubernetes counts as used now (the ResourceQuota's `status.used`, as last observed): less
   * than `usage` while resources are being created or droplets are off; null until observed.
   */
  clusterUsage: QuotaUsage.nullable(),
  state: ResourceState,
  ...reconciledFields,
});
export type Quota = z.infer<typeof Quota>;

export const QuotaRef = z.object({ projectId: ProjectId });
export type QuotaRef = z.input<typeof QuotaRef>;

export const UpdateQuotaInput = z.object({ projectId: ProjectId, ...QuotaLimits.partial().shape });
export type UpdateQuotaInput = z.input<typeof UpdateQuotaInput>;
