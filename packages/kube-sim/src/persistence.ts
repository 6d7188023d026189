// Durable storage of the store in an SQLite file (better-sqlite3, WAL journal). The changes of one
// tick of the event loop are written together, in one transaction, at the end of the tick — or
// earlier, before any byte of a reply leaves the server (the server calls `store.flushPending()`),
// so an acknowledged write survives the process being killed (kill -9), and the resourceVersion
// counter is stored with it so it never goes backwards after a restart. An object changed several
// times in a tick (a controller's create, status and condition writes) is serialised and written
// once, as it ended. The WAL file is fsynced in batches (group commit, at most FSYNC_DELAY_MS after
// a write) so a machine crash loses at most that window. Nothing is ever rewritten whole: a write
// touches one row.
import { close, fsync, openSync, readFileSync, renameSync } from 'node:fs';
import Database from 'better-sqlite3';
import { provisionedSpec } from './crds.ts';
import type { ObjectStore, StoreEvent, StoreSnapshot } from './store.ts';
import type { StoredObject } from './types.ts';

const CRDS = 'apiextensions.k8s.io/customresourcedefinitions';
const FSYNC_DELAY_MS = 50;
const SQLITE_HEADER = 'SQLite format 3\0';

/** An object as stored: a provisioned CRD's spec (megabytes of shared schema) is written by name. */
function encode(typeKey: string, object: StoredObject): string {
  const name = object.metadata.name ?? '';
  if (typeKey === CRDS && object.spec !== undefined && object.spec === provisionedSpec(name))
    return JSON.stringify({ ...object, spec: { $provisioned: name } });
  return JSON.stringify(object);
}

function decode(typeKey: string, json: string): StoredObject {
  const object = JSON.parse(json) as StoredObject;
  const ref = (object.spec as { $provisioned?: string } | undefined)?.$provisioned;
  if (typeKey === CRDS && ref) object.spec = provisionedSpec(ref);
  return object;
}

function isSqlite(path: string): boolean | undefined {
  try {
    const head = readFileSync(path).subarray(0, SQLITE_HEADER.length).toString('latin1');
    return head === SQLITE_HEADER || head.length === 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** A JSON snapshot (the format earlier versions wrote): `{resourceVersion, objects: [{typeKey, object}]}`. */
function readJsonSnapshot(path: string): StoreSnapshot {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as StoreSnapshot;
  if (typeof parsed.resourceVersion !== 'number' || !Array.isArray(parsed.objects))
    throw new Error(`${path}: not a simulated cluster data file (no resourceVersion and objects)`);
  for (const entry of parsed.objects) {
    const ref = (entry.object.spec as { $provisioned?: string } | undefined)?.$provisioned;
    if (entry.typeKey === CRDS && ref) entry.object.spec = provisionedSpec(ref);
  }
  return parsed;
}

export class DataFile {
  private readonly db: Database.Database;
  private readonly upsert: Database.Statement;
  private readonly del: Database.Statement;
  private readonly delType: Database.Statement;
  private readonly setRv: Database.Statement;
  private readonly writeBatch: () => void;
  /** The latest change of each object not yet written, by `typeKey\0namespace\0name`. */
  private readonly pending = new Map<string, StoreEvent>();
  private pendingRv = 0;
  private flushQueued: NodeJS.Immediate | undefined;
  /** Transactions and rows written so far (what a batch saves shows here). */
  readonly written = { transactions: 0, rows: 0 };
  private fsyncTimer: NodeJS.Timeout | undefined;
  private walFd: number | undefined;
  private detach: () => void = () => undefined;
  /** Objects of a JSON data file found at the path, written into the new database at open. */
  private imported: StoreSnapshot | undefined;

  constructor(private readonly path: string) {
    if (isSqlite(path) === false) {
      // An earlier version's JSON snapshot: keep it beside the database and import it.
      this.imported = readJsonSnapshot(path);
      renameSync(path, `${path}.imported.json`);
    }
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // Each commit is written to the WAL before the API answers (so it survives the process dying);
    // the fsync that makes it survive a machine crash is batched below.
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS objects (
        type_key TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL, json TEXT NOT NULL,
        rv INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (type_key, namespace, name)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
    `);
    this.upsert = this.db.prepare(
      `INSERT INTO objects (type_key, namespace, name, json, rv) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (type_key, namespace, name) DO UPDATE SET json = excluded.json, rv = excluded.rv`,
    );
    this.del = this.db.prepare('DELETE FROM objects WHERE type_key = ? AND namespace = ? AND name = ?');
    this.delType = this.db.prepare('DELETE FROM objects WHERE type_key = ?');
    this.setRv = this.db.prepare(
      `INSERT INTO meta (key, value) VALUES ('resourceVersion', ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    );
    // One transaction per batch: a row per object changed (carrying its resourceVersion); the counter
    // in `meta` moves with it, since a deletion leaves no row behind.
    this.writeBatch = this.db.transaction(() => {
      for (const e of this.pending.values()) {
        const { namespace = '', name = '' } = e.object.metadata;
        if (e.type === 'DELETED') this.del.run(e.typeKey, namespace, name);
        else this.upsert.run(e.typeKey, namespace, name, encode(e.typeKey, e.object), e.rv);
      }
      this.setRv.run(this.pendingRv);
    });
    if (this.imported) this.writeAll(this.imported);
  }

  /** The stored objects and resourceVersion; undefined for a new, empty file. */
  load(): StoreSnapshot | undefined {
    const row = this.db
      .prepare(
        `SELECT MAX(COALESCE((SELECT value FROM meta WHERE key = 'resourceVersion'), 0),
                    COALESCE((SELECT MAX(rv) FROM objects), 0)) AS value,
                (SELECT COUNT(*) FROM meta) AS written`,
      )
      .get() as { value: number; written: number };
    if (row.written === 0) return undefined;
    const rows = this.db.prepare('SELECT type_key, json FROM objects').all() as {
      type_key: string;
      json: string;
    }[];
    return {
      resourceVersion: row.value,
      objects: rows.map((r) => ({ typeKey: r.type_key, object: decode(r.type_key, r.json) })),
    };
  }

  /**
   * Write every change of the store from now on: batched per tick of the event loop, and written
   * before the server replies (`store.flushPending()`).
   */
  attach(store: ObjectStore): void {
    // Marks the file as written (load() tells a new file by its empty `meta`).
    if (!this.db.prepare('SELECT 1 FROM meta').get()) this.setRv.run(store.resourceVersion);
    const offEvent = store.subscribe((e) => {
      this.pending.set(
        `${e.typeKey}\0${e.object.metadata.namespace ?? ''}\0${e.object.metadata.name ?? ''}`,
        e,
      );
      this.pendingRv = e.rv;
      this.flushQueued ??= setImmediate(() => this.flush());
    });
    const offFlush = store.onFlush(() => this.flush());
    const offType = store.onRemoveType((typeKey) => {
      this.flush();
      this.delType.run(typeKey);
      this.setRv.run(store.resourceVersion);
      this.scheduleFsync();
    });
    this.detach = () => {
      offEvent();
      offFlush();
      offType();
    };
  }

  /** Write the changes not yet written, in one transaction. */
  flush(): void {
    if (this.flushQueued) clearImmediate(this.flushQueued);
    this.flushQueued = undefined;
    if (this.pending.size === 0 || !this.db.open) return;
    this.writeBatch();
    this.written.transactions += 1;
    this.written.rows += this.pending.size;
    this.pending.clear();
    this.scheduleFsync();
  }

  close(): void {
    this.flush();
    this.detach();
    clearTimeout(this.fsyncTimer);
    this.fsyncTimer = undefined;
    if (this.walFd !== undefined) close(this.walFd, () => undefined);
    this.walFd = undefined;
    if (this.db.open) this.db.close();
  }

  private writeAll(snapshot: StoreSnapshot): void {
    this.db.transaction(() => {
      for (const { typeKey, object } of snapshot.objects)
        this.upsert.run(
          typeKey,
          object.metadata.namespace ?? '',
          object.metadata.name ?? '',
          encode(typeKey, object),
          Number(object.metadata.resourceVersion ?? 0) || 0,
        );
      this.setRv.run(snapshot.resourceVersion);
    })();
  }

  private scheduleFsync(): void {
    this.fsyncTimer ??= setTimeout(() => {
      this.fsyncTimer = undefined;
      if (!this.db.open) return;
      try {
        this.walFd ??= openSync(`${this.path}-wal`, 'r+');
      } catch {
        return; // No WAL (yet): the database file holds the data.
      }
      // Off the event loop (libuv's pool): the API keeps answering while the disk catches up.
      fsync(this.walFd, () => undefined);
    }, FSYNC_DELAY_MS);
    this.fsyncTimer.unref();
  }
}

/** The objects and resourceVersion a data file holds (undefined when there is none), read once. */
export function loadDataFile(path: string): StoreSnapshot | undefined {
  if (isSqlite(path) === undefined) return undefined;
  const file = new DataFile(path);
  try {
    return file.load();
  } finally {
    file.close();
  }
}
