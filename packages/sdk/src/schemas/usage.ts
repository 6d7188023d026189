import { z } from 'zod';
import { IsoDateTime, ProjectId } from './common.ts';

export const UsagePoint = z.object({
  at: IsoDateTime,
  /** CPU in use, in thousandths of a core. */
  cpuMillicores: z.number(),
  memoryMiB: z.number(),
});
export type UsagePoint = z.infer<typeof UsagePoint>;

/** CPU and memory of one droplet or app over time, oldest point first. */
export const UsageSeries = z.object({
  resourceKind: z.enum(['droplet', 'app']),
  resourceId: z.string(),
  name: z.string(),
  points: z.array(UsagePoint),
  /**
   * The newest sample while it is current: null when the resource missed the latest sampling round
   * (a stopped droplet, an app scaled to zero), so that an old figure is never shown as "now".
   */
  current: UsagePoint.nullable(),
});
export type UsageSeries = z.infer<typeof UsageSeries>;

export const ListUsageInput = z.object({
  projectId: ProjectId,
  /** One resource's series; every droplet's and app's when omitted. */
  resourceId: z.string().max(64).optional(),
  /** How far back to go. */
  minutes: z.number().int().min(1).max(1440).default(60),
});
export type ListUsageInput = z.input<typeof ListUsageInput>;
