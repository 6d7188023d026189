import { type TokenId, type UserId, notFound } from '@uncloud/sdk';
import { and, asc, desc, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { apiTokens, users, type ApiTokenRow, type UserRow } from '../schema.ts';
import { uniquely } from './constraints.ts';
import { prepared } from './prepared.ts';

/** Users and their API tokens. Tokens are looked up by hash; the secret is never stored. */
export const accountsRepository = {
  countUsers(db: Db): number {
    return db
      .select({ n: sql<number>`count(*)` })
      .from(users)
      .get()!.n;
  },

  listUsers(db: Db): UserRow[] {
    return db.select().from(users).orderBy(asc(users.createdAt), asc(users.id)).all();
  },

  findUser(db: Db, id: UserId): UserRow | undefined {
    return db.select().from(users).where(eq(users.id, id)).get();
  },

  insertUser(db: Db, values: typeof users.$inferInsert): UserRow {
    return uniquely(() => db.insert(users).values(values).returning().get(), {
      name: 'a user with this name already exists',
    });
  },

  /** Disables (a date) or enables (null) a user. */
  setDisabled(db: Db, id: UserId, at: Date | null): UserRow {
    const row = db.update(users).set({ disabledAt: at }).where(eq(users.id, id)).returning().get();
    if (!row) throw notFound('user', id, 'userId');
    return row;
  },

  /** Removes a user; their tokens and memberships go with them (foreign keys cascade). */
  deleteUser(db: Db, id: UserId): void {
    if (db.delete(users).where(eq(users.id, id)).run().changes === 0) throw notFound('user', id, 'userId');
  },

  /** Administrators who can still sign in, leaving out `except`. */
  countEnabledAdmins(db: Db, except: UserId): number {
    return db
      .select({ n: sql<number>`count(*)` })
      .from(users)
      .where(and(eq(users.isAdmin, true), isNull(users.disabledAt), ne(users.id, except)))
      .get()!.n;
  },

  insertToken(db: Db, values: typeof apiTokens.$inferInsert): ApiTokenRow {
    return db.insert(apiTokens).values(values).returning().get();
  },

  /** The token and its user for a token hash, recording the use. */
  useToken(db: Db, tokenHash: string): { token: ApiTokenRow; user: UserRow } | undefined {
    const statement = prepared(db, 'token-by-hash', () =>
      db
        .select({ token: apiTokens, user: users })
        .from(apiTokens)
        .innerJoin(users, eq(users.id, apiTokens.userId))
        .where(eq(apiTokens.tokenHash, sql.placeholder('tokenHash')))
        .prepare(),
    );
    return statement.get({ tokenHash });
  },

  /** Records a use of the token: when, and from which address and client when they are known. */
  touchToken(
    db: Db,
    id: TokenId,
    at: Date,
    from: { ip: string | null; userAgent: string | null } | null,
  ): void {
    db.update(apiTokens)
      .set({ lastUsedAt: at, ...(from ? { lastUsedIp: from.ip, lastUsedUserAgent: from.userAgent } : {}) })
      .where(eq(apiTokens.id, id))
      .run();
  },

  /** Every user's tokens with their user, the most recently used first (never used: last). */
  listAllTokens(db: Db): Array<{ token: ApiTokenRow; user: UserRow }> {
    return db
      .select({ token: apiTokens, user: users })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .orderBy(sql`${apiTokens.lastUsedAt} is null`, desc(apiTokens.lastUsedAt), asc(apiTokens.id))
      .all();
  },

  listTokens(db: Db, userId: UserId): ApiTokenRow[] {
    return db
      .select()
      .from(apiTokens)
      .where(eq(apiTokens.userId, userId))
      .orderBy(asc(apiTokens.createdAt), asc(apiTokens.id))
      .all();
  },

  findToken(db: Db, userId: UserId, id: TokenId): ApiTokenRow | undefined {
    return db
      .select()
      .from(apiTokens)
      .where(and(eq(apiTokens.userId, userId), eq(apiTokens.id, id)))
      .get();
  },

  countTokens(db: Db, userId: UserId): number {
    return db
      .select({ n: sql<number>`count(*)` })
      .from(apiTokens)
      .where(eq(apiTokens.userId, userId))
      .get()!.n;
  },

  deleteToken(db: Db, userId: UserId, id: TokenId): void {
    const { changes } = db
      .delete(apiTokens)
      .where(and(eq(apiTokens.userId, userId), eq(apiTokens.id, id)))
      .run();
    if (changes === 0) throw notFound('token', id);
  },
};
