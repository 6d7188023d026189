import { badRequest } from '@uncloud/sdk';
import { and, asc, desc, eq, getTableName, gt, lt, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '../client.ts';
import { prepared } from './prepared.ts';

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
  /** Newest first instead of creation order (for logs such as actions). */
  newestFirst?: boolean;
}

export interface Page<Row> {
  items: Row[];
  nextCursor: string | null;
}

interface Position {
  createdAt: number;
  id: string;
}

const encodeCursor = (position: Position) =>
  Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');

const decodeCursor = (cursor: string): Position => {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (typeof createdAt === 'number' && typeof id === 'string') return { createdAt, id };
  } catch {
    // fall through to the error below
  }
  throw badRequest('cursor is not one this server issued; pass back nextCursor unchanged', 'cursor');
};

type PageableTable = SQLiteTable & { id: SQLiteColumn; createdAt: SQLiteColumn };

/**
 * One filter of a list: `sql` builds it with `sql.placeholder(...)` for each value, and `params`
 * holds the values. Keeping values out of the SQL lets the statement be prepared once and reused.
 */
export interface Filter {
  key: string;
  sql: () => SQL | undefined;
  params: Record<string, unknown>;
}

export const filter = (
  key: string,
  build: () => SQL | undefined,
  params: Record<string, unknown>,
): Filter => ({
  key,
  sql: build,
  params,
});

/**
 * Keyset pagination in creation order: each page continues after the last row of the previous one,
 * so rows are visited exactly once even while others are inserted or deleted.
 */
export const selectPage = <Row extends { id: string; createdAt: Date }>(
  db: Db,
  table: PageableTable,
  filters: Filter[],
  request: PageRequest,
): Page<Row> => {
  const after = request.cursor ? decodeCursor(request.cursor) : undefined;
  const newest = request.newestFirst === true;
  const key = [
    getTableName(table),
    ...filters.map((f) => f.key),
    after ? 'after' : '',
    newest ? 'desc' : 'asc',
  ].join('|');
  // Each shape of list (table, which filters are present, direction) is prepared once.
  const statement = prepared(db, key, () => {
    const beyond = newest ? lt : gt;
    const order = newest ? desc : asc;
    const afterCursor = after
      ? or(
          beyond(table.createdAt, sql.placeholder('afterAt')),
          and(eq(table.createdAt, sql.placeholder('afterAt')), beyond(table.id, sql.placeholder('afterId'))),
        )
      : undefined;
    return db
      .select()
      .from(table)
      .where(and(...filters.map((f) => f.sql()), afterCursor))
      .orderBy(order(table.createdAt), order(table.id))
      .limit(sql.placeholder('limit'))
      .prepare();
  });
  const params: Record<string, unknown> = { limit: request.limit + 1 };
  for (const f of filters) Object.assign(params, f.params);
  if (after) Object.assign(params, { afterAt: after.createdAt, afterId: after.id });
  const rows = statement.all(params) as Row[];
  const items = rows.slice(0, request.limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor:
      rows.length > request.limit && last
        ? encodeCursor({ createdAt: last.createdAt.getTime(), id: last.id })
        : null,
  };
};
