// The simulated cluster's own object store, used when no real S3 server is configured: what Rook's
// RGW is to a real installation. Users (access keys), buckets with an owner and a policy, and the
// objects (kept in SimObjects) live in memory; s3-server.ts serves them over the S3 REST API with
// SigV4, so any S3 client can use a bucket's endpoint and keys. The provisioner drives it through
// the same ObjectStoreBackend interface as a real server (controllers/object-store-backend.ts).
import { randomBytes } from 'node:crypto';
import { ObjectStoreError, type ObjectStoreBackend } from '../controllers/object-store-backend.ts';
import type { SimObjects } from '../sim-objects.ts';
import { policyAllows, type BucketPolicy } from './bucket-policy.ts';

export interface StoredBucket {
  owner: string;
  policy: BucketPolicy | null;
  created: Date;
}

/** Where the store listens and its administrator's keys (to inspect buckets as an operator would). */
export interface EmbeddedObjectStoreInfo {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export class EmbeddedObjectStore implements ObjectStoreBackend {
  readonly region = 'us-east-1';
  /** The administrator: makes buckets, and may do anything in any bucket (RGW's system user). */
  readonly root = {
    accessKeyId: `UNCLOUDROOT${randomBytes(5).toString('hex').toUpperCase()}`.slice(0, 20),
    secretAccessKey: randomBytes(30).toString('base64'),
  };
  private readonly users = new Map<string, string>();
  readonly buckets = new Map<string, StoredBucket>();
  private url: URL | undefined;

  constructor(readonly objects: SimObjects) {}

  /** Set once the server listens (s3-server.ts); read by the provisioner only after that. */
  set endpoint(url: URL) {
    this.url = url;
  }

  get endpoint(): URL {
    if (!this.url) throw new Error('the simulated object store is not listening yet');
    return this.url;
  }

  get info(): EmbeddedObjectStoreInfo {
    return { endpoint: this.endpoint.origin, region: this.region, ...this.root };
  }

  /** The secret a key signs with; undefined for a key the store does not know. */
  secretOf(accessKeyId: string): string | undefined {
    return accessKeyId === this.root.accessKeyId ? this.root.secretAccessKey : this.users.get(accessKeyId);
  }

  /**
   * Whether a key may do `action` on the bucket (and key, for object actions): the administrator
   * and the bucket's owner always, anyone else as the bucket's policy says.
   */
  allows(accessKeyId: string, bucket: string, action: string, key?: string): boolean {
    if (accessKeyId === this.root.accessKeyId) return true;
    const stored = this.buckets.get(bucket);
    if (!stored) return false;
    if (stored.owner === accessKeyId) return true;
    const resource = key === undefined ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`;
    return policyAllows(stored.policy, accessKeyId, action, resource);
  }

  createUser(accessKeyId: string, secretAccessKey: string): Promise<void> {
    this.users.set(accessKeyId, secretAccessKey);
    return Promise.resolve();
  }

  deleteUser(accessKeyId: string): Promise<void> {
    this.users.delete(accessKeyId);
    return Promise.resolve();
  }

  createBucket(name: string, ownerAccessKeyId: string): Promise<void> {
    const stored = this.buckets.get(name);
    if (stored) stored.owner = ownerAccessKeyId;
    else this.buckets.set(name, { owner: ownerAccessKeyId, policy: null, created: new Date() });
    return Promise.resolve();
  }

  putBucketPolicy(name: string, policy: string | null): Promise<void> {
    const stored = this.buckets.get(name);
    if (!stored) return Promise.reject(new ObjectStoreError(404, 'NoSuchBucket', `no bucket ${name}`));
    stored.policy = policy === null ? null : (JSON.parse(policy) as BucketPolicy);
    return Promise.resolve();
  }

  purgeBucket(name: string): Promise<void> {
    this.buckets.delete(name);
    this.objects.purge(name);
    return Promise.resolve();
  }

  /**
   * The administrator's write. A bucket no claim made (a backup tool pointed at a bucket outside
   * Uncloud) is made for it, owned by the administrator, so what it wrote can be read back.
   */
  putObject(bucket: string, key: string, body: string): Promise<void> {
    if (!this.buckets.has(bucket))
      this.buckets.set(bucket, { owner: this.root.accessKeyId, policy: null, created: new Date() });
    this.objects.put(bucket, key, body);
    return Promise.resolve();
  }

  getObject(bucket: string, key: string): Promise<string | undefined> {
    return Promise.resolve(this.objects.get(bucket, key));
  }
}
