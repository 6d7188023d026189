// Buckets against an S3 server, with `@aws-sdk/client-s3`: what a person with the keys Uncloud
// answered can and cannot do, and what database backups leave in a bucket. One body for two stores:
// the simulated cluster's own S3 server (buckets-s3.test.ts, in `npm test`) and a real one, the
// Versity S3 Gateway built from Go modules (buckets-s3.real.test.ts). Either way the provisioner
// makes the bucket, its owner and every access key's user in the store, and sets the claim's bucket
// policy; the store checks every request's SigV4 signature against the users it holds.
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '@uncloud/api/testing';
import { namespaceName, objectName } from '@uncloud/kube';
import type { Bucket, BucketId, ProjectId, UncloudClient } from '@uncloud/sdk';

/** Where the store's S3 API is, and its administrator's keys (to look into any bucket). */
export interface S3Store {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface StackOnS3 {
  stack: Stack;
  store: S3Store;
  /** Stops what the set-up started besides the stack. */
  stop?: () => Promise<void>;
}

export function describeBucketsOnS3(label: string, start: () => Promise<StackOnS3>): void {
  let s3: S3Store;
  let started: StackOnS3 | undefined;
  let stack: Stack;
  let c: UncloudClient;
  let projectId: ProjectId;
  let otherProjectId: ProjectId;

  beforeAll(async () => {
    started = await start();
    ({ stack, store: s3 } = started);
    c = stack.client;
    projectId = (await c.projects.create.mutate({ name: 'objects-real', description: '' })).id;
    otherProjectId = (await c.projects.create.mutate({ name: 'objects-other', description: '' })).id;
  });
  afterAll(async () => {
    await started?.stack.close();
    await started?.stop?.();
  });

  const fast = { timeoutMs: 30_000, intervalMs: 50 };

  /** An S3 client as a user of the bucket would make one: the bucket's endpoint, region and a key. */
  const clientFor = (bucket: Bucket, accessKeyId: string, secretAccessKey: string) =>
    new S3Client({
      endpoint: bucket.endpoint!,
      region: bucket.region,
      forcePathStyle: true,
      credentials: { accessKeyId, secretAccessKey },
      maxAttempts: 1,
    });
  const root = () =>
    new S3Client({
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      maxAttempts: 1,
    });

  /** The S3 error code a call fails with, or `ok`. */
  const outcome = async (call: Promise<unknown>) => {
    try {
      await call;
      return 'ok';
    } catch (error) {
      return (error as { name: string }).name;
    }
  };

  /** Polls until `check` answers `want` (the policy and users reach the store after the key is made). */
  const eventually = async (check: () => Promise<string>, want: string) => {
    const deadline = Date.now() + fast.timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = await check();
      if (last === want) return;
      await new Promise((resolve) => setTimeout(resolve, fast.intervalMs));
    }
    throw new Error(`still ${last}, not ${want}, after ${fast.timeoutMs} ms`);
  };

  const activeBucket = async (project: ProjectId, name: string) => {
    const created = await c.buckets.create.mutate({ projectId: project, name });
    return c.waitFor(c.buckets, { projectId: project, id: created.id }, 'active', fast);
  };

  const readyKey = async (project: ProjectId, id: BucketId, name: string) => {
    const key = await c.buckets.createKey.mutate({ projectId: project, id, name });
    await eventually(async () => {
      const keys = await c.buckets.listKeys.query({ projectId: project, id });
      return keys.find((k) => k.accessKeyId === key.accessKeyId)?.ready ? 'ready' : 'pending';
    }, 'ready');
    return key;
  };

  describe(`a bucket on ${label}`, () => {
    it('is there, at the endpoint Uncloud answers, under its S3 name', async () => {
      const bucket = await activeBucket(projectId, 'made');
      expect(bucket.endpoint).toBe(s3.endpoint);
      expect(bucket.region).toBe('us-east-1');
      expect(await outcome(root().send(new HeadBucketCommand({ Bucket: bucket.bucketName! })))).toBe('ok');
    });

    it("takes and gives objects with a key Uncloud answered, and refuses a wrong secret and another project's key", async () => {
      const bucket = await activeBucket(projectId, 'photos');
      const key = await readyKey(projectId, bucket.id, 'app');
      const s3c = clientFor(bucket, key.accessKeyId, key.secretAccessKey);
      const Bucket = bucket.bucketName!;
      await eventually(
        () => outcome(s3c.send(new PutObjectCommand({ Bucket, Key: 'cats/tom.txt', Body: 'meow' }))),
        'ok',
      );
      await s3c.send(new PutObjectCommand({ Bucket, Key: 'cats/felix.txt', Body: 'purr' }));
      const got = await s3c.send(new GetObjectCommand({ Bucket, Key: 'cats/tom.txt' }));
      expect(await got.Body!.transformToString()).toBe('meow');
      const listed = await s3c.send(new ListObjectsV2Command({ Bucket, Prefix: 'cats/' }));
      expect(listed.Contents?.map((o) => o.Key)).toEqual(['cats/felix.txt', 'cats/tom.txt']);
      await s3c.send(new DeleteObjectCommand({ Bucket, Key: 'cats/felix.txt' }));
      expect((await s3c.send(new ListObjectsV2Command({ Bucket }))).KeyCount).toBe(1);

      // The right key id with a secret it was not given: the signature does not match.
      const forged = clientFor(
        bucket,
        key.accessKeyId,
        key.secretAccessKey.replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A')),
      );
      expect(await outcome(forged.send(new GetObjectCommand({ Bucket, Key: 'cats/tom.txt' })))).toBe(
        'SignatureDoesNotMatch',
      );

      // A working key of another project's bucket reaches its own bucket and not this one.
      const theirs = await activeBucket(otherProjectId, 'theirs');
      const theirKey = await readyKey(otherProjectId, theirs.id, 'them');
      const them = clientFor(theirs, theirKey.accessKeyId, theirKey.secretAccessKey);
      await eventually(
        () => outcome(them.send(new PutObjectCommand({ Bucket: theirs.bucketName!, Key: 'x', Body: 'x' }))),
        'ok',
      );
      expect(await outcome(them.send(new GetObjectCommand({ Bucket, Key: 'cats/tom.txt' })))).toBe(
        'AccessDenied',
      );
      expect(await outcome(them.send(new PutObjectCommand({ Bucket, Key: 'evil', Body: 'x' })))).toBe(
        'AccessDenied',
      );
      expect(await outcome(them.send(new ListObjectsV2Command({ Bucket })))).toBe('AccessDenied');
      // …nor does the first key reach theirs.
      expect(await outcome(s3c.send(new GetObjectCommand({ Bucket: theirs.bucketName!, Key: 'x' })))).toBe(
        'AccessDenied',
      );
    });

    it('says what it holds, as the sync engine lists it: objects and bytes', async () => {
      const bucket = await activeBucket(projectId, 'measured');
      const key = await readyKey(projectId, bucket.id, 'writer');
      const s3c = clientFor(bucket, key.accessKeyId, key.secretAccessKey);
      const Bucket = bucket.bucketName!;
      expect(bucket.usage).toBeNull();
      await eventually(
        () => outcome(s3c.send(new PutObjectCommand({ Bucket, Key: 'a.txt', Body: 'x'.repeat(1000) }))),
        'ok',
      );
      await s3c.send(new PutObjectCommand({ Bucket, Key: 'logs/b.txt', Body: 'y'.repeat(24) }));
      await stack.api.sync!.sampleBucketUsage();
      expect((await c.buckets.get.query({ projectId, id: bucket.id })).usage).toEqual({
        objects: 2,
        bytes: 1024,
      });
      await s3c.send(new DeleteObjectCommand({ Bucket, Key: 'a.txt' }));
      await stack.api.sync!.sampleBucketUsage();
      expect((await c.buckets.get.query({ projectId, id: bucket.id })).usage).toEqual({
        objects: 1,
        bytes: 24,
      });
    });

    it('refuses a revoked key, while the bucket’s other key goes on working', async () => {
      const bucket = await activeBucket(projectId, 'rotated');
      const Bucket = bucket.bucketName!;
      const old = await readyKey(projectId, bucket.id, 'old');
      const kept = await readyKey(projectId, bucket.id, 'new');
      const oldClient = clientFor(bucket, old.accessKeyId, old.secretAccessKey);
      const keptClient = clientFor(bucket, kept.accessKeyId, kept.secretAccessKey);
      const read = (client: S3Client) => outcome(client.send(new ListObjectsV2Command({ Bucket })));
      await eventually(() => read(oldClient), 'ok');
      await eventually(() => read(keptClient), 'ok');

      await c.buckets.revokeKey.mutate({ projectId, id: bucket.id, accessKeyId: old.accessKeyId });
      // The key's user is gone from the store: it is not a key the server knows any more.
      await eventually(() => read(oldClient), 'InvalidAccessKeyId');
      expect(await read(keptClient)).toBe('ok');
      // The last key too: the bucket is then reached by no key at all.
      await c.buckets.revokeKey.mutate({ projectId, id: bucket.id, accessKeyId: kept.accessKeyId });
      await eventually(() => read(keptClient), 'InvalidAccessKeyId');
      const claimPhase = async () =>
        String(
          (
            (await stack.kube!.get('ObjectBucketClaim', namespaceName(projectId), objectName(bucket.id))) as {
              status?: { phase?: string };
            } | null
          )?.status?.phase,
        );
      expect(await claimPhase()).toBe('Bound');
    });

    it('deletes a bucket with its objects (reclaim policy Delete purges, as Rook does)', async () => {
      const bucket = await activeBucket(projectId, 'doomed');
      const Bucket = bucket.bucketName!;
      const key = await readyKey(projectId, bucket.id, 'ci');
      const client = clientFor(bucket, key.accessKeyId, key.secretAccessKey);
      await eventually(
        () => outcome(client.send(new PutObjectCommand({ Bucket, Key: 'a', Body: 'a' }))),
        'ok',
      );
      await client.send(new PutObjectCommand({ Bucket, Key: 'b/c', Body: 'c' }));

      await c.buckets.delete.mutate({ projectId, id: bucket.id });
      await c.waitFor(c.buckets, { projectId, id: bucket.id }, 'gone', fast);
      expect(await outcome(root().send(new HeadBucketCommand({ Bucket })))).toBe('NotFound');
      expect(await outcome(client.send(new ListObjectsV2Command({ Bucket })))).toBe('InvalidAccessKeyId');
    });
  });

  describe(`a database backup in a bucket on ${label}`, () => {
    it("has the size Barman's backup.info in the bucket names, read by the sync engine", async () => {
      await c.quotas.update.mutate({ projectId, databases: 5, vcpus: 20, memoryMiB: 32_768, volumeGiB: 500 });
      const bucket = await activeBucket(projectId, 'pg-backups');
      const created = await c.databases.create.mutate({
        projectId,
        name: 'ledger',
        engine: 'postgres',
        size: 'db-s-1vcpu-1gb',
      });
      await c.waitFor(c.databases, { projectId, id: created.id }, 'active', fast);
      await c.databases.configureBackups.mutate({
        projectId,
        id: created.id,
        bucketId: bucket.id,
        schedule: null,
        retentionDays: 7,
      });
      await c.waitFor(c.databases, { projectId, id: created.id }, (d) => d.syncState === 'synced', fast);
      stack.sim!.postgres.write(
        namespaceName(projectId),
        objectName(created.id),
        'entry-1',
        'x'.repeat(1000),
      );

      const taken = await c.databaseBackups.create.mutate({ projectId, databaseId: created.id });
      const backup = await c.waitFor(
        c.databaseBackups,
        { projectId, id: taken.id },
        (b) => b.state === 'active' && b.sizeBytes !== null,
        fast,
      );
      // The same number as the file the backup left (read with the store's own keys).
      const Bucket = bucket.bucketName!;
      const listed = await root().send(
        new ListObjectsV2Command({ Bucket, Prefix: `databases/${objectName(created.id)}/base/` }),
      );
      const key = listed.Contents?.map((o) => o.Key!).find((k) => k.endsWith('/backup.info'));
      expect(key).toMatch(/^databases\/db-[a-z0-9]+\/base\/\d{8}T\d{6}\/backup\.info$/);
      const info = await (
        await root().send(new GetObjectCommand({ Bucket, Key: key }))
      ).Body!.transformToString();
      const size = Number(/^size=(\d+)$/m.exec(info)?.[1]);
      expect(size).toBeGreaterThan(1000);
      expect(backup).toMatchObject({ sizeBytes: size, sizeNote: null, phase: 'completed' });

      // Deleted, its base backup's directory leaves the bucket; the WAL archive other backups and a
      // point in time need stays (retention removes what no backup needs).
      const server = `databases/${objectName(created.id)}`;
      const dataKey = key!.replace(/backup\.info$/, 'data.tar');
      const walKey = `${server}/wals/0000000100000000/000000010000000000000002`;
      await root().send(new PutObjectCommand({ Bucket, Key: dataKey, Body: 'base backup' }));
      await root().send(new PutObjectCommand({ Bucket, Key: walKey, Body: 'wal' }));
      await c.databaseBackups.delete.mutate({ projectId, id: backup.id });
      await c.waitFor(c.databaseBackups, { projectId, id: backup.id }, 'gone', fast);
      const left = await root().send(new ListObjectsV2Command({ Bucket, Prefix: `${server}/` }));
      expect(left.Contents?.map((o) => o.Key)).toEqual([walKey]);
    });

    it("has a MySQL dump's size, and deleting the backup deletes the dump", async () => {
      const bucket = await activeBucket(projectId, 'mysql-backups');
      const created = await c.databases.create.mutate({
        projectId,
        name: 'shop',
        engine: 'mysql',
        size: 'db-s-1vcpu-1gb',
      });
      await c.waitFor(c.databases, { projectId, id: created.id }, 'active', fast);
      await c.databases.configureBackups.mutate({
        projectId,
        id: created.id,
        bucketId: bucket.id,
        schedule: null,
      });
      await c.waitFor(c.databases, { projectId, id: created.id }, (d) => d.syncState === 'synced', fast);
      const taken = await c.databaseBackups.create.mutate({ projectId, databaseId: created.id });
      const backup = await c.waitFor(
        c.databaseBackups,
        { projectId, id: taken.id },
        (b) => b.state === 'active' && b.sizeBytes !== null,
        fast,
      );
      const Bucket = bucket.bucketName!;
      const Prefix = `databases/${objectName(created.id)}/`;
      const dumps = (await root().send(new ListObjectsV2Command({ Bucket, Prefix }))).Contents ?? [];
      expect(dumps.map((o) => o.Key)).toEqual([`${Prefix}${objectName(backup.id)}/dump.sql.gz`]);
      expect(backup.sizeBytes).toBe(dumps[0]!.Size);

      await c.databaseBackups.delete.mutate({ projectId, id: backup.id });
      await c.waitFor(c.databaseBackups, { projectId, id: backup.id }, 'gone', fast);
      expect((await root().send(new ListObjectsV2Command({ Bucket, Prefix }))).Contents ?? []).toEqual([]);
    });

    it('lets its project be deleted once the backup, the database and the bucket are', async () => {
      const doomed = (await c.projects.create.mutate({ name: 'objects-doomed', description: '' })).id;
      const bucket = await activeBucket(doomed, 'backups');
      const created = await c.databases.create.mutate({
        projectId: doomed,
        name: 'short-lived',
        engine: 'postgres',
        size: 'db-s-1vcpu-1gb',
      });
      await c.waitFor(c.databases, { projectId: doomed, id: created.id }, 'active', fast);
      await c.databases.configureBackups.mutate({
        projectId: doomed,
        id: created.id,
        bucketId: bucket.id,
        schedule: null,
      });
      await c.waitFor(
        c.databases,
        { projectId: doomed, id: created.id },
        (d) => d.syncState === 'synced',
        fast,
      );
      const taken = await c.databaseBackups.create.mutate({ projectId: doomed, databaseId: created.id });
      await c.waitFor(
        c.databaseBackups,
        { projectId: doomed, id: taken.id },
        (b) => b.sizeBytes !== null,
        fast,
      );

      // Its data leaves the bucket, so the backup does not stay `deleting`, holding the project.
      await c.databaseBackups.delete.mutate({ projectId: doomed, id: taken.id });
      await c.databases.delete.mutate({ projectId: doomed, id: created.id });
      await c.waitFor(c.databaseBackups, { projectId: doomed, id: taken.id }, 'gone', fast);
      await c.waitFor(c.databases, { projectId: doomed, id: created.id }, 'gone', fast);
      await c.buckets.delete.mutate({ projectId: doomed, id: bucket.id });
      await c.waitFor(c.buckets, { projectId: doomed, id: bucket.id }, 'gone', fast);
      expect(await c.projects.delete.mutate({ projectId: doomed })).toMatchObject({ state: 'deleting' });
    });
  });
}
