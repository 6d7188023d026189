import { createHash, randomBytes } from 'node:crypto';
import {
  type BucketKeyRecord,
  type BucketRow,
  type Db,
  bucketsRepository as buckets,
  newId,
} from '@uncloud/db';
import { OBJECT_STORE_REGION, bucketKeySecret } from '@uncloud/kube';
import { type Bucket, type BucketAccessKey, conflict, notFound } from '@uncloud/sdk';
import type { BucketService } from '@uncloud/sdk/contract';
import type { ServiceDeps } from './deps.ts';
import { reconciledOutput } from './present.ts';
import { resourceService } from './resource-service.ts';

/** More keys than anyone rotates through at once; each is a user in the object store. */
export const MAX_KEYS_PER_BUCKET = 20;

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** `UC` and 18 random upper-case letters and digits: the 20 characters of an S3 access key id. */
export const newAccessKeyId = () => {
  let out = 'UC';
  // 252 is the largest multiple of 36 below 256: rejecting bytes above it keeps characters equally likely.
  while (out.length < 20)
    for (const byte of randomBytes(32)) if (byte < 252 && out.length < 20) out += KEY_ALPHABET[byte % 36];
  return out;
};

/** 30 random bytes as 40 base64url characters: the length of an S3 secret access key. */
export const newSecretAccessKey = () => randomBytes(30).toString('base64url');

export const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');

const presentKey = (row: BucketRow, key: BucketKeyRecord): BucketAccessKey => ({
  accessKeyId: key.accessKeyId,
  bucketId: row.id,
  name: key.name,
  ready: row.readyKeys.includes(key.accessKeyId),
  createdAt: key.createdAt,
});

const presentBuckets = (_db: Db, rows: BucketRow[]): Bucket[] =>
  rows.map((row): Bucket => ({
    id: row.id,
    projectId: row.projectId,
    name: row.name,
    bucketName: row.bucketName,
    endpoint: row.endpoint,
    region: OBJECT_STORE_REGION,
    usage:
      row.usageObjects === null || row.usageBytes === null
        ? null
        : { objects: row.usageObjects, bytes: row.usageBytes },
    keyCount: row.keys.length,
    state: row.state,
    ...reconciledOutput(row),
  }));

/**
 * Buckets are ObjectBucketClaims the sync engine keeps. An access key's secret is written straight
 * into the cluster's Secret (which Rook sets the key's user from) and answered once: SQLite keeps
 * only its SHA-256, so neither a database copy nor a backup of it holds a usable key.
 */
export const createBucketService = (deps: ServiceDeps): BucketService => {
  const base = resourceService(deps, 'bucket', buckets, presentBuckets);
  const writable = (row: BucketRow) => {
    if (row.state === 'deleting')
      throw conflict(`bucket ${row.id} is being deleted and can no longer change`);
    return row;
  };

  return {
    list: base.list,
    get: base.get,

    create: (scope, input) =>
      base.commit(scope, (db) =>
        buckets.insert(db, { id: newId('bucket'), projectId: scope.projectId, name: input.name }),
      ),

    // The claim goes with the bucket and its objects (reclaim policy Delete), the keys' users and
    // Secrets with it.
    delete: (scope, ref) => base.delete(scope, ref),

    listKeys: (scope, ref) => {
      const row = buckets.get(deps.store.db, scope.projectId, ref.id);
      return row.keys.map((key) => presentKey(row, key));
    },

    async createKey(scope, input) {
      const row = writable(buckets.get(deps.store.db, scope.projectId, input.id));
      // A key is a user of the store the bucket is bound in: none to give one to before that.
      if (row.state !== 'active')
        throw conflict(
          `bucket ${row.name} is ${row.state}, not active: create access keys once the object store has made it`,
        );
      if (row.keys.length >= MAX_KEYS_PER_BUCKET)
        throw conflict(
          `bucket ${row.name} has ${MAX_KEYS_PER_BUCKET} access keys, the most it may hold; revoke one first`,
        );
      const accessKeyId = newAccessKeyId();
      const secretAccessKey = newSecretAccessKey();
      // The Secret first: a key recorded is a key the cluster holds. Should the write below fail,
      // the Secret is an orphan of the bucket, pruned at its next reconcile.
      await deps.runtime.writeSecret(bucketKeySecret(row, accessKeyId, secretAccessKey));
      const record: BucketKeyRecord = {
        accessKeyId,
        name: input.name,
        secretSha256: sha256(secretAccessKey),
        createdAt: new Date().toISOString(),
      };
      let updated = row;
      base.commit(scope, (db) => {
        const current = writable(buckets.get(db, scope.projectId, input.id));
        updated = buckets.update(db, scope.projectId, input.id, { keys: [...current.keys, record] });
        return updated;
      });
      return { ...presentKey(updated, record), secretAccessKey };
    },

    revokeKey(scope, ref) {
      let revoked: BucketAccessKey | undefined;
      base.commit(scope, (db) => {
        const row = writable(buckets.get(db, scope.projectId, ref.id));
        const key = row.keys.find((k) => k.accessKeyId === ref.accessKeyId);
        if (!key) throw notFound('access key', ref.accessKeyId, 'accessKeyId');
        revoked = presentKey(row, key);
        return buckets.update(db, scope.projectId, ref.id, {
          keys: row.keys.filter((k) => k.accessKeyId !== ref.accessKeyId),
        });
      });
      return { ...revoked!, ready: false };
    },
  };
};
