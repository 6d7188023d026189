import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';

/** One object in a bucket, and the keys that may read it. */
export interface StoredObject {
  endpoint: string;
  bucket: string;
  key: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

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

const missing = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
};

/**
 * Reads with `@aws-sdk/client-s3`, path-style (MinIO, Ceph RGW and most self-hosted stores). One
 * attempt under a short deadline: an in-cluster endpoint that this process cannot reach must not
 * hold the reconcile up.
 */
export const s3BackupObjectReader = (options: { timeoutMs?: number } = {}): BackupObjectReader => {
  const timeoutMs = options.timeoutMs ?? 5_000;
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
      return await run(c, AbortSignal.timeout(timeoutMs));
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
  };
};
