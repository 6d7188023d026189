import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { RunResult } from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema.ts';

/** A database handle or a transaction on it: repositories accept either. */
export type Db = BaseSQLiteDatabase<'sync', RunResult, typeof schema>;

export interface IntentStore {
  db: Db;
  /** The raw connection, for the few hot paths and maintenance tasks that need it. */
  sqlite: Database.Database;
  /** Runs `fn` in one transaction (better-sqlite3 transactions are synchronous). */
  transaction<T>(fn: (tx: Db) => T): T;
  /** Writes a consistent copy of the database to `path` while it stays online. */
  backup(path: string): Promise<void>;
  close(): void;
}

const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/**
 * Opens (creating if needed) the SQLite intent store at `path`, tuned for one writer process with
 * concurrent readers, and applies the committed migrations.
 */
export const openIntentStore = (path: string): IntentStore => {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // Owner only: the store holds env values and user data. SQLite gives the -wal and -shm files
    // the database file's mode, so creating it first with 0600 covers all three.
    closeSync(openSync(path, 'a', 0o600));
    for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
  }
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  return {
    db,
    sqlite,
    // IMMEDIATE takes the write lock up front, waiting up to busy_timeout for it. A deferred
    // transaction that reads and then writes fails at once with SQLITE_BUSY when another
    // connection (another process on the same file) wrote in between.
    transaction: (fn) => db.transaction((tx) => fn(tx), { behavior: 'immediate' }),
    backup: async (target) => {
      await sqlite.backup(target);
    },
    close: () => {
      // Fold the WAL back into the main file so a stopped server leaves one self-contained file.
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
      sqlite.close();
    },
  };
};
