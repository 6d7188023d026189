import { type ProjectId, type ProjectRole, type UserId, notFound } from '@uncloud/sdk';
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { memberships, projects, quotas, users, type ProjectRow, type UserRow } from '../schema.ts';
import { uniquely } from './constraints.ts';
import { prepared } from './prepared.ts';
import { type Filter, filter, type Page, type PageRequest, selectPage } from './pagination.ts';

const duplicateName = { name: 'a project with this name already exists' };

/** Projects, who may enter them, and their quota rows. */
export const projectsRepository = {
  /**
   * Pages through the projects a user may see: all of them for an administrator (`userId`
   * undefined), otherwise those they are a member of; only `within` when the token is limited to
   * some projects.
   */
  list(
    db: Db,
    userId: UserId | undefined,
    request: PageRequest & { name?: string; state?: string; within?: readonly ProjectId[] | null },
  ): Page<ProjectRow> {
    const filters: Filter[] = [];
    if (request.within) {
      filters.push(
        filter(
          'within',
          () => sql`${projects.id} in (select value from json_each(${sql.placeholder('within')}))`,
          { within: JSON.stringify(request.within) },
        ),
      );
    }
    if (userId !== undefined) {
      const mine = db
        .select({ id: memberships.projectId })
        .from(memberships)
        .where(eq(memberships.userId, sql.placeholder('userId')));
      filters.push(filter('member', () => inArray(projects.id, mine), { userId }));
    }
    if (request.name) {
      filters.push(
        filter('name', () => sql`instr(${projects.name}, ${sql.placeholder('name')}) > 0`, {
          name: request.name.toLowerCase(),
        }),
      );
    }
    if (request.state)
      filters.push(
        filter('state', () => eq(projects.state, sql.placeholder('state')), { state: request.state }),
      );
    return selectPage<ProjectRow>(db, projects, filters, request);
  },

  find(db: Db, id: ProjectId): ProjectRow | undefined {
    const statement = prepared(db, 'project-by-id', () =>
      db
        .select()
        .from(projects)
        .where(eq(projects.id, sql.placeholder('id')))
        .prepare(),
    );
    return statement.get({ id });
  },

  /** The project of this name (names are unique), deleting or not. */
  findByName(db: Db, name: string): ProjectRow | undefined {
    return db.select().from(projects).where(eq(projects.name, name)).get();
  },

  role(db: Db, projectId: ProjectId, userId: UserId): ProjectRole | undefined {
    const statement = prepared(db, 'membership-role', () =>
      db
        .select({ role: memberships.role })
        .from(memberships)
        .where(
          and(
            eq(memberships.projectId, sql.placeholder('projectId')),
            eq(memberships.userId, sql.placeholder('userId')),
          ),
        )
        .prepare(),
    );
    return statement.get({ projectId, userId })?.role;
  },

  rolesOf(db: Db, userId: UserId): Map<ProjectId, ProjectRole> {
    const rows = db.select().from(memberships).where(eq(memberships.userId, userId)).all();
    return new Map(rows.map((r) => [r.projectId, r.role]));
  },

  insert(db: Db, values: typeof projects.$inferInsert): ProjectRow {
    return uniquely(() => db.insert(projects).values(values).returning().get(), duplicateName);
  },

  update(
    db: Db,
    id: ProjectId,
    patch: Partial<Pick<ProjectRow, 'name' | 'description' | 'purpose'>>,
  ): ProjectRow {
    const row = uniquely(
      () =>
        db
          .update(projects)
          .set({ ...patch, generation: sql`${projects.generation} + 1`, updatedAt: new Date() })
          .where(eq(projects.id, id))
          .returning()
          .get(),
      duplicateName,
    );
    if (!row) throw notFound('project', id);
    return row;
  },

  markDeleting(db: Db, id: ProjectId): ProjectRow {
    const now = new Date();
    const row = db
      .update(projects)
      .set({ state: 'deleting', deletedAt: now, updatedAt: now, generation: sql`${projects.generation} + 1` })
      .where(eq(projects.id, id))
      .returning()
      .get();
    if (!row) throw notFound('project', id);
    return row;
  },

  /** Removes the project with its memberships and quota (the sync engine calls this once gone). */
  remove(db: Db, id: ProjectId): boolean {
    return db.delete(projects).where(eq(projects.id, id)).run().changes > 0;
  },

  all(db: Db): ProjectRow[] {
    return db.select().from(projects).all();
  },

  touchObserved(db: Db, ids: ProjectId[], at: Date): void {
    if (ids.length === 0) return;
    db.update(projects)
      .set({ observedAt: at })
      .where(sql`${projects.id} in (select value from json_each(${JSON.stringify(ids)}))`)
      .run();
  },

  /** What the sync engine observed of the project's namespace; never touches intent. */
  recordSync(
    db: Db,
    id: ProjectId,
    values: Partial<ProjectRow> & { observedGeneration: number; observedAt: Date; syncError: string | null },
  ) {
    db.update(projects)
      .set(values)
      .where(and(eq(projects.id, id), ne(projects.state, 'deleting')))
      .run();
  },

  members(db: Db, projectId: ProjectId): { user: UserRow; role: ProjectRole }[] {
    return db
      .select({ user: users, role: memberships.role })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.projectId, projectId))
      .orderBy(asc(memberships.createdAt), asc(users.id))
      .all();
  },

  /** Adds a member, or changes the role of one who already is. */
  putMember(db: Db, projectId: ProjectId, userId: UserId, role: ProjectRole): void {
    db.insert(memberships)
      .values({ projectId, userId, role })
      .onConflictDoUpdate({ target: [memberships.projectId, memberships.userId], set: { role } })
      .run();
  },

  removeMember(db: Db, projectId: ProjectId, userId: UserId): boolean {
    return (
      db
        .delete(memberships)
        .where(and(eq(memberships.projectId, projectId), eq(memberships.userId, userId)))
        .run().changes > 0
    );
  },

  /** Projects the user owns, not counting those being deleted: what the per-user limit counts. */
  countOwnedBy(db: Db, userId: UserId): number {
    return db
      .select({ n: sql<number>`count(*)` })
      .from(memberships)
      .innerJoin(projects, eq(projects.id, memberships.projectId))
      .where(
        and(eq(memberships.userId, userId), eq(memberships.role, 'owner'), ne(projects.state, 'deleting')),
      )
      .get()!.n;
  },

  /** Names of the projects whose only owner is this user. */
  soleOwnedBy(db: Db, userId: UserId): string[] {
    const owners = db
      .select({ n: sql<number>`count(*)` })
      .from(memberships)
      .where(and(eq(memberships.projectId, projects.id), eq(memberships.role, 'owner')));
    return db
      .select({ name: projects.name })
      .from(memberships)
      .innerJoin(projects, eq(projects.id, memberships.projectId))
      .where(and(eq(memberships.userId, userId), eq(memberships.role, 'owner'), sql`(${owners}) = 1`))
      .orderBy(asc(projects.name))
      .all()
      .map((r) => r.name);
  },

  ownerCount(db: Db, projectId: ProjectId): number {
    return db
      .select({ n: sql<number>`count(*)` })
      .from(memberships)
      .where(and(eq(memberships.projectId, projectId), eq(memberships.role, 'owner')))
      .get()!.n;
  },
};

export const quotasRepository = {
  find(db: Db, projectId: ProjectId) {
    return db.select().from(quotas).where(eq(quotas.projectId, projectId)).get();
  },

  insert(db: Db, values: typeof quotas.$inferInsert) {
    return db.insert(quotas).values(values).returning().get();
  },

  recordSync(
    db: Db,
    projectId: ProjectId,
    values: Partial<typeof quotas.$inferSelect> & {
      observedGeneration: number;
      observedAt: Date;
      syncError: string | null;
    },
  ) {
    db.update(quotas).set(values).where(eq(quotas.projectId, projectId)).run();
  },

  update(db: Db, projectId: ProjectId, patch: Partial<Omit<typeof quotas.$inferInsert, 'projectId'>>) {
    const row = db
      .update(quotas)
      .set({ ...patch, generation: sql`${quotas.generation} + 1`, updatedAt: new Date() })
      .where(eq(quotas.projectId, projectId))
      .returning()
      .get();
    if (!row) throw notFound('quota of project', projectId);
    return row;
  },
};
