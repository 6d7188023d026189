// Buckets through the API on the simulated cluster, whose object store binds ObjectBucketClaims of
// its Rook bucket class and readies CephObjectStoreUsers. No S3 server runs here, so what is checked
// is what the object store is given: the claim, the users, their keys' Secrets and the bucket policy.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import {
  type KindName,
  type KubeObject,
  bucketKeySecretName,
  namespaceName,
  objectName,
} from '@uncloud/kube';
import type { BucketId, ProjectId, UncloudClient } from '@uncloud/sdk';
import { failure } from './errors.ts';

let stack: Stack;
let c: UncloudClient;
let projectId: ProjectId;
let namespace: string;

beforeAll(async () => {
  stack = await startStack();
  c = stack.client;
  projectId = (await c.projects.create.mutate({ name: 'objects', description: '' })).id;
  namespace = namespaceName(projectId);
});
afterAll(() => stack?.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = KubeObject & Record<string, any>;
const object = (kind: KindName, name: string) =>
  stack.kube!.get(kind, namespace, name) as Promise<Loose | null>;
const fast = { timeoutMs: 20_000, intervalMs: 50 };
const secretData = (secret: Loose) =>
  Object.fromEntries(
    Object.entries(secret.data as Record<string, string>).map(([k, v]) => [
      k,
      Buffer.from(v, 'base64').toString(),
    ]),
  );
/** Polls until `read` gives something, or fails after the deadline. */
const eventually = async <T>(read: () => Promise<T | null | undefined>): Promise<T> => {
  const deadline = Date.now() + fast.timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, fast.intervalMs));
  }
};

const activeBucket = async (name: string) => {
  const bucket = await c.buckets.create.mutate({ projectId, name });
  expect(bucket).toMatchObject({ name, state: 'pending', bucketName: null, endpoint: null, keyCount: 0 });
  return c.waitFor(c.buckets, { projectId, id: bucket.id }, 'active', fast);
};

describe('a bucket', () => {
  it('is an ObjectBucketClaim that the object store binds, with its S3 name and endpoint', async () => {
    const bucket = await activeBucket('assets');
    expect(bucket).toMatchObject({
      bucketName: objectName(bucket.id),
      // The simulated cluster's own S3 server, which S3 clients reach (buckets-s3.test.ts).
      endpoint: stack.sim!.objectStore!.info.endpoint,
      region: 'us-east-1',
      usage: null,
    });
    const claim = (await object('ObjectBucketClaim', objectName(bucket.id)))!;
    expect(claim.spec).toEqual({ bucketName: objectName(bucket.id), storageClassName: 'uncloud-buckets' });
    expect(claim.status.phase).toBe('Bound');
    // The provisioner's own credentials for the bucket, named after the claim.
    const owners = (await object('Secret', objectName(bucket.id)))!;
    expect(Object.keys(secretData(owners)).sort()).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
    const listed = await c.buckets.list.query({ projectId });
    expect(listed.items.map((b) => b.id)).toContain(bucket.id);
  });

  it('refuses a name already taken in the project, naming the field', async () => {
    await c.buckets.create.mutate({ projectId, name: 'taken' });
    const refused = await failure(c.buckets.create.mutate({ projectId, name: 'taken' }));
    expect(refused.data).toMatchObject({ code: 'CONFLICT', field: 'name' });
    const bad = await failure(c.buckets.create.mutate({ projectId, name: 'Not_A_Name' }));
    expect(bad.data).toMatchObject({ code: 'BAD_REQUEST', field: 'name' });
  });
});

describe("a bucket's access keys", () => {
  let bucketId: BucketId;
  beforeAll(async () => {
    bucketId = (await activeBucket('keyed')).id;
  });

  it('answers the secret once, keeps it only in the Secret Rook reads, and lets the key in by policy', async () => {
    const key = await c.buckets.createKey.mutate({ projectId, id: bucketId, name: 'ci' });
    expect(key.accessKeyId).toMatch(/^UC[A-Z0-9]{18}$/);
    expect(key.secretAccessKey).toHaveLength(40);

    const secret = (await object('Secret', bucketKeySecretName(key.accessKeyId)))!;
    expect(secret.metadata.annotations?.['administration.rook.io/source-of-truth']).toBe('secret');
    expect(secretData(secret)).toMatchObject({ AccessKey: key.accessKeyId, SecretKey: key.secretAccessKey });

    const user = await eventually(async () => {
      const u = await object('CephObjectStoreUser', `uckey-${key.accessKeyId.toLowerCase()}`);
      return u?.status?.phase === 'Ready' ? u : null;
    });
    expect(user.spec.store).toBe('uncloud-objects');
    // The Secret the API wrote is the one Rook used: the engine never replaced it.
    const kept = (await object('Secret', bucketKeySecretName(key.accessKeyId)))!;
    expect(secretData(kept).SecretKey).toBe(key.secretAccessKey);

    const claim = (await object('ObjectBucketClaim', objectName(bucketId)))!;
    const policy = JSON.parse(claim.spec.additionalConfig.bucketPolicy as string);
    expect(policy.Statement[0].Principal.AWS).toEqual([
      `arn:aws:iam:::user/uckey-${key.accessKeyId.toLowerCase()}`,
    ]);

    const keys = await eventually(async () => {
      const listed = await c.buckets.listKeys.query({ projectId, id: bucketId });
      return listed.every((k) => k.ready) ? listed : null;
    });
    expect(keys).toEqual([
      { accessKeyId: key.accessKeyId, bucketId, name: 'ci', ready: true, createdAt: key.createdAt },
    ]);
    // Never the secret again: not listed, not in the bucket, and not stored (only its hash).
    const text = JSON.stringify([keys, await c.buckets.get.query({ projectId, id: bucketId })]);
    expect(text).not.toContain(key.secretAccessKey);
    const stored = JSON.stringify(
      stack.api.store.sqlite.prepare('select keys from buckets where id = ?').get(bucketId),
    );
    expect(stored).not.toContain(key.secretAccessKey);
    expect(stored).toContain(createHash('sha256').update(key.secretAccessKey).digest('hex'));
  });

  it('revokes a key: its user and Secret go, and it leaves the policy', async () => {
    const kept = await c.buckets.createKey.mutate({ projectId, id: bucketId, name: 'kept' });
    const gone = await c.buckets.createKey.mutate({ projectId, id: bucketId, name: 'gone' });
    const userOf = (k: string) => `uckey-${k.toLowerCase()}`;
    await eventually(() => object('CephObjectStoreUser', userOf(gone.accessKeyId)));

    const revoked = await c.buckets.revokeKey.mutate({
      projectId,
      id: bucketId,
      accessKeyId: gone.accessKeyId,
    });
    expect(revoked).toMatchObject({ accessKeyId: gone.accessKeyId, name: 'gone', ready: false });
    await eventually(async () =>
      (await object('CephObjectStoreUser', userOf(gone.accessKeyId))) === null ? true : null,
    );
    await eventually(async () =>
      (await object('Secret', bucketKeySecretName(gone.accessKeyId))) === null ? true : null,
    );
    expect(await object('Secret', bucketKeySecretName(kept.accessKeyId))).not.toBeNull();
    const claim = (await object('ObjectBucketClaim', objectName(bucketId)))!;
    const principals = JSON.parse(claim.spec.additionalConfig.bucketPolicy as string).Statement[0].Principal
      .AWS;
    expect(principals).toContain(`arn:aws:iam:::user/${userOf(kept.accessKeyId)}`);
    expect(principals).not.toContain(`arn:aws:iam:::user/${userOf(gone.accessKeyId)}`);
    const listed = await c.buckets.listKeys.query({ projectId, id: bucketId });
    expect(listed.map((k) => k.accessKeyId)).not.toContain(gone.accessKeyId);

    const again = await failure(
      c.buckets.revokeKey.mutate({ projectId, id: bucketId, accessKeyId: gone.accessKeyId }),
    );
    expect(again.data).toMatchObject({ code: 'NOT_FOUND', field: 'accessKeyId' });
  });
});

describe('a bucket the object store has not made', () => {
  it('refuses access keys until it is active, saying why', async () => {
    const apart = await startStack({ cluster: false });
    try {
      const p = await apart.client.projects.create.mutate({ name: 'no-cluster' });
      const bucket = await apart.client.buckets.create.mutate({ projectId: p.id, name: 'waiting' });
      const refused = await failure(
        apart.client.buckets.createKey.mutate({ projectId: p.id, id: bucket.id, name: 'ci' }),
      );
      expect(refused.data.code).toBe('CONFLICT');
      expect(refused.message).toBe(
        'bucket waiting is pending, not active: create access keys once the object store has made it',
      );
    } finally {
      await apart.close();
    }
  });
});

describe('deleting a bucket', () => {
  it('deletes its claim, its keys’ users and Secrets, and then the bucket', async () => {
    const bucket = await activeBucket('doomed');
    const key = await c.buckets.createKey.mutate({ projectId, id: bucket.id, name: 'ci' });
    await eventually(() => object('CephObjectStoreUser', `uckey-${key.accessKeyId.toLowerCase()}`));

    const deleting = await c.buckets.delete.mutate({ projectId, id: bucket.id });
    expect(deleting.state).toBe('deleting');
    await c.waitFor(c.buckets, { projectId, id: bucket.id }, 'gone', fast);
    expect(await object('ObjectBucketClaim', objectName(bucket.id))).toBeNull();
    expect(await object('CephObjectStoreUser', `uckey-${key.accessKeyId.toLowerCase()}`)).toBeNull();
    await eventually(async () =>
      (await object('Secret', bucketKeySecretName(key.accessKeyId))) === null ? true : null,
    );
    const late = await failure(c.buckets.createKey.mutate({ projectId, id: bucket.id, name: 'late' }));
    expect(late.data.code).toBe('NOT_FOUND');
  });
});

describe("another project's member", () => {
  it('cannot see, key or delete the bucket: it answers as a bucket that does not exist', async () => {
    const bucket = await c.buckets.create.mutate({ projectId, name: 'private' });
    const { token } = await c.users.create.mutate({ name: 'outsider' });
    const outsider = stack.clientWith(token.token);
    const own = await outsider.projects.create.mutate({ name: 'elsewhere' });
    expect((await outsider.buckets.list.query({ projectId: own.id })).items).toEqual([]);
    for (const call of [
      outsider.buckets.get.query({ projectId, id: bucket.id }),
      outsider.buckets.get.query({ projectId: own.id, id: bucket.id }),
      outsider.buckets.listKeys.query({ projectId: own.id, id: bucket.id }),
      outsider.buckets.createKey.mutate({ projectId: own.id, id: bucket.id, name: 'steal' }),
      outsider.buckets.delete.mutate({ projectId: own.id, id: bucket.id }),
    ])
      expect((await failure(call)).data.code).toBe('NOT_FOUND');
    expect((await c.buckets.get.query({ projectId, id: bucket.id })).state).not.toBe('deleting');
  });

  it('a viewer of the project may list keys but not make one', async () => {
    const bucket = await c.buckets.create.mutate({ projectId, name: 'viewed' });
    const { user, token } = await c.users.create.mutate({ name: 'onlooker' });
    await c.projects.addMember.mutate({ projectId, userId: user.id, role: 'viewer' });
    const viewer = stack.clientWith(token.token);
    expect(await viewer.buckets.listKeys.query({ projectId, id: bucket.id })).toEqual([]);
    const refused = await failure(
      viewer.buckets.createKey.mutate({ projectId, id: bucket.id, name: 'mine' }),
    );
    expect(refused.data.code).toBe('FORBIDDEN');
  });
});
