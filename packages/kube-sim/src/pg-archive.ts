// What the simulated CloudNativePG keeps in object storage, and what a simulated PostgreSQL holds.
// A real cluster's data is on the primary's PG_DATA volume; its backups and archived write-ahead log
// are in the bucket, under `<destinationPath>/<serverName>`, and outlive the Cluster and the Backup
// objects. The simulator does the same: a database's rows are the files of the primary's volume
// (disks.ts, keyed by the bound PersistentVolume's uid), a base backup copies them into the archive
// of its server, every write made while WAL is archived is recorded with its time, and a Cluster
// bootstrapped by `recovery` starts with the archive's state at the target (a backup, or a time).
import { boundVolume, type DiskContents, type DiskFiles } from './disks.ts';
import type { ObjectApi } from './object-api.ts';
import type { StoredObject } from './types.ts';

interface BaseBackup {
  backupId: string;
  /** When the backup's copy was taken (ms). */
  stoppedAt: number;
  files: DiskFiles;
}

interface ServerArchive {
  backups: BaseBackup[];
  /** Each archived write: the data as it was after it (a stand-in for replaying the WAL). */
  wal: { at: number; files: DiskFiles }[];
}

/** The object store path a Cluster's barmanObjectStore section names (or an external cluster's). */
export interface ArchiveRef {
  destinationPath: string;
  serverName: string;
}

export const archiveRefOf = (
  store: { destinationPath?: string; serverName?: string } | undefined,
  clusterName: string,
): ArchiveRef | undefined =>
  store?.destinationPath
    ? { destinationPath: store.destinationPath, serverName: store.serverName ?? clusterName }
    : undefined;

const keyOf = (ref: ArchiveRef) => `${ref.destinationPath.replace(/\/+$/, '')}/${ref.serverName}`;

export class PgArchive {
  private readonly servers = new Map<string, ServerArchive>();
  /** PersistentVolume uids already filled by a recovery (a volume is recovered into once). */
  private readonly recovered = new Set<string>();

  private server(ref: ArchiveRef): ServerArchive {
    let server = this.servers.get(keyOf(ref));
    if (!server) this.servers.set(keyOf(ref), (server = { backups: [], wal: [] }));
    return server;
  }

  takeBackup(ref: ArchiveRef, backupId: string, files: DiskFiles, at: number): void {
    this.server(ref).backups.push({ backupId, stoppedAt: at, files: new Map(files) });
  }

  archiveWal(ref: ArchiveRef, files: DiskFiles, at: number): void {
    this.server(ref).wal.push({ at, files: new Map(files) });
  }

  /** The recoverability window: the oldest kept backup and the newest, as CNPG reports them. */
  window(ref: ArchiveRef): { first: number; last: number } | undefined {
    const { backups } = this.server(ref);
    if (backups.length === 0) return undefined;
    return { first: backups[0]!.stoppedAt, last: backups[backups.length - 1]!.stoppedAt };
  }

  /** Drops base backups older than the retention (and the WAL before the oldest kept one). */
  applyRetention(ref: ArchiveRef, retentionMs: number, now: number): void {
    const server = this.server(ref);
    // The newest backup is always kept, as barman's recovery window policy does.
    const kept = server.backups.filter((b, i) => i === server.backups.length - 1 || now - b.stoppedAt <= retentionMs);
    server.backups = kept;
    const oldest = kept[0]?.stoppedAt;
    if (oldest !== undefined) server.wal = server.wal.filter((w) => w.at >= oldest);
  }

  /**
   * The data as of a target: a backup by id (its state), or a time (the newest backup stopped by
   * then, and the archived writes up to it). Undefined when no backup is old enough.
   */
  stateAt(ref: ArchiveRef, target: { backupId: string } | { time: number }): DiskFiles | undefined {
    const server = this.server(ref);
    if ('backupId' in target) return server.backups.findLast((b) => b.backupId === target.backupId)?.files;
    const base = server.backups.filter((b) => b.stoppedAt <= target.time).at(-1);
    if (!base) return undefined;
    const replayed = server.wal.filter((w) => w.at > base.stoppedAt && w.at <= target.time).at(-1);
    return replayed?.files ?? base.files;
  }

  /** Fills a volume once with recovered data; false when it was already. */
  recoverInto(disks: DiskContents, pvUid: string, files: DiskFiles): boolean {
    if (this.recovered.has(pvUid)) return false;
    this.recovered.add(pvUid);
    const volume = disks.volume(pvUid);
    volume.clear();
    for (const [k, v] of files) volume.set(k, v);
    return true;
  }

  isRecovered(pvUid: string): boolean {
    return this.recovered.has(pvUid);
  }
}

/**
 * A PostgreSQL of the simulated CloudNativePG, as a client connected to it sees it: rows in, rows
 * out (a key and a value each), on the primary's volume. Writes are archived while the Cluster
 * archives its WAL.
 */
export class SimPostgres {
  constructor(
    private readonly api: ObjectApi,
    private readonly disks: DiskContents,
    private readonly archive: PgArchive,
  ) {}

  private cluster(namespace: string, name: string): StoredObject {
    const cluster = this.api.store.get('postgresql.cnpg.io/clusters', namespace, name);
    if (!cluster) throw new Error(`no Cluster ${namespace}/${name}`);
    return cluster;
  }

  private files(namespace: string, name: string): DiskFiles {
    const primary = (this.cluster(namespace, name).status?.currentPrimary as string | undefined) ?? `${name}-1`;
    const pv = boundVolume(this.api, namespace, primary);
    if (!pv?.metadata.uid) throw new Error(`the primary of ${namespace}/${name} has no bound volume yet`);
    return this.disks.volume(pv.metadata.uid);
  }

  write(namespace: string, name: string, key: string, value: string): void {
    const files = this.files(namespace, name);
    files.set(key, value);
    const cluster = this.cluster(namespace, name);
    const ref = archiveRefOf(cluster.spec?.backup?.barmanObjectStore, name);
    if (ref) this.archive.archiveWal(ref, files, Date.now());
  }

  read(namespace: string, name: string): Record<string, string> {
    return Object.fromEntries(this.files(namespace, name));
  }
}
