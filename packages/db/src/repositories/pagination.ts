import { badRequest } from '@uncloud/sdk';
import {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  getTableName,
  gt,
  lt,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '../client.ts';
import { prepared } from './prepared.ts';

/**
 * What a list can be ordered by: a column or an expression over the row, with the type of its
 * values (the cursor keeps the last row's value and must read it back as the same type). A column
 * that may be NULL is wrapped in `coalesce`, as keyset comparisons never match NULL. The id breaks
 * ties, so the order is total.
 */
export interface SortColumn {
  sql: SQL;
  type: 'number' | 'text';
}
export type SortColumns = Record<string, SortColumn>;
type SortKey = string;

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
  /** Newest first instead of creation order (for logs such as actions). */
  newestFirst?: boolean;
  /** Order by this key of the table's sort columns (creation time unless said, or unknown). */
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

const SORT_VALUE = '__sort_value';

const encodeCursor = (position: Position) =>
  Buffer.from(JSON.stringify([position.value, position.id, position.sort])).toString('base64url');

const decodeCursor = (cursor: string, sort: SortKey, type: SortColumn['type']): Position => {
  try {
    const [value, id, sortedBy = 'createdAt'] = JSON.parse(
      Buffer.from(cursor, 'base64url').toString(),
    ) as unknown[];
    const typed = typeof value === (type === 'text' ? 'string' : 'number');
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

/** Creation time, and the name where the table has one: what every list can be ordered by. */
export const baseSortColumns = (table: PageableTable): SortColumns => ({
  createdAt: { sql: sql`${table.createdAt}`, type: 'number' },
  ...(table.name ? { name: { sql: sql`${table.name}`, type: 'text' as const } } : {}),
});

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
 * Keyset pagination in creation order, or by another of `sorts`: each page continues after the
 * last row of the previous one (its sort value, then its id), so rows are visited exactly once even
 * while others are inserted or deleted. Every page also says how many rows match in all.
 */
export const selectPage = <Row extends { id: string; createdAt: Date }>(
  db: Db,
  table: PageableTable,
  filters: Filter[],
  request: PageRequest,
  sorts: SortColumns = baseSortColumns(table),
): Page<Row> => {
  const sortKey: SortKey = request.sort && sorts[request.sort] ? request.sort : 'createdAt';
  const { sql: column, type } = sorts[sortKey] ?? baseSortColumns(table).createdAt!;
  const after = request.cursor ? decodeCursor(request.cursor, sortKey, type) : undefined;
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
    // The sort value is selected beside the row, raw, for the next page's cursor.
    return db
      .select({ ...getTableColumns(table), [SORT_VALUE]: sql`${column}`.as(SORT_VALUE) })
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
  const rows = statement.all(params) as Array<Row & { [SORT_VALUE]: number | string }>;
  const last = rows.at(request.limit - 1);
  const items = rows.slice(0, request.limit).map(({ [SORT_VALUE]: _, ...row }) => row as unknown as Row);
  const total = (counter.all(filterParams) as Array<{ total: number }>)[0]?.total ?? 0;
  return {
    items,
    total,
    nextCursor:
      rows.length > request.limit && last
        ? encodeCursor({
            sort: sortKey,
            value: last[SORT_VALUE],
            id: last.id,
          })
        : null,
  };
};
