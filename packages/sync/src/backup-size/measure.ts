import { type DatabaseBackupRow, type Db, bucketsRepository } from '@uncloud/db';
import { type KubeObject, dumpKey, namespaceName, objectName } from '@uncloud/kube';
import { parseBackupInfo, splitLocation } from './backup-info.ts';
import {
  type BackupObjectStore,
  ObjectMissing,
  type StoredObject,
  bucketCredentials,
} from './object-store.ts';

export interface MeasureContext {
  db: Db;
  objects: BackupObjectStore;
  /** Reads the bucket's Secret (its S3 keys) from the cluster. */
  getSecret: (namespace: string, name: string) => Promise<KubeObject | undefined>;
  /** Where buckets are reached from this process, over the endpoint each bucket was bound with. */
  objectStoreEndpoint?: string | undefined;
  /** Ends the calls to the store early (the engine is stopping). */
  signal?: AbortSignal;
}

export type Size = { sizeBytes: number; sizeNote: null } | { sizeBytes: null; sizeNote: string };

/** Why a backup's data cannot be reached now; `gone`: there is nothing of it to reach, ever. */
export interface Unreachable {
  why: string;
  gone?: boolean;
}

/** Whether a backup has ended well and its size is not known yet: the worker reads it. */
export const toMeasure = (row: DatabaseBackupRow | undefined): row is DatabaseBackupRow =>
  !!row && row.state !== 'deleting' && row.phase === 'completed' && row.sizeBytes === null;

/** Whether a backup is being deleted and its data is still in the bucket: the worker removes it. */
export const toRemove = (row: DatabaseBackupRow | undefined): row is DatabaseBackupRow =>
  !!row && row.state === 'deleting' && row.dataDeletedAt === null;

/**
 * Where a backup's data is and the keys to reach it: for PostgreSQL Barman's base backup directory
 * (recorded from the Backup's status, the key ends in `/`), for MySQL and Valkey the dump object.
 */
export const dataOf = async (
  ctx: MeasureContext,
  row: DatabaseBackupRow,
): Promise<StoredObject | Unreachable> => {
  const bucket = bucketsRepository.byId(ctx.db, row.bucketId);
  const endpoint = ctx.objectStoreEndpoint ?? bucket?.endpoint;
  if (!bucket?.bucketName || !endpoint)
    return { why: 'its bucket is gone or not bound, so there is nothing to read', gone: !bucket };
  let location: { bucket: string; key: string } | undefined;
  if (row.engine === 'postgres') {
    location = row.dataLocation ? splitLocation(row.dataLocation) : undefined;
    if (!location)
      return {
        why: "CloudNativePG's Backup status names no backup id and destination: where its files are is not known",
        gone: row.phase !== 'completed',
      };
  } else location = { bucket: bucket.bucketName, key: dumpKey(row.databaseId, row.engine, row.objectName) };
  const secret = await ctx.getSecret(namespaceName(row.projectId), objectName(bucket.id));
  const credentials = bucketCredentials(secret as { data?: Record<string, unknown> } | undefined);
  if (!credentials) return { why: "the bucket's Secret holds no access keys to read it with" };
  return { endpoint, ...location, credentials, ...(ctx.signal ? { signal: ctx.signal } : {}) };
};

const unreachable = (target: StoredObject | Unreachable): target is Unreachable => 'why' in target;

export const describeObject = (o: StoredObject) => `s3://${o.bucket}/${o.key} at ${o.endpoint}`;

/**
 * A completed backup's size, read from its bucket: Barman's `backup.info` for PostgreSQL, the dump
 * object's length for MySQL and Valkey. Whatever prevents the read (a store this process cannot
 * reach, a missing file) leaves the size unknown with the reason in words; it is never an error of
 * the backup, which did complete.
 */
export const measureBackup = async (ctx: MeasureContext, row: DatabaseBackupRow): Promise<Size> => {
  const unknown = (why: string): Size => ({ sizeBytes: null, sizeNote: `unknown: ${why}` });
  const data = await dataOf(ctx, row);
  if (unreachable(data)) return unknown(data.why);
  const target = row.engine === 'postgres' ? { ...data, key: `${data.key}backup.info` } : data;
  const at = describeObject(target);
  try {
    if (row.engine !== 'postgres') return { sizeBytes: await ctx.objects.size(target), sizeNote: null };
    const info = parseBackupInfo(await ctx.objects.text(target));
    if (info.sizeBytes === null) return unknown(`${at} names no size`);
    return { sizeBytes: info.sizeBytes, sizeNote: null };
  } catch (error) {
    if (error instanceof ObjectMissing) return unknown(`${at} does not exist`);
    return unknown(
      `the object store could not be read from where Uncloud runs (${at}): ${(error as Error).message || String(error)}`,
    );
  }
};

/**
 * Removes a deleted backup's data from its bucket: the dump object, or the base backup's directory
 * (the shared WAL archive stays: other backups and point-in-time recovery need it, and the
 * schedule's retention removes what no backup needs any more, as `barman-cloud-backup-delete`
 * does). Resolves with what was removed, or rejects with why it could not be, in words.
 */
export const removeBackupData = async (ctx: MeasureContext, row: DatabaseBackupRow): Promise<string> => {
  const data = await dataOf(ctx, row);
  if (unreachable(data)) {
    if (data.gone) return `nothing to remove: ${data.why}`;
    throw new Error(data.why);
  }
  try {
    const removed = await ctx.objects.remove(data);
    return `removed ${removed} object(s) at ${describeObject(data)}`;
  } catch (error) {
    throw new Error(
      `the object store could not be reached from where Uncloud runs (${describeObject(data)}): ${(error as Error).message || String(error)}`,
    );
  }
};
