import {
  type DropletId,
  type ProjectId,
  type ReconciledKind,
  type VolumeId,
  notFound,
  resourceKinds,
} from '@uncloud/sdk';
import { and, asc, count, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import {
  apps,
  buckets,
  databaseBackups,
  databases,
  droplets,
  firewalls,
  loadBalancers,
  reservedIps,
  snapshots,
  volumes,
} from '../schema.ts';
import type { DatabaseBackupSource } from '../schema.ts';
import { filter as filter_, type Page, type PageRequest, selectPage } from './pagination.ts';
import { uniquely } from './constraints.ts';
import { prepared } from './prepared.ts';
import { sortColumnsOf } from './sort-columns.ts';

/** The table of each kind the sync engine reconciles into Kubernetes: one per kind of the registry. */
export const reconciledTables = {
  droplet: droplets,
  volume: volumes,
  app: apps,
  database: databases,
  firewall: firewalls,
  loadBalancer: loadBalancers,
  reservedIp: reservedIps,
  snapshot: snapshots,
  bucket: buckets,
  databaseBackup: databaseBackups,
} as const satisfies Record<ReconciledKind, unknown>;
export type ReconciledTable = (typeof reconciledTables)[ReconciledKind];

export interface ListFilter extends PageRequest {
  name?: string | undefined;
  tag?: string | undefined;
  state?: string | undefined;
}

/** What the sync engine writes back: runtime columns and its bookkeeping, never intent. */
export type SyncRecord<Row> = Partial<Row> & {
  observedGeneration: number;
  observedAt: Date;
  syncError: string | null;
};

/** Columns callers never set directly: bookkeeping owned by the repository. */
type Managed =
  | 'id'
  | 'projectId'
  | 'generation'
  | 'observedGeneration'
  | 'createdAt'
  | 'updatedAt'
  | 'deletedAt'
  | 'state';
type InsertOf<T extends ReconciledTable> = Omit<T['$inferInsert'], Managed> &
  Pick<T['$inferSelect'], 'id' | 'projectId'>;
type PatchOf<T extends ReconciledTable> = Partial<Omit<T['$inferInsert'], Managed>>;

export interface ResourceRepository<Row extends { id: string }, Insert, Patch> {
  list(db: Db, projectId: ProjectId, filter: ListFilter): Page<Row>;
  find(db: Db, projectId: ProjectId, id: Row['id']): Row | undefined;
  /** Like `find`, but NOT_FOUND when missing. */
  get(db: Db, projectId: ProjectId, id: Row['id']): Row;
  insert(db: Db, values: Insert): Row;
  /** Applies a change of intent: bumps `generation` so the sync engine knows to act. */
  update(db: Db, projectId: ProjectId, id: Row['id'], patch: Patch): Row;
  /** Soft delete: the row stays, `deleting`, until the sync engine has removed its objects. */
  markDeleting(db: Db, projectId: ProjectId, id: Row['id']): Row;
  /** Removes the row for good; the sync engine calls this once Kubernetes confirms. */
  remove(db: Db, id: Row['id']): boolean;
  /**
   * Records what the sync engine observed: runtime columns, state, sync error and the generation it
   * applied. Never touches intent or `generation`.
   */
  recordSync(db: Db, id: Row['id'], values: SyncRecord<Row>): void;
  /** Every row of this kind, for the resync pass. */
  all(db: Db): Row[];
  /** Records that rows were observed unchanged at `at`, in one statement. */
  touchObserved(db: Db, ids: Row['id'][], at: Date): void;
  /** One row by id alone, for the sync engine (which is not acting for a caller). */
  byId(db: Db, id: Row['id']): Row | undefined;
  countInProject(db: Db, projectId: ProjectId): number;
}

/**
 * Reads and writes one kind of reconciled resource, always within a project. Every change of intent
 * bumps `generation`; deletion only marks the row `deleting` until the sync engine removes it.
 */
export const createResourceRepository = <T extends ReconciledTable>(
  table: T,
  kind: ReconciledKind,
): ResourceRepository<T['$inferSelect'], InsertOf<T>, PatchOf<T>> => {
  type Row = T['$inferSelect'];
  type Id = Row['id'];
  // The union of tables shares these columns; drizzle cannot see that through the generic. Seen
  // through droplets' columns, an id of this table's kind is bound as a parameter (`sql.param`).
  const t = table as typeof droplets;
  const idIs = (id: Id) => eq(t.id, sql.param(id));
  const { article, label } = resourceKinds[kind];
  const duplicateName = { name: `${article} ${label} with this name already exists in the project` };
  const inProject = (projectId: ProjectId, id: Id) => and(eq(t.projectId, projectId), idIs(id));
  const sorts = sortColumnsOf(kind, t);

  return {
    list(db: Db, projectId: ProjectId, filter: ListFilter): Page<Row> {
      const filters = [
        filter_('project', () => eq(t.projectId, sql.placeholder('projectId')), { projectId }),
      ];
      if (filter.name) {
        filters.push(
          filter_('name', () => sql`instr(${t.name}, ${sql.placeholder('name')}) > 0`, {
            name: filter.name.toLowerCase(),
          }),
        );
      }
      if (filter.state)
        filters.push(filter_('state', () => eq(t.state, sql.placeholder('state')), { state: filter.state }));
      if (filter.tag) {
        filters.push(
          filter_(
            'tag',
            () =>
              sql`exists (select 1 from json_each(${t.tags}) where json_each.value = ${sql.placeholder('tag')})`,
            {
              tag: filter.tag,
            },
          ),
        );
      }
      return selectPage<Row & { id: string; createdAt: Date }>(db, table, filters, filter, sorts);
    },

    find(db: Db, projectId: ProjectId, id: Id): Row | undefined {
      return db.select().from(t).where(inProject(projectId, id)).get() as Row | undefined;
    },

    get(db: Db, projectId: ProjectId, id: Id): Row {
      const row = db.select().from(t).where(inProject(projectId, id)).get() as Row | undefined;
      if (!row) throw notFound(kind, id);
      return row;
    },

    insert(db: Db, values: InsertOf<T>): Row {
      return uniquely(
        () =>
          db
            .insert(t)
            .values(values as typeof droplets.$inferInsert)
            .returning()
            .get() as Row,
        duplicateName,
      );
    },

    update(db: Db, projectId: ProjectId, id: Id, patch: PatchOf<T>): Row {
      const row = uniquely(
        () =>
          db
            .update(t)
            .set({ ...(patch as object), generation: sql`${t.generation} + 1`, updatedAt: new Date() })
            .where(inProject(projectId, id))
            .returning()
            .get() as Row | undefined,
        duplicateName,
      );
      if (!row) throw notFound(kind, id);
      return row;
    },

    markDeleting(db: Db, projectId: ProjectId, id: Id): Row {
      const now = new Date();
      const row = db
        .update(t)
        .set({ state: 'deleting', deletedAt: now, updatedAt: now, generation: sql`${t.generation} + 1` })
        .where(inProject(projectId, id))
        .returning()
        .get() as Row | undefined;
      if (!row) throw notFound(kind, id);
      return row;
    },

    remove(db: Db, id: Id): boolean {
      return db.delete(t).where(idIs(id)).run().changes > 0;
    },

    recordSync(db: Db, id: Id, values: SyncRecord<Row>): void {
      // A delete that committed while the engine was working wins over what it observed.
      db.update(t)
        .set(values as object)
        .where(and(idIs(id), ne(t.state, 'deleting')))
        .run();
    },

    all(db: Db): Row[] {
      return db.select().from(t).all() as Row[];
    },

    touchObserved(db: Db, ids: Id[], at: Date): void {
      if (ids.length === 0) return;
      db.update(t)
        .set({ observedAt: at })
        .where(sql`${t.id} in (select value from json_each(${JSON.stringify(ids)}))`)
        .run();
    },

    byId(db: Db, id: Id): Row | undefined {
      return db.select().from(t).where(idIs(id)).get() as Row | undefined;
    },

    countInProject(db: Db, projectId: ProjectId): number {
      return db.select({ n: count() }).from(t).where(eq(t.projectId, projectId)).get()?.n ?? 0;
    },
  };
};

export const dropletsRepository = createResourceRepository(droplets, 'droplet');
export const volumesRepository = createResourceRepository(volumes, 'volume');
export const appsRepository = createResourceRepository(apps, 'app');
export const databasesRepository = createResourceRepository(databases, 'database');
export const firewallsRepository = createResourceRepository(firewalls, 'firewall');
export const loadBalancersRepository = createResourceRepository(loadBalancers, 'loadBalancer');

/**
 * Writes a load balancer's targets' health as the health checker judged it: runtime, so no
 * generation moves; a load balancer being deleted is left alone.
 */
export const recordTargetHealth = (
  db: Db,
  id: (typeof loadBalancers.$inferSelect)['id'],
  health: (typeof loadBalancers.$inferSelect)['targetHealth'],
): void => {
  db.update(loadBalancers)
    .set({ targetHealth: health })
    .where(and(eq(loadBalancers.id, id), ne(loadBalancers.state, 'deleting')))
    .run();
};
/**
 * Writes what a bucket holds as the object store listed it: runtime, so no generation moves; a
 * bucket being deleted is left alone. Returns whether the row changed.
 */
export const recordBucketUsage = (
  db: Db,
  id: (typeof buckets.$inferSelect)['id'],
  usage: { objects: number; bytes: number },
): boolean =>
  db
    .update(buckets)
    .set({ usageObjects: usage.objects, usageBytes: usage.bytes })
    .where(
      and(
        eq(buckets.id, id),
        ne(buckets.state, 'deleting'),
        sql`(${buckets.usageObjects} is not ${usage.objects} or ${buckets.usageBytes} is not ${usage.bytes})`,
      ),
    )
    .run().changes > 0;

export const bucketsRepository = createResourceRepository(buckets, 'bucket');
export const reservedIpsRepository = createResourceRepository(reservedIps, 'reservedIp');

const snapshotsBase = createResourceRepository(snapshots, 'snapshot');
type SnapshotRow = typeof snapshots.$inferSelect;
export const snapshotsRepository = {
  ...snapshotsBase,
  /** A page of the project's snapshots, optionally only those of one kind or of one droplet or volume. */
  list(
    db: Db,
    projectId: ProjectId,
    filter: ListFilter & { resourceKind?: string | undefined; resourceId?: string | undefined },
  ): Page<SnapshotRow> {
    if (!filter.resourceKind && !filter.resourceId) return snapshotsBase.list(db, projectId, filter);
    const filters = [
      filter_('project', () => eq(snapshots.projectId, sql.placeholder('projectId')), { projectId }),
    ];
    if (filter.name)
      filters.push(
        filter_('name', () => sql`instr(${snapshots.name}, ${sql.placeholder('name')}) > 0`, {
          name: filter.name.toLowerCase(),
        }),
      );
    if (filter.state)
      filters.push(
        filter_('state', () => eq(snapshots.state, sql.placeholder('state')), { state: filter.state }),
      );
    if (filter.resourceKind)
      filters.push(
        filter_('resourceKind', () => eq(snapshots.resourceKind, sql.placeholder('resourceKind')), {
          resourceKind: filter.resourceKind,
        }),
      );
    if (filter.resourceId)
      filters.push(
        filter_('resourceId', () => eq(snapshots.resourceId, sql.placeholder('resourceId')), {
          resourceId: filter.resourceId,
        }),
      );
    return selectPage<SnapshotRow>(db, snapshots, filters, filter, sortColumnsOf('snapshot', snapshots));
  },
  /** GiB the project's snapshots hold (those being deleted included, until they are gone). */
  storageGiB(db: Db, projectId: ProjectId): number {
    return (
      db
        .select({ n: sql<number>`coalesce(sum(${snapshots.sizeGiB}), 0)` })
        .from(snapshots)
        .where(eq(snapshots.projectId, projectId))
        .get()?.n ?? 0
    );
  },
};

/** The volumes attached to each of the given droplets, in one query. */
export const volumeAttachments = (db: Db, dropletIds: DropletId[]): Map<DropletId, VolumeId[]> => {
  const attached = new Map<DropletId, VolumeId[]>();
  if (dropletIds.length === 0) return attached;
  const statement = prepared(db, 'volumes-of-droplets', () =>
    db
      .select({ id: volumes.id, dropletId: volumes.dropletId })
      .from(volumes)
      .where(sql`${volumes.dropletId} in (select value from json_each(${sql.placeholder('dropletIds')}))`)
      .orderBy(asc(volumes.id))
      .prepare(),
  );
  for (const v of statement.all({ dropletIds: JSON.stringify(dropletIds) })) {
    attached.set(v.dropletId!, [...(attached.get(v.dropletId!) ?? []), v.id]);
  }
  return attached;
};

/** The database as a backup of it records it: what a restore of the backup is made like. */
export const backupSourceOf = (row: typeof databases.$inferSelect): DatabaseBackupSource => ({
  name: row.name,
  engine: row.engine,
  version: row.version,
  size: row.size,
  nodes: row.nodes,
  storageGiB: row.storageGiB,
});

const databaseBackupsBase = createResourceRepository(databaseBackups, 'databaseBackup');
type DatabaseBackupRow = typeof databaseBackups.$inferSelect;
export const databaseBackupsRepository = {
  ...databaseBackupsBase,
  /** A page of the project's database backups, optionally only those of one database. */
  list(
    db: Db,
    projectId: ProjectId,
    filter: ListFilter & { databaseId?: string | undefined },
  ): Page<DatabaseBackupRow> {
    if (!filter.databaseId) return databaseBackupsBase.list(db, projectId, filter);
    const filters = [
      filter_('project', () => eq(databaseBackups.projectId, sql.placeholder('projectId')), { projectId }),
      filter_('databaseId', () => eq(databaseBackups.databaseId, sql.placeholder('databaseId')), {
        databaseId: filter.databaseId,
      }),
    ];
    if (filter.name)
      filters.push(
        filter_('name', () => sql`instr(${databaseBackups.name}, ${sql.placeholder('name')}) > 0`, {
          name: filter.name.toLowerCase(),
        }),
      );
    if (filter.state)
      filters.push(
        filter_('state', () => eq(databaseBackups.state, sql.placeholder('state')), { state: filter.state }),
      );
    return selectPage<DatabaseBackupRow>(db, databaseBackups, filters, filter);
  },
  /**
   * A deleted backup's data in its bucket: removed (`dataDeletedAt`), or why not yet (`syncError`).
   * Only while it is being deleted: the one write to such a row besides its removal.
   */
  recordDataRemoval(
    db: Db,
    id: DatabaseBackupRow['id'],
    values: { dataDeletedAt: Date | null; syncError: string | null },
  ): void {
    db.update(databaseBackups)
      .set(values)
      .where(and(eq(databaseBackups.id, id), eq(databaseBackups.state, 'deleting')))
      .run();
  },
  /** Every backup of a database, deleted ones excepted, oldest first. */
  ofDatabase(db: Db, databaseId: string): DatabaseBackupRow[] {
    return db
      .select()
      .from(databaseBackups)
      .where(
        and(
          eq(databaseBackups.databaseId, databaseId as DatabaseBackupRow['databaseId']),
          ne(databaseBackups.state, 'deleting'),
        ),
      )
      .orderBy(asc(databaseBackups.createdAt))
      .all();
  },
};
