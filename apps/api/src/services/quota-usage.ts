import { eq, sql } from 'drizzle-orm';
import { type Db, tables } from '@uncloud/db';
import { type ProjectId, type QuotaLimits, dropletSizes, quotaExceeded } from '@uncloud/sdk';

const { apps, databases, droplets, quotas, volumes } = tables;

/** What a project's resources take, counted from intent (resources being deleted still count). */
export const quotaUsage = (db: Db, projectId: ProjectId): QuotaLimits => {
  const bySize = db
    .select({ size: droplets.size, n: sql<number>`count(*)` })
    .from(droplets)
    .where(eq(droplets.projectId, projectId))
    .groupBy(droplets.size)
    .all();
  const usage: QuotaLimits = { droplets: 0, vcpus: 0, memoryMiB: 0, volumeGiB: 0, apps: 0, databases: 0 };
  for (const { size, n } of bySize) {
    const spec = dropletSizes.find((s) => s.slug === size);
    usage.droplets += n;
    usage.vcpus += n * (spec?.vcpus ?? 0);
    usage.memoryMiB += n * (spec?.memoryMiB ?? 0);
  }
  usage.volumeGiB = db
    .select({ total: sql<number>`coalesce(sum(${volumes.sizeGiB}), 0)` })
    .from(volumes)
    .where(eq(volumes.projectId, projectId))
    .get()!.total;
  usage.apps = db
    .select({ n: sql<number>`count(*)` })
    .from(apps)
    .where(eq(apps.projectId, projectId))
    .get()!.n;
  usage.databases = db
    .select({ n: sql<number>`count(*)` })
    .from(databases)
    .where(eq(databases.projectId, projectId))
    .get()!.n;
  return usage;
};

export const quotaLimitLabels: Record<keyof QuotaLimits, string> = {
  droplets: 'droplets',
  vcpus: 'vCPUs',
  memoryMiB: 'MiB of memory',
  volumeGiB: 'GiB of volume storage',
  apps: 'apps',
  databases: 'databases',
};

/**
 * Refuses a change that would take the project over its quota. Call it inside the transaction that
 * writes the change, so that two concurrent creates cannot both squeeze under the limit.
 */
export const assertWithinQuota = (
  db: Db,
  projectId: ProjectId,
  extra: Partial<QuotaLimits>,
  field?: string,
) => {
  const limits = db.select().from(quotas).where(eq(quotas.projectId, projectId)).get();
  if (!limits) return;
  const usage = quotaUsage(db, projectId);
  for (const [key, amount] of Object.entries(extra) as [keyof QuotaLimits, number][]) {
    if (amount > 0 && usage[key] + amount > limits[key]) {
      throw quotaExceeded(
        `this would use ${usage[key] + amount} ${quotaLimitLabels[key]}; the project's quota allows ${limits[key]}; remove something first, or ask an administrator to raise the quota`,
        field,
      );
    }
  }
};
