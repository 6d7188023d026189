import { and, asc, eq, gt, or, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { badRequest } from '@uncloud/sdk/contract';
import type { Db } from '../client.ts';

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
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
 * Keyset pagination in creation order: each page continues after the last row of the previous one,
 * so rows are visited exactly once even while others are inserted or deleted.
 */
export const selectPage = <Row extends { id: string; createdAt: Date }>(
  db: Db,
  table: PageableTable,
  where: (SQL | undefined)[],
  request: PageRequest,
): Page<Row> => {
  const after = request.cursor ? decodeCursor(request.cursor) : undefined;
  const afterCursor = after
    ? or(gt(table.createdAt, new Date(after.createdAt)), and(eq(table.createdAt, new Date(after.createdAt)), gt(table.id, after.id)))
    : undefined;
  const rows = db
    .select()
    .from(table)
    .where(and(...where, afterCursor))
    .orderBy(asc(table.createdAt), asc(table.id))
    .limit(request.limit + 1)
    .all() as Row[];
  const items = rows.slice(0, request.limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > request.limit && last ? encodeCursor({ createdAt: last.createdAt.getTime(), id: last.id }) : null,
  };
};
