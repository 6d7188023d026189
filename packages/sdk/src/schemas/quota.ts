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
});
export type QuotaLimits = z.infer<typeof QuotaLimits>;

export const defaultQuotaLimits: QuotaLimits = {
  droplets: 25,
  vcpus: 50,
  memoryMiB: 100 * 1024,
  volumeGiB: 1000,
  apps: 25,
  databases: 10,
};

export const Quota = z.object({
  projectId: ProjectId,
  ...QuotaLimits.shape,
  /** What the project's resources take now, counted from intent. */
  usage: QuotaLimits,
  state: ResourceState,
  ...reconciledFields,
});
export type Quota = z.infer<typeof Quota>;

export const QuotaRef = z.object({ projectId: ProjectId });
export type QuotaRef = z.input<typeof QuotaRef>;

export const UpdateQuotaInput = z.object({ projectId: ProjectId, ...QuotaLimits.partial().shape });
export type UpdateQuotaInput = z.input<typeof UpdateQuotaInput>;
