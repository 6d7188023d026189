// The simulated object store's objects, when no real S3 server is configured (object-store-backend.ts):
// what backup tools running in the cluster upload to a bucket, by bucket name and key. Nothing of it
// shows in any Kubernetes object, as a real bucket's contents do not.
export class SimObjects {
  private readonly buckets = new Map<string, Map<string, string>>();

  put(bucket: string, key: string, body: string): void {
    let objects = this.buckets.get(bucket);
    if (!objects) this.buckets.set(bucket, (objects = new Map()));
    objects.set(key, body);
  }

  get(bucket: string, key: string): string | undefined {
    return this.buckets.get(bucket)?.get(key);
  }

  delete(bucket: string, key: string): void {
    this.buckets.get(bucket)?.delete(key);
  }

  /** The keys of a bucket under a prefix, sorted. */
  keys(bucket: string, prefix = ''): string[] {
    return [...(this.buckets.get(bucket)?.keys() ?? [])].filter((k) => k.startsWith(prefix)).sort();
  }

  /** A bucket purged with its claim (reclaim policy Delete). */
  purge(bucket: string): void {
    this.buckets.delete(bucket);
  }
}
