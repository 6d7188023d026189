// What is in the simulated object store's buckets (the embedded S3 server, object-store/, keeps its
// objects here; with a real S3 server configured, only what tests plant): by bucket name and key.
// Nothing of it shows in any Kubernetes object, as a real bucket's contents do not. Kept in memory:
// a restarted simulator's buckets are empty (docs/simulator.md).
import { createHash } from 'node:crypto';

export interface SimObject {
  body: Buffer;
  /** S3's ETag of a single-part upload: the MD5 of the body, in quotes. */
  etag: string;
  contentType: string;
  lastModified: Date;
}

export class SimObjects {
  private readonly buckets = new Map<string, Map<string, SimObject>>();

  put(bucket: string, key: string, body: string): void {
    this.putObject(bucket, key, Buffer.from(body));
  }

  putObject(bucket: string, key: string, body: Buffer, contentType = 'application/octet-stream'): SimObject {
    let objects = this.buckets.get(bucket);
    if (!objects) this.buckets.set(bucket, (objects = new Map()));
    const object = {
      body,
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      contentType,
      lastModified: new Date(),
    };
    objects.set(key, object);
    return object;
  }

  get(bucket: string, key: string): string | undefined {
    return this.buckets.get(bucket)?.get(key)?.body.toString();
  }

  getObject(bucket: string, key: string): SimObject | undefined {
    return this.buckets.get(bucket)?.get(key);
  }

  delete(bucket: string, key: string): void {
    this.buckets.get(bucket)?.delete(key);
  }

  /** The keys of a bucket under a prefix, sorted (by code unit, as S3 lists: UTF-8 byte order for BMP). */
  keys(bucket: string, prefix = ''): string[] {
    return [...(this.buckets.get(bucket)?.keys() ?? [])].filter((k) => k.startsWith(prefix)).sort();
  }

  /** A bucket purged with its claim (reclaim policy Delete). */
  purge(bucket: string): void {
    this.buckets.delete(bucket);
  }
}
