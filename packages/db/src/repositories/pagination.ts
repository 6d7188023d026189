import { badRequest } from '@uncloud/sdk';
import { and, asc, count, desc, eq, getTableName, gt, lt, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '../client.ts';
import { prepared } from './prepared.ts';

/** The columns a list can be ordered by; the id breaks ties, so the order is total. */
export type SortKey = 'createdAt' | 'name';

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
  /** Newest first instead of creation order (for logs such as actions). */
  newestFirst?: boolean;
  /** Order by this column (creation time unless said); only tables with a name sort by name. */
  sort?: SortKey | undefined;
  order?: 'asc' | 'desc' | undefined;
}

export interface Page<Row> {
  items: Row[];
  nextCursor: string | null;
  /** How many rows match the filters, on every page (for "1–50 of 57"). */
  total: number;
}

/** Where a page ended: the sort it was in, that column's value in the last row, and its id. */
interface Position {
  sort: SortKey;
  value: number | string;
  id: string;
}

const encodeCursor = (position: Position) =>
  Buffer.from(JSON.stringify([position.value, position.id, position.sort])).toString('base64url');

const decodeCursor = (cursor: string, sort: SortKey): Position => {
  try {
    const [value, id, sortedBy = 'createdAt'] = JSON.parse(
      Buffer.from(cursor, 'base64url').toString(),
    ) as unknown[];
    const typed = sort === 'name' ? typeof value === 'string' : typeof value === 'number';
    if (typed && typeof id === 'string' && sortedBy === sort)
      return { sort, value: value as number | string, id };
  } catch {
    // fall through to the error below
  }
  throw badRequest(
    'cursor is not one this server issued for this order; pass back nextCursor unchanged, with the same sort',
    'cursor',
  );
};

type PageableTable = SQLiteTable & { id: SQLiteColumn; createdAt: SQLiteColumn; name?: SQLiteColumn };

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
 * Keyset pagination in creation order, or by name: each page continues after the last row of the
 * previous one (its sort value, then its id), so rows are visited exactly once even while others
 * are inserted or deleted. Every page also says how many rows match in all.
 */
export const selectPage = <Row extends { id: string; createdAt: Date }>(
  db: Db,
  table: PageableTable,
  filters: Filter[],
  request: PageRequest,
): Page<Row> => {
  const sortKey: SortKey = request.sort === 'name' && table.name ? 'name' : 'createdAt';
  const column = sortKey === 'name' ? table.name! : table.createdAt;
  const after = request.cursor ? decodeCursor(request.cursor, sortKey) : undefined;
  const newest = request.order ? request.order === 'desc' : request.newestFirst === true;
  const key = [
    getTableName(table),
    ...filters.map((f) => f.key),
    after ? 'after' : '',
    sortKey,
    newest ? 'desc' : 'asc',
  ].join('|');
  // Each shape of list (table, which filters are present, order) is prepared once.
  const statement = prepared(db, key, () => {
    const beyond = newest ? lt : gt;
    const order = newest ? desc : asc;
    const afterCursor = after
      ? or(
          beyond(column, sql.placeholder('afterValue')),
          and(eq(column, sql.placeholder('afterValue')), beyond(table.id, sql.placeholder('afterId'))),
        )
      : undefined;
    return db
      .select()
      .from(table)
      .where(and(...filters.map((f) => f.sql()), afterCursor))
      .orderBy(order(column), order(table.id))
      .limit(sql.placeholder('limit'))
      .prepare();
  });
  const counter = prepared(db, `${getTableName(table)}|${filters.map((f) => f.key).join('|')}|count`, () =>
    db
      .select({ total: count() })
      .from(table)
      .where(and(...filters.map((f) => f.sql())))
      .prepare(),
  );
  const filterParams: Record<string, unknown> = {};
  for (const f of filters) Object.assign(filterParams, f.params);
  const params: Record<string, unknown> = { ...filterParams, limit: request.limit + 1 };
  if (after) Object.assign(params, { afterValue: after.value, afterId: after.id });
  const rows = statement.all(params) as Row[];
  const items = rows.slice(0, request.limit);
  const last = items.at(-1) as (Row & { name?: string }) | undefined;
  const total = (counter.all(filterParams) as Array<{ total: number }>)[0]?.total ?? 0;
  return {
    items,
    total,
    nextCursor:
      rows.length > request.limit && last
        ? encodeCursor({
            sort: sortKey,
            value: sortKey === 'name' ? String(last.name) : last.createdAt.getTime(),
            id: last.id,
          })
        : null,
  };
};
