import { randomBytes } from 'node:crypto';
import { and, eq, gt, or } from 'drizzle-orm';
import type { AnySQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { type ActionRow, type Db, type IntentStore, tables } from '@uncloud/db';
import type { ChangeEvent, EventKind, ProjectId, ResourceKind } from '@uncloud/sdk';
import type { IntentEvents } from './services/deps.ts';

/** One change, numbered in the order this server saw it. */
export interface FeedRecord {
  seq: number;
  event: ChangeEvent;
}

/** Someone following a project: gets each of its changes as it is recorded. */
export type FeedListener = (record: FeedRecord) => void;

export interface ChangeFeedOptions {
  store: IntentStore;
  /**
   * The bus the services announce committed intent on, and the sync engine its writes (runtime
   * facts, state, action progress): a project is read again only when one of them names it.
   */
  events: IntentEvents;
  /** How many recent changes are kept for streams that resume (all projects together). */
  bufferSize: number;
  /** How long a project stays followed after its last stream left, so that a reconnect can resume. */
  lingerMs?: number;
}

type Fields = Record<string, string>;
interface Seen {
  state: string | null;
  fields: Fields;
}

/** Bookkeeping columns that move without anything a person would call a change. */
const unremarkable = new Set(['observedAt', 'updatedAt', 'createdAt']);

/** Each column's value, as text to compare with (never sent anywhere: only the names are). */
const fieldsOf = (row: Record<string, unknown>): Fields => {
  const fields: Fields = {};
  for (const [name, value] of Object.entries(row)) {
    if (!unremarkable.has(name)) fields[name] = JSON.stringify(value ?? null);
  }
  return fields;
};

const stateOf = (row: Record<string, unknown>): string | null =>
  typeof row.state === 'string' ? row.state : typeof row.status === 'string' ? row.status : null;

type RowsOf = (db: Db, projectId: ProjectId) => Record<string, unknown>[];

const inProject =
  <T extends SQLiteTable & { projectId: AnySQLiteColumn }>(table: T): RowsOf =>
  (db, projectId) =>
    db
      .select()
      .from(table as SQLiteTable)
      .where(eq(table.projectId, projectId))
      .all();

/** A resource table per kind of the registry; a kind missing here is a compile error. */
const resourceRows: Record<ResourceKind, RowsOf> = {
  droplet: inProject(tables.droplets),
  volume: inProject(tables.volumes),
  app: inProject(tables.apps),
  database: inProject(tables.databases),
  firewall: inProject(tables.firewalls),
  loadBalancer: inProject(tables.loadBalancers),
  reservedIp: inProject(tables.reservedIps),
  snapshot: inProject(tables.snapshots),
  databaseBackup: inProject(tables.databaseBackups),
  // Keys without their secrets' hashes: streams say which keys exist, nothing about their secrets.
  bucket: (db, projectId) =>
    inProject(tables.buckets)(db, projectId).map((row) => ({
      ...row,
      keys: (row.keys as { secretSha256?: string }[]).map(({ secretSha256: _, ...key }) => key),
    })),
  sshKey: inProject(tables.sshKeys),
};

/** Finished actions stay in view this long, so that their last steps are seen. */
const RECENT_ACTIONS_MS = 5 * 60_000;

/** Everything in a project a stream reports on, keyed by `kind:id`. */
const readProject = (db: Db, projectId: ProjectId) => {
  const rows = new Map<
    string,
    { kind: EventKind; id: string; row: Record<string, unknown>; action?: ChangeEvent['action'] }
  >();
  const put = (kind: EventKind, id: string, row: Record<string, unknown>, action?: ChangeEvent['action']) =>
    rows.set(`${kind}:${id}`, { kind, id, row, ...(action ? { action } : {}) });
  for (const [kind, rowsOf] of Object.entries(resourceRows) as [ResourceKind, RowsOf][]) {
    for (const row of rowsOf(db, projectId)) put(kind, String(row.id), row);
  }
  const project = db.select().from(tables.projects).where(eq(tables.projects.id, projectId)).get();
  if (project) put('project', projectId, project);
  const quota = db.select().from(tables.quotas).where(eq(tables.quotas.projectId, projectId)).get();
  if (quota) put('quota', projectId, quota);
  const { actions } = tables;
  const since = new Date(Date.now() - RECENT_ACTIONS_MS);
  const recent = db
    .select()
    .from(actions)
    .where(
      and(
        eq(actions.projectId, projectId),
        or(eq(actions.status, 'in-progress'), gt(actions.completedAt, since)),
      ),
    )
    // The project's, so never a system action (those have no project).
    .all() as ActionRow[];
  for (const action of recent) {
    const { type, status, resourceKind, resourceId } = action;
    put('action', action.id, action, { type, status, resourceKind, resourceId });
  }
  return rows;
};

interface Followed {
  listeners: Set<FeedListener>;
  seen: Map<string, Seen>;
  /** Changes of this project are complete from this sequence number on. */
  sinceSeq: number;
  /** When it stops being followed, once no stream is left. */
  lingerUntil: number;
}

/**
 * The change feed: turns the writes announced on the bus (committed intent from the services, and
 * the sync engine's writes) into numbered change events, by comparing the project they name with
 * what was last read, delivered to the streams following each project and kept in a bounded ring
 * for streams that resume. Only projects someone follows are read, and only when something was
 * written to them: nothing is polled, so a server nobody watches, or an idle project, costs nothing.
 */
export const createChangeFeed = (options: ChangeFeedOptions) => {
  const { store, bufferSize } = options;
  const lingerMs = options.lingerMs ?? 60_000;
  /** Ids from a previous run of the server (or another replica) cannot resume here. */
  const boot = randomBytes(6).toString('base64url');
  const followed = new Map<ProjectId, Followed>();
  const ring: FeedRecord[] = [];
  let seq = 0;
  let closed = false;

  const record = (entry: Followed, event: ChangeEvent) => {
    const rec = { seq: ++seq, event };
    ring.push(rec);
    if (ring.length > bufferSize) ring.splice(0, ring.length - bufferSize);
    for (const listener of entry.listeners) listener(rec);
  };

  const scan = (projectId: ProjectId, entry: Followed, silently = false) => {
    const now = new Date().toISOString();
    const rows = readProject(store.db, projectId);
    for (const [key, { kind, id, row, action }] of rows) {
      const before = entry.seen.get(key);
      const after: Seen = { state: stateOf(row), fields: fieldsOf(row) };
      entry.seen.set(key, after);
      if (silently) continue;
      const changed = before
        ? Object.keys(after.fields).filter((name) => after.fields[name] !== before.fields[name])
        : [];
      if (before && changed.length === 0) continue;
      record(entry, {
        type: 'change',
        kind,
        id,
        projectId,
        state: after.state,
        changed,
        change: before ? 'updated' : 'created',
        ...(action ? { action } : {}),
        at: now,
      });
    }
    for (const key of [...entry.seen.keys()]) {
      if (rows.has(key)) continue;
      entry.seen.delete(key);
      const [kind, ...rest] = key.split(':');
      // An action leaving the window of recent ones is not gone; it is only no longer news.
      if (silently || kind === 'action') continue;
      record(entry, {
        type: 'change',
        kind: kind as EventKind,
        id: rest.join(':'),
        projectId,
        state: null,
        changed: [],
        change: 'deleted',
        at: now,
      });
    }
  };

  const scanAll = () => {
    const now = Date.now();
    for (const [projectId, entry] of followed) {
      if (entry.listeners.size === 0 && entry.lingerUntil <= now) {
        followed.delete(projectId);
        continue;
      }
      scan(projectId, entry);
    }
  };

  // Writes are looked at at once, coalesced per tick: a resync writing 250 rows reads a project once.
  const due = new Set<ProjectId>();
  let flush: NodeJS.Immediate | undefined;
  const unsubscribe = options.events.subscribe((change) => {
    const projectId = change.projectId as ProjectId;
    if (!followed.has(projectId) || closed) return;
    due.add(projectId);
    flush ??= setImmediate(() => {
      flush = undefined;
      const now = Date.now();
      for (const id of due) {
        const entry = followed.get(id);
        if (!entry) continue;
        // Nobody came back for it: it stops being followed rather than being read.
        if (entry.listeners.size === 0 && entry.lingerUntil <= now) followed.delete(id);
        else scan(id, entry);
      }
      due.clear();
    });
  });

  const idOf = (n: number) => `${boot}.${n}`;
  const seqOf = (id: string): number | null => {
    const [b, n] = id.split('.');
    const parsed = Number(n);
    return b === boot && Number.isSafeInteger(parsed) && parsed >= 0 && parsed <= seq ? parsed : null;
  };

  return {
    idOf,
    /** The id that stands for "everything so far". */
    headId: () => idOf(seq),
    /**
     * Starts delivering a project's changes to `listener`. With `after` (a last-event id), first
     * returns what the stream missed since, or `null` when that cannot be told (the id is too old,
     * unknown, or the project was not followed all along): the client must refetch.
     */
    follow(projectId: ProjectId, listener: FeedListener, after?: string | null) {
      let entry = followed.get(projectId);
      if (!entry) {
        // Nothing is known of this project before now: a resume from earlier must refetch.
        entry = { listeners: new Set(), seen: new Map(), sinceSeq: ++seq, lingerUntil: 0 };
        followed.set(projectId, entry);
        scan(projectId, entry, true);
      }
      let missed: FeedRecord[] | null = [];
      if (after) {
        const from = seqOf(after);
        const oldest = ring[0]?.seq ?? seq + 1;
        missed =
          from === null || from < entry.sinceSeq || from + 1 < oldest
            ? null
            : ring.filter((r) => r.seq > from && r.event.projectId === projectId);
      }
      entry.listeners.add(listener);
      const followedEntry = entry;
      return {
        missed,
        stop: () => {
          followedEntry.listeners.delete(listener);
          if (followedEntry.listeners.size === 0) followedEntry.lingerUntil = Date.now() + lingerMs;
        },
      };
    },
    /** Looks at followed projects now (tests, and anyone who knows something just changed). */
    scanNow: scanAll,
    close() {
      closed = true;
      if (flush) clearImmediate(flush);
      unsubscribe();
      followed.clear();
    },
  };
};

export type ChangeFeed = ReturnType<typeof createChangeFeed>;
