import { type DatabaseBackupRow, type Db, bucketsRepository, databaseBackupsRepository } from '@uncloud/db';
import { type KubeObject, dumpKey, namespaceName, objectName } from '@uncloud/kube';
import { statusOf } from '../kinds/status.ts';
import { backupInfoLocation, parseBackupInfo } from './backup-info.ts';
import { type BackupObjectReader, ObjectMissing, type StoredObject } from './object-store.ts';

export interface MeasureContext {
  db: Db;
  reader: BackupObjectReader;
  /** Reads the bucket's Secret (its S3 keys) from the cluster. */
  getSecret: (namespace: string, name: string) => Promise<KubeObject | undefined>;
  /** Where buckets are reached from this process, over the endpoint each bucket was bound with. */
  objectStoreEndpoint?: string | undefined;
}

type Size = { sizeBytes: number; sizeNote: null } | { sizeBytes: null; sizeNote: string };

const unknown = (why: string): Size => ({ sizeBytes: null, sizeNote: `unknown: ${why}` });

const decode = (value: unknown) =>
  typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf-8') : '';

/** Whether a backup has ended well and its size has not been read yet (once: it does not change). */
export const toMeasure = (row: DatabaseBackupRow | undefined): row is DatabaseBackupRow =>
  !!row &&
  row.state !== 'deleting' &&
  row.phase === 'completed' &&
  row.sizeBytes === null &&
  row.sizeNote === null;

const where = async (ctx: MeasureContext, row: DatabaseBackupRow, backup: KubeObject | undefined) => {
  const bucket = bucketsRepository.byId(ctx.db, row.bucketId);
  const endpoint = ctx.objectStoreEndpoint ?? bucket?.endpoint;
  if (!bucket?.bucketName || !endpoint) return 'its bucket is gone or not bound, so there is nothing to read';
  let location: { bucket: string; key: string } | undefined;
  if (row.engine === 'postgres') {
    location = backupInfoLocation(statusOf(backup, 'Backup'));
    if (!location)
      return "CloudNativePG's Backup status names no backup id and destination to read backup.info from";
  } else location = { bucket: bucket.bucketName, key: dumpKey(row.databaseId, row.engine, row.objectName) };
  const secret = await ctx.getSecret(namespaceName(row.projectId), objectName(bucket.id));
  const data = (secret as { data?: Record<string, unknown> } | undefined)?.data ?? {};
  const accessKeyId = decode(data.AWS_ACCESS_KEY_ID);
  const secretAccessKey = decode(data.AWS_SECRET_ACCESS_KEY);
  if (!accessKeyId || !secretAccessKey) return "the bucket's Secret holds no access keys to read it with";
  return { endpoint, ...location, credentials: { accessKeyId, secretAccessKey } } satisfies StoredObject;
};

/**
 * A completed backup's size, read from its bucket: Barman's `backup.info` for PostgreSQL, the dump
 * object's length for MySQL and Valkey. Whatever prevents the read (a store this process cannot
 * reach, a missing file) leaves the size unknown with the reason in words; it is never an error of
 * the backup, which did complete.
 */
export const measureBackup = async (
  ctx: MeasureContext,
  row: DatabaseBackupRow,
  backup: KubeObject | undefined,
): Promise<Size> => {
  const target = await where(ctx, row, backup);
  if (typeof target === 'string') return unknown(target);
  const at = `s3://${target.bucket}/${target.key} at ${target.endpoint}`;
  try {
    if (row.engine !== 'postgres') return { sizeBytes: await ctx.reader.size(target), sizeNote: null };
    const info = parseBackupInfo(await ctx.reader.text(target));
    if (info.sizeBytes === null) return unknown(`${at} names no size`);
    return { sizeBytes: info.sizeBytes, sizeNote: null };
  } catch (error) {
    if (error instanceof ObjectMissing) return unknown(`${at} does not exist`);
    return unknown(
      `the object store could not be read from where Uncloud runs (${at}): ${(error as Error).message || String(error)}`,
    );
  }
};

/** Reads a completed backup's size once and records it (or why it is unknown) on its row. */
export const recordBackupSize = async (
  ctx: MeasureContext,
  id: DatabaseBackupRow['id'],
  backup: KubeObject | undefined,
): Promise<boolean> => {
  const row = databaseBackupsRepository.byId(ctx.db, id);
  if (!toMeasure(row)) return false;
  const size = await measureBackup(ctx, row, backup);
  const latest = databaseBackupsRepository.byId(ctx.db, id);
  if (!toMeasure(latest)) return false;
  databaseBackupsRepository.recordSync(ctx.db, id, {
    ...size,
    observedGeneration: latest.observedGeneration,
    observedAt: latest.observedAt ?? new Date(),
    syncError: latest.syncError,
  });
  return true;
};
