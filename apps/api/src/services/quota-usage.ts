import { and, eq, gt, sql } from 'drizzle-orm';
import { type Db, tables } from '@uncloud/db';
import {
  type QuotaCost,
  addCost,
  appQuotaCost,
  databaseQuotaCost,
  dropletQuotaCost,
  loadBalancerQuotaCost,
  reservedIpQuotaCost,
  PASSWORD_RESET_REQUESTS,
  parseQuantity,
  podRequests,
  volumeQuotaCost,
  zeroCost,
} from '@uncloud/kube';
import {
  AppId,
  type DatabaseEngine,
  DatabaseId,
  type DatabaseSizeSlug,
  type DropletImageSlug,
  DropletId,
  type DropletSizeSlug,
  type ProjectId,
  type QuotaLimits,
  type QuotaUsage,
  VolumeId,
  databaseStorageGiB,
  quotaExceeded,
} from '@uncloud/sdk';

const { apps, databases, droplets, loadBalancers, projects, quotas, reservedIps, volumes } = tables;

const MI = 2 ** 20;
const GI = 2 ** 30;

// Costs depend on sizes and counts, never on ids or names: one stand-in serves every row.
const standIn = <T>(parse: (s: string) => T, prefix: string) => parse(`${prefix}_${'0'.repeat(20)}`);
const ids = {
  droplet: standIn(DropletId.parse, 'dpl'),
  app: standIn(AppId.parse, 'app'),
  database: standIn(DatabaseId.parse, 'db'),
  volume: standIn(VolumeId.parse, 'vol'),
};

/** What a droplet of this size and image costs the quota (its VM's launcher pod). */
export const dropletCost = (projectId: ProjectId, d: { size: DropletSizeSlug; image: DropletImageSlug }) =>
  dropletQuotaCost({
    id: ids.droplet,
    projectId,
    name: 'quota',
    size: d.size,
    image: d.image,
    userData: null,
    sshPublicKeys: [],
    volumes: [],
    poweredOn: true,
  });

/** What an app of this many replicas costs the quota (replicas and a rollout's surge). */
export const appCost = (projectId: ProjectId, a: { replicas: number }) =>
  appQuotaCost({
    id: ids.app,
    projectId,
    name: 'quota',
    image: 'quota',
    port: 80,
    replicas: a.replicas,
    domains: [],
    healthCheckPath: null,
    env: {},
  });

/** What a database costs the quota: its pods and disks, for every engine. */
export const databaseCost = (
  projectId: ProjectId,
  d: {
    engine: DatabaseEngine;
    version: string;
    size: DatabaseSizeSlug;
    nodes: number;
    storageGiB: number | null;
  },
) =>
  databaseQuotaCost({
    id: ids.database,
    projectId,
    name: 'quota',
    engine: d.engine,
    version: d.version,
    size: d.size,
    nodes: d.nodes,
    storageGiB: databaseStorageGiB(d),
  });

/** What a MySQL or Valkey password reset's Job takes while it runs (its one pod). */
export const passwordResetCost = (): QuotaCost => ({
  ...zeroCost(),
  ...podRequests({ containers: [{ resources: { requests: PASSWORD_RESET_REQUESTS } }] }),
});

export const volumeCost = (projectId: ProjectId, sizeGiB: number) =>
  volumeQuotaCost({ id: ids.volume, projectId, name: 'quota', sizeGiB, filesystem: 'ext4' });

/** `a − b`, field by field: what a change adds. */
export const costDelta = (to: QuotaCost, from: QuotaCost): QuotaCost => addCost(to, from, -1);

/** The reserved IPs a project holds (each one LoadBalancer Service), deleting ones included. */
const reservedIpCount = (db: Db, projectId: ProjectId): number =>
  db
    .select({ n: sql<number>`count(*)` })
    .from(reservedIps)
    .where(eq(reservedIps.projectId, projectId))
    .get()!.n;

/** The reserved IPs whose Service the sync engine has written (applied once at least). */
const writtenReservedIps = (db: Db, projectId: ProjectId): number =>
  db
    .select({ n: sql<number>`count(*)` })
    .from(reservedIps)
    .where(and(eq(reservedIps.projectId, projectId), gt(reservedIps.observedGeneration, 0)))
    .get()!.n;

/**
 * What a project's resources take, counted from intent as the ResourceQuota counts the objects the
 * sync engine makes of them (resources being deleted still count). Rows are grouped by what their
 * cost depends on, so this is a handful of small queries whatever the number of resources.
 */
export const quotaUsageCost = (db: Db, projectId: ProjectId): QuotaCost => {
  let total = zeroCost();
  const dropletGroups = db
    .select({ size: droplets.size, image: droplets.image, n: sql<number>`count(*)` })
    .from(droplets)
    .where(eq(droplets.projectId, projectId))
    .groupBy(droplets.size, droplets.image)
    .all();
  for (const { n, ...d } of dropletGroups) total = addCost(total, dropletCost(projectId, d), n);
  const appGroups = db
    .select({ replicas: apps.replicas, n: sql<number>`count(*)` })
    .from(apps)
    .where(eq(apps.projectId, projectId))
    .groupBy(apps.replicas)
    .all();
  for (const { n, ...a } of appGroups) total = addCost(total, appCost(projectId, a), n);
  const databaseGroups = db
    .select({
      engine: databases.engine,
      version: databases.version,
      size: databases.size,
      nodes: databases.nodes,
      storageGiB: databases.storageGiB,
      n: sql<number>`count(*)`,
    })
    .from(databases)
    .where(eq(databases.projectId, projectId))
    .groupBy(databases.engine, databases.version, databases.size, databases.nodes, databases.storageGiB)
    .all();
  for (const { n, ...d } of databaseGroups) total = addCost(total, databaseCost(projectId, d), n);
  const volumeGiB = db
    .select({ total: sql<number>`coalesce(sum(${volumes.sizeGiB}), 0)` })
    .from(volumes)
    .where(eq(volumes.projectId, projectId))
    .get()!.total;
  const loadBalancerCount = db
    .select({ n: sql<number>`count(*)` })
    .from(loadBalancers)
    .where(eq(loadBalancers.projectId, projectId))
    .get()!.n;
  total = addCost(total, loadBalancerQuotaCost(), loadBalancerCount);
  total = addCost(total, reservedIpQuotaCost(), reservedIpCount(db, projectId));
  return addCost(total, volumeCost(projectId, volumeGiB));
};

/** A cost in the units of the quota's limits (vCPUs, MiB, GiB), rounded up to what is shown. */
export const usageOf = (cost: QuotaCost): QuotaUsage => ({
  droplets: cost.droplets,
  vcpus: Math.ceil(cost.cpuMillis) / 1000,
  memoryMiB: Math.ceil(cost.memoryBytes / MI),
  volumeGiB: Math.ceil((cost.storageBytes / GI) * 100) / 100,
  apps: cost.apps,
  databases: cost.databases,
  loadBalancers: cost.loadBalancers,
  reservedIps: cost.reservedIps,
});

export const quotaUsage = (db: Db, projectId: ProjectId): QuotaUsage =>
  usageOf(quotaUsageCost(db, projectId));

/** The limits in exact units, to compare costs with. */
const limitCost = (limits: QuotaLimits): QuotaCost => ({
  droplets: limits.droplets,
  apps: limits.apps,
  databases: limits.databases,
  loadBalancers: limits.loadBalancers,
  reservedIps: limits.reservedIps,
  cpuMillis: limits.vcpus * 1000,
  memoryBytes: limits.memoryMiB * MI,
  storageBytes: limits.volumeGiB * GI,
});

const limitOf: Record<keyof QuotaCost, keyof QuotaLimits> = {
  droplets: 'droplets',
  apps: 'apps',
  databases: 'databases',
  loadBalancers: 'loadBalancers',
  reservedIps: 'reservedIps',
  cpuMillis: 'vcpus',
  memoryBytes: 'memoryMiB',
  storageBytes: 'volumeGiB',
};

export const quotaLimitLabels: Record<keyof QuotaLimits, string> = {
  droplets: 'droplets',
  vcpus: 'vCPUs',
  memoryMiB: 'MiB of memory',
  volumeGiB: 'GiB of storage',
  apps: 'apps',
  databases: 'databases',
  loadBalancers: 'load balancers',
  reservedIps: 'reserved IPs',
};

/** Limits a project is over with `usage`, in its units: `[limit, used, allowed]`. */
export const limitsExceeded = (usage: QuotaCost, limits: QuotaLimits) => {
  const hard = limitCost(limits);
  const shown = usageOf(usage);
  return (Object.keys(limitOf) as (keyof QuotaCost)[])
    .filter((k) => usage[k] > hard[k])
    .map((k) => ({ limit: limitOf[k], used: shown[limitOf[k]], allowed: limits[limitOf[k]] }));
};

/**
 * Refuses a change that would take the project over its quota, counted as Kubernetes will count it:
 * `extra` is what the change adds (from the cost functions above). Call it inside the transaction
 * that writes the change, so that two concurrent creates cannot both squeeze under the limit.
 */
export const assertWithinQuota = (
  db: Db,
  projectId: ProjectId,
  extra: QuotaCost,
  // One field for every limit, or the field that asks for each (a count is the name's, CPU the size's).
  field?: string | Partial<Record<keyof QuotaLimits, string>>,
) => {
  const limits = db.select().from(quotas).where(eq(quotas.projectId, projectId)).get();
  if (!limits) return;
  const usage = quotaUsageCost(db, projectId);
  const after = addCost(usage, extra);
  const grows = (Object.keys(limitOf) as (keyof QuotaCost)[]).filter((k) => extra[k] > 0);
  const over = limitsExceeded(after, limits).filter((o) => grows.some((k) => limitOf[k] === o.limit));
  const first = over[0];
  if (!first) return;
  const now = usageOf(usage)[first.limit];
  throw quotaExceeded(
    `this would use ${first.used} ${quotaLimitLabels[first.limit]} (${now} in use, counted as Kubernetes counts the project's pods and disks); the project's quota allows ${first.allowed} ${quotaLimitLabels[first.limit]} (limit "${first.limit}"); remove something first, or ask an administrator to raise the quota`,
    typeof field === 'string' ? field : field?.[first.limit],
  );
};

const fromQuantity = (used: Record<string, string>, key: string) => parseQuantity(used[key]) ?? 0;

/**
 * What Kubernetes counts against the project's quota (its ResourceQuota's `status.used`, as the sync
 * engine last observed it), in the quota's units; null before the first observation.
 */
export const clusterUsage = (db: Db, projectId: ProjectId): QuotaUsage | null => {
  const row = db.select({ used: projects.quotaUsed }).from(projects).where(eq(projects.id, projectId)).get();
  if (!row?.used) return null;
  const used = JSON.parse(row.used) as Record<string, string>;
  // The cluster counts droplets' own addresses and reserved IPs among its LoadBalancer Services
  // too, without telling them apart: one per VM, and one per reserved IP whose Service was written.
  const services = Math.max(
    0,
    fromQuantity(used, 'services.loadbalancers') - fromQuantity(used, 'count/virtualmachines.kubevirt.io'),
  );
  const reserved = Math.min(services, writtenReservedIps(db, projectId));
  return usageOf({
    droplets: fromQuantity(used, 'count/virtualmachines.kubevirt.io'),
    apps: fromQuantity(used, 'count/deployments.apps'),
    databases:
      fromQuantity(used, 'count/clusters.postgresql.cnpg.io') + fromQuantity(used, 'count/statefulsets.apps'),
    loadBalancers: services - reserved,
    reservedIps: reserved,
    cpuMillis: Math.round(fromQuantity(used, 'requests.cpu') * 1000),
    memoryBytes: fromQuantity(used, 'requests.memory'),
    storageBytes: fromQuantity(used, 'requests.storage'),
  });
};
