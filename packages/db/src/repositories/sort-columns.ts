import { databaseSizes, dropletSizes, type ReconciledKind, sortKeysOf } from '@uncloud/sdk';
import { sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { apps, buckets, databases, droplets, snapshots, volumes } from '../schema.ts';
import { baseSortColumns, type SortColumn, type SortColumns } from './pagination.ts';

const text = (column: SQLiteColumn): SortColumn => ({ sql: sql`coalesce(${column}, '')`, type: 'text' });
const number = (column: SQLiteColumn): SortColumn => ({ sql: sql`coalesce(${column}, -1)`, type: 'number' });

/**
 * A figure of a size slug from the catalogue (memory, vCPUs, disk), as SQL: the row stores only the
 * slug. The catalogue is small and fixed, so a CASE is cheaper than a join; an unknown slug sorts first.
 */
const bySlug = <S extends { slug: string }>(
  column: SQLiteColumn,
  sizes: readonly S[],
  figure: (size: S, index: number) => number,
): SortColumn => {
  const cases = sizes.map((size, i) => sql`when ${size.slug} then ${figure(size, i)}`);
  return { sql: sql`(case ${column} ${sql.join(cases, sql` `)} else -1 end)`, type: 'number' };
};

/** What each kind's list can be ordered by, beyond creation time, name and state. */
const extra: Partial<Record<ReconciledKind, SortColumns>> = {
  droplet: {
    // The catalogue lists sizes from small to large.
    size: bySlug(droplets.size, dropletSizes, (_, i) => i),
    memory: bySlug(droplets.size, dropletSizes, (s) => s.memoryMiB),
    vcpus: bySlug(droplets.size, dropletSizes, (s) => s.vcpus),
    disk: bySlug(droplets.size, dropletSizes, (s) => s.diskGiB),
    image: text(droplets.image),
  },
  volume: { size: number(volumes.sizeGiB) },
  app: { replicas: number(apps.replicas), image: text(apps.image) },
  database: {
    engine: text(databases.engine),
    size: bySlug(databases.size, databaseSizes, (_, i) => i),
    nodes: number(databases.nodes),
  },
  snapshot: { size: number(snapshots.sizeGiB), resource: text(snapshots.resourceName) },
  bucket: { size: number(buckets.usageBytes), objects: number(buckets.usageObjects) },
};

type KindTable = Parameters<typeof baseSortColumns>[0] & { state: SQLiteColumn };

/**
 * The sort columns of a kind's table: creation time, name and state, and the kind's own. Keys
 * match the SDK's `listSortKeys`, so every key a list accepts is one the repository can order by.
 */
export const sortColumnsOf = (kind: ReconciledKind, table: KindTable): SortColumns => {
  const all: SortColumns = {
    ...baseSortColumns(table),
    state: text(table.state),
    ...extra[kind],
  };
  const keys = sortKeysOf(kind);
  return Object.fromEntries(Object.entries(all).filter(([key]) => keys.includes(key)));
};
