import { notFound, type ReconciledKind, resourceKinds } from '@uncloud/sdk';
import { and, asc, count, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { apps, databases, droplets, firewalls, volumes } from '../schema.ts';
import { filter as filter_, type Page, type PageRequest, selectPage } from './pagination.ts';
import { uniquely } from './constraints.ts';
import { prepared } from './prepared.ts';

/** The table of each kind the sync engine reconciles into Kubernetes: one per kind of the registry. */
export const reconciledTables = {
  droplet: droplets,
  volume: volumes,
  app: apps,
  database: databases,
  firewall: firewalls,
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
type InsertOf<T extends ReconciledTable> = Omit<T['$inferInsert'], Managed> & {
  id: string;
  projectId: string;
};
type PatchOf<T extends ReconciledTable> = Partial<Omit<T['$inferInsert'], Managed>>;

export interface ResourceRepository<Row, Insert, Patch> {
  list(db: Db, projectId: string, filter: ListFilter): Page<Row>;
  find(db: Db, projectId: string, id: string): Row | undefined;
  /** Like `find`, but NOT_FOUND when missing. */
  get(db: Db, projectId: string, id: string): Row;
  insert(db: Db, values: Insert): Row;
  /** Applies a change of intent: bumps `generation` so the sync engine knows to act. */
  update(db: Db, projectId: string, id: string, patch: Patch): Row;
  /** Soft delete: the row stays, `deleting`, until the sync engine has removed its objects. */
  markDeleting(db: Db, projectId: string, id: string): Row;
  /** Removes the row for good; the sync engine calls this once Kubernetes confirms. */
  remove(db: Db, id: string): boolean;
  /**
   * Records what the sync engine observed: runtime columns, state, sync error and the generation it
   * applied. Never touches intent or `generation`.
   */
  recordSync(db: Db, id: string, values: SyncRecord<Row>): void;
  /** Every row of this kind, for the resync pass. */
  all(db: Db): Row[];
  /** Records that rows were observed unchanged at `at`, in one statement. */
  touchObserved(db: Db, ids: string[], at: Date): void;
  /** One row by id alone, for the sync engine (which is not acting for a caller). */
  byId(db: Db, id: string): Row | undefined;
  countInProject(db: Db, projectId: string): number;
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
  // The union of tables shares these columns; drizzle cannot see that through the generic.
  const t = table as typeof droplets;
  const { article, label } = resourceKinds[kind];
  const duplicateName = { name: `${article} ${label} with this name already exists in the project` };
  const inProject = (projectId: string, id: string) => and(eq(t.projectId, projectId), eq(t.id, id));

  return {
    list(db: Db, projectId: string, filter: ListFilter): Page<Row> {
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
      return selectPage<Row & { id: string; createdAt: Date }>(db, table, filters, filter);
    },

    find(db: Db, projectId: string, id: string): Row | undefined {
      return db.select().from(t).where(inProject(projectId, id)).get() as Row | undefined;
    },

    get(db: Db, projectId: string, id: string): Row {
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

    update(db: Db, projectId: string, id: string, patch: PatchOf<T>): Row {
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

    markDeleting(db: Db, projectId: string, id: string): Row {
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

    remove(db: Db, id: string): boolean {
      return db.delete(t).where(eq(t.id, id)).run().changes > 0;
    },

    recordSync(db: Db, id: string, values: SyncRecord<Row>): void {
      // A delete that committed while the engine was working wins over what it observed.
      db.update(t)
        .set(values as object)
        .where(and(eq(t.id, id), ne(t.state, 'deleting')))
        .run();
    },

    all(db: Db): Row[] {
      return db.select().from(t).all() as Row[];
    },

    touchObserved(db: Db, ids: string[], at: Date): void {
      if (ids.length === 0) return;
      db.update(t)
        .set({ observedAt: at })
        .where(sql`${t.id} in (select value from json_each(${JSON.stringify(ids)}))`)
        .run();
    },

    byId(db: Db, id: string): Row | undefined {
      return db.select().from(t).where(eq(t.id, id)).get() as Row | undefined;
    },

    countInProject(db: Db, projectId: string): number {
      return db.select({ n: count() }).from(t).where(eq(t.projectId, projectId)).get()?.n ?? 0;
    },
  };
};

export const dropletsRepository = createResourceRepository(droplets, 'droplet');
export const volumesRepository = createResourceRepository(volumes, 'volume');
export const appsRepository = createResourceRepository(apps, 'app');
export const databasesRepository = createResourceRepository(databases, 'database');
export const firewallsRepository = createResourceRepository(firewalls, 'firewall');

/** The volumes attached to each of the given droplets, in one query. */
export const volumeAttachments = (db: Db, dropletIds: string[]): Map<string, string[]> => {
  const attached = new Map<string, string[]>();
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
