import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';

/** One object in a bucket, and the keys that may read it. */
export interface StoredObject {
  endpoint: string;
  bucket: string;
  key: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Ends the call early (the engine is stopping). */
  signal?: AbortSignal;
}

/**
 * The S3 keys in a bucket claim's Secret (the provisioner writes them base64-encoded, as
 * `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`); undefined when it holds none.
 */
export const bucketCredentials = (
  secret: { data?: Record<string, unknown> } | undefined,
): StoredObject['credentials'] | undefined => {
  const decode = (value: unknown) =>
    typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf-8') : '';
  const accessKeyId = decode(secret?.data?.AWS_ACCESS_KEY_ID);
  const secretAccessKey = decode(secret?.data?.AWS_SECRET_ACCESS_KEY);
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined;
};

/** The object is not in the bucket (as opposed to a store that could not be asked). */
export class ObjectMissing extends Error {}

/**
 * What the engine reads of a bucket to tell a backup's size: a small text object, and an object's
 * length. Throws `ObjectMissing` when there is no such object, any other error when the store
 * cannot be reached or refuses.
 */
export interface BackupObjectReader {
  text(object: StoredObject): Promise<string>;
  size(object: StoredObject): Promise<number>;
}

/**
 * A backup's data, to be removed: one object (a dump), or every object under a prefix when the key
 * ends in `/` (a PostgreSQL base backup's directory).
 */
export type StoredData = StoredObject;

/** What the engine does with a bucket for backups: read their size, and remove a deleted one's data. */
export interface BackupObjectStore extends BackupObjectReader {
  /** Removes the object, or every object under the prefix; returns how many. Nothing there: 0. */
  remove(data: StoredData): Promise<number>;
}

/** What the engine reads of a bucket for its usage. */
export interface BucketLister {
  /** What the bucket holds: its objects and their bytes, listed (the key is not used). */
  usage(bucket: StoredObject): Promise<{ objects: number; bytes: number }>;
}

const missing = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
};

/**
 * Reads and deletes with `@aws-sdk/client-s3`, path-style (MinIO, Ceph RGW and most self-hosted
 * stores). One attempt under a deadline: the background worker that calls it retries with backoff
 * (worker.ts), and an in-cluster endpoint this process cannot reach must not hold a worker slot.
 */
export const s3BackupObjectReader = (
  options: { timeoutMs?: number } = {},
): BackupObjectStore & BucketLister => {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const client = (o: StoredObject) =>
    new S3Client({
      endpoint: o.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: o.credentials,
      maxAttempts: 1,
    });
  const send = async <T>(o: StoredObject, run: (c: S3Client, signal: AbortSignal) => Promise<T>) => {
    const c = client(o);
    try {
      const deadline = AbortSignal.timeout(timeoutMs);
      return await run(c, o.signal ? AbortSignal.any([deadline, o.signal]) : deadline);
    } catch (error) {
      if (missing(error)) throw new ObjectMissing(`s3://${o.bucket}/${o.key} does not exist`);
      throw error;
    } finally {
      c.destroy();
    }
  };
  return {
    text: (o) =>
      send(o, async (c, abortSignal) => {
        const out = await c.send(new GetObjectCommand({ Bucket: o.bucket, Key: o.key }), { abortSignal });
        return (await out.Body?.transformToString('utf-8')) ?? '';
      }),
    size: (o) =>
      send(o, async (c, abortSignal) => {
        const out = await c.send(new HeadObjectCommand({ Bucket: o.bucket, Key: o.key }), { abortSignal });
        return out.ContentLength ?? 0;
      }),
    remove: (o) =>
      send(o, async (c, abortSignal) => {
        if (!o.key.endsWith('/')) {
          // Deleting a key that is not there succeeds (S3's DeleteObject is idempotent).
          await c.send(new DeleteObjectCommand({ Bucket: o.bucket, Key: o.key }), { abortSignal });
          return 1;
        }
        // A page at a time (at most 1000 keys, DeleteObjects' limit), until nothing is left.
        let removed = 0;
        for (;;) {
          const page = await c.send(new ListObjectsV2Command({ Bucket: o.bucket, Prefix: o.key }), {
            abortSignal,
          });
          const keys = (page.Contents ?? []).flatMap((item) => (item.Key ? [{ Key: item.Key }] : []));
          if (keys.length === 0) return removed;
          const out = await c.send(
            new DeleteObjectsCommand({ Bucket: o.bucket, Delete: { Objects: keys, Quiet: true } }),
            { abortSignal },
          );
          const failed = out.Errors ?? [];
          if (failed.length > 0)
            throw new Error(
              `the object store refused to delete ${failed.length} object(s), such as ${failed[0]!.Key}: ${failed[0]!.Message ?? failed[0]!.Code ?? 'no reason given'}`,
            );
          removed += keys.length;
        }
      }),
    usage: (o) =>
      send(o, async (c, abortSignal) => {
        let objects = 0;
        let bytes = 0;
        let token: string | undefined;
        do {
          const page = await c.send(
            new ListObjectsV2Command({ Bucket: o.bucket, ContinuationToken: token }),
            { abortSignal },
          );
          for (const item of page.Contents ?? []) {
            objects++;
            bytes += item.Size ?? 0;
          }
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
        return { objects, bytes };
      }),
  };
};
