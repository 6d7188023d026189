import { notFound } from '@uncloud/sdk';
import { type UsagePointRow, usageRepository } from '@uncloud/db';
import type { UsagePoint, UsageSeries } from '@uncloud/sdk';
import { type UsageService } from '@uncloud/sdk/contract';
import type { ServiceDeps } from './deps.ts';

/**
 * Points per series at most: a chart has no use for more, and a day of 15 s samples (5 760 per
 * resource) is averaged into 4-minute points instead of shipped whole.
 */
const MAX_POINTS = 360;

/** CPU and memory of a project's droplets and apps over time, read from the sampler's rows. */
/**
 * A sample is current while the next round has not been missed: one sampling period, plus half a
 * period for a round that takes a moment to write.
 */
const currentFor = (intervalMs: number) => 1.5 * intervalMs;

export const createUsageService = ({ store, usageIntervalMs = 15_000 }: ServiceDeps): UsageService => ({
  list(scope, input) {
    const currentSince = Date.now() - currentFor(usageIntervalMs);
    const windowMs = input.minutes * 60_000;
    const resources =
      input.resourceId === undefined
        ? usageRepository.resourcesOfProject(store.db, scope.projectId)
        : usageRepository.resourcesByIds(store.db, [input.resourceId]);
    if (input.resourceId !== undefined && resources[0]?.projectId !== scope.projectId)
      throw notFound('droplet or app', input.resourceId, 'resourceId');
    const points = new Map<string, UsagePoint[]>(resources.map((r) => [r.id, []]));
    const rows: UsagePointRow[] = usageRepository.series(store.db, {
      projectId: scope.projectId,
      resourceIds: resources.map((r) => r.id),
      since: new Date(Date.now() - windowMs),
      bucketMs: Math.ceil(windowMs / MAX_POINTS),
    });
    for (const row of rows) {
      points.get(row.resourceId)?.push({
        at: row.at.toISOString(),
        cpuMillicores: row.cpuMillicores,
        memoryMiB: row.memoryMiB,
      });
    }
    return resources.map((r): UsageSeries => {
      const series = points.get(r.id) ?? [];
      const newest = series.at(-1);
      return {
        resourceKind: r.kind,
        resourceId: r.id,
        name: r.name,
        points: series,
        current: newest && Date.parse(newest.at) >= currentSince ? newest : null,
      };
    });
  },
});
