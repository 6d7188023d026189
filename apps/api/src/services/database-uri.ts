import type { DatabaseEngine } from '@uncloud/sdk';

/** Where and as whom to connect to a database. */
export interface ConnectionParts {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
}

const schemes: Record<DatabaseEngine, string> = { postgres: 'postgresql', mysql: 'mysql', valkey: 'redis' };

/**
 * The connection string `databases.credentials` hands out, as each engine's clients take it:
 * `postgresql://user:password@host:port/database` (libpq, `pg`, psql), `mysql://…`, and
 * `redis://:password@host:port` (Valkey authenticates the default user by password alone).
 */
export const connectionUri = (engine: DatabaseEngine, parts: ConnectionParts): string => {
  const password = encodeURIComponent(parts.password);
  const auth = engine === 'valkey' ? `:${password}` : `${encodeURIComponent(parts.user)}:${password}`;
  const path = engine === 'valkey' ? '' : `/${encodeURIComponent(parts.database)}`;
  return `${schemes[engine]}://${auth}@${parts.host}:${parts.port}${path}`;
};
