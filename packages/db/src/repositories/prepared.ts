import type { Db } from '../client.ts';

interface Prepared {
  all(params?: Record<string, unknown>): unknown[];
  get(params?: Record<string, unknown>): unknown;
}

const cache = new WeakMap<Db, Map<string, Prepared>>();

/**
 * A statement prepared once per connection and reused. On the hot paths (every request's token
 * and membership check, every list) building drizzle's query costs more than running it.
 */
export const prepared = <P extends Prepared>(db: Db, key: string, build: () => P): P => {
  let statements = cache.get(db);
  if (!statements) cache.set(db, (statements = new Map()));
  let statement = statements.get(key);
  if (!statement) statements.set(key, (statement = build()));
  return statement as P;
};
