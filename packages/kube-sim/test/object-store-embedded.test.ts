// The simulated cluster's own S3 server (src/object-store/), used when no real one is configured:
// a bound claim's bucket holds objects there for the claim's keys, every request's SigV4 signature
// is checked, ListObjectsV2 pages as S3 does, and a deleted claim takes its bucket and owner.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsClient } from 'aws4fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, startSim, waitFor, type TestCluster } from './helpers.ts';

let t: TestCluster;
let endpoint: string;
const namespace = 's3';
beforeAll(async () => {
  t = await startSim({ controllerDelayMs: 5 });
  await createNamespace(t, namespace);
  endpoint = t.info.objectStore!.endpoint;
});
afterAll(() => t?.stop());

const obc = { group: 'objectbucket.io', version: 'v1alpha1', namespace, plural: 'objectbucketclaims' };
const decoded = (data: Record<string, string> | undefined) =>
  Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));

/** A bound claim's bucket and an S3 client signing with its owner's keys. */
const boundBucket = async (name: string) => {
  await t.custom.createNamespacedCustomObject({
    ...obc,
    body: {
      apiVersion: 'objectbucket.io/v1alpha1',
      kind: 'ObjectBucketClaim',
      metadata: { name },
      spec: { bucketName: name, storageClassName: 'uncloud-buckets' },
    },
  });
  await waitFor(async () => {
    const claim = (await t.custom.getNamespacedCustomObject({ ...obc, name })) as {
      status?: { phase?: string };
    };
    return claim.status?.phase === 'Bound' ? true : undefined;
  });
  const keys = decoded((await t.core.readNamespacedSecret({ name, namespace })).data);
  return { keys, client: signer(keys.AWS_ACCESS_KEY_ID!, keys.AWS_SECRET_ACCESS_KEY!) };
};
const signer = (accessKeyId: string, secretAccessKey: string) =>
  new AwsClient({ accessKeyId, secretAccessKey, service: 's3', region: 'us-east-1', retries: 0 });
const root = () => signer(t.info.objectStore!.accessKeyId, t.info.objectStore!.secretAccessKey);
const code = async (response: Response) =>
  /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1] ?? `HTTP ${response.status}`;
const keysIn = (xml: string, tag: 'Key' | 'Prefix') =>
  [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]);

describe("the simulated cluster's S3 server", () => {
  it("takes, lists, gives and deletes objects with the claim's keys", async () => {
    const { client } = await boundBucket('photos');
    for (const key of ['cats/tom.txt', 'cats/felix.txt', 'dogs/rex.txt', 'top.txt']) {
      const put = await client.fetch(`${endpoint}/photos/${key}`, { method: 'PUT', body: `hello ${key}` });
      expect(put.status).toBe(200);
      expect(put.headers.get('etag')).toBe(`"${createHash('md5').update(`hello ${key}`).digest('hex')}"`);
    }
    const got = await client.fetch(`${endpoint}/photos/cats/tom.txt`);
    expect(await got.text()).toBe('hello cats/tom.txt');
    const ranged = await client.fetch(`${endpoint}/photos/cats/tom.txt`, { headers: { range: 'bytes=0-4' } });
    expect([ranged.status, await ranged.text()]).toEqual([206, 'hello']);

    // Two at a time: three pages, the continuation token taking each on from the last.
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const query = new URLSearchParams({
        'list-type': '2',
        'max-keys': '2',
        ...(token ? { 'continuation-token': token } : {}),
      });
      const xml = await (await client.fetch(`${endpoint}/photos?${query}`)).text();
      seen.push(...keysIn(xml, 'Key').map(String));
      token = /<NextContinuationToken>([^<]+)</.exec(xml)?.[1];
      expect(xml).toContain(`<IsTruncated>${token ? 'true' : 'false'}</IsTruncated>`);
    } while (token);
    expect(seen).toEqual(['cats/felix.txt', 'cats/tom.txt', 'dogs/rex.txt', 'top.txt']);

    // With a delimiter, a "folder" is one common prefix.
    const folders = await (await client.fetch(`${endpoint}/photos?list-type=2&delimiter=/`)).text();
    expect(keysIn(folders, 'Key')).toEqual(['top.txt']);
    expect(keysIn(folders, 'Prefix').filter(Boolean)).toEqual(['cats/', 'dogs/']);

    const removed = await client.fetch(`${endpoint}/photos?delete`, {
      method: 'POST',
      body: '<Delete><Object><Key>cats/felix.txt</Key></Object><Object><Key>top.txt</Key></Object></Delete>',
    });
    expect(await removed.text()).toContain('<Deleted><Key>cats/felix.txt</Key></Deleted>');
    expect((await client.fetch(`${endpoint}/photos/top.txt`, { method: 'DELETE' })).status).toBe(204);
    const missing = await client.fetch(`${endpoint}/photos/top.txt`);
    expect([missing.status, await code(missing)]).toEqual([404, 'NoSuchKey']);
    expect(t.sim.objects.keys('photos')).toEqual(['cats/tom.txt', 'dogs/rex.txt']);
  });

  it("refuses a wrong secret, an unknown key, an unsigned request, another bucket's key and a changed body", async () => {
    const { keys, client } = await boundBucket('ledger');
    const { client: other } = await boundBucket('other');
    const url = `${endpoint}/ledger/a.txt`;
    expect((await client.fetch(url, { method: 'PUT', body: 'a' })).status).toBe(200);
    const forged = signer(keys.AWS_ACCESS_KEY_ID!, 'not-the-secret');
    const cases: [Promise<Response>, number, string][] = [
      [forged.fetch(url), 403, 'SignatureDoesNotMatch'],
      [signer('AKIANOBODY0000000000', 'x').fetch(url), 403, 'InvalidAccessKeyId'],
      [fetch(url), 403, 'AccessDenied'],
      [other.fetch(url), 403, 'AccessDenied'],
      [other.fetch(`${endpoint}/ledger?list-type=2`), 403, 'AccessDenied'],
      [client.fetch(`${endpoint}/nowhere?list-type=2`), 404, 'NoSuchBucket'],
      [client.fetch(`${endpoint}/ledger/%E0%A4%A`), 400, 'InvalidURI'],
      // Only the administrator makes buckets.
      [client.fetch(`${endpoint}/mine`, { method: 'PUT' }), 403, 'AccessDenied'],
      [
        client.fetch(url, {
          method: 'PUT',
          body: 'changed',
          headers: { 'x-amz-content-sha256': createHash('sha256').update('signed').digest('hex') },
        }),
        400,
        'XAmzContentSHA256Mismatch',
      ],
    ];
    for (const [call, status, want] of cases) {
      const response = await call;
      expect([response.status, await code(response)]).toEqual([status, want]);
    }
    expect((await root().fetch(`${endpoint}/made-by-admin`, { method: 'PUT' })).status).toBe(200);
    expect(await (await client.fetch(url)).text()).toBe('a');
  });

  it('takes a presigned URL until it expires, and not one whose signature was changed', async () => {
    const { client } = await boundBucket('shared');
    expect((await client.fetch(`${endpoint}/shared/report.pdf`, { method: 'PUT', body: 'pdf' })).status).toBe(
      200,
    );
    const presign = async (url: string, datetime?: string) =>
      (await client.sign(url, { aws: { signQuery: true, ...(datetime ? { datetime } : {}) } })).url;
    const link = await presign(`${endpoint}/shared/report.pdf?X-Amz-Expires=300`);
    const anyone = await fetch(link);
    expect([anyone.status, await anyone.text()]).toEqual([200, 'pdf']);
    const expired = await fetch(
      await presign(`${endpoint}/shared/report.pdf?X-Amz-Expires=300`, '20200101T000000Z'),
    );
    expect([expired.status, await code(expired)]).toEqual([403, 'AccessDenied']);
    const otherKey = await fetch(link.replace('report.pdf', 'other.pdf'));
    expect([otherKey.status, await code(otherKey)]).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it('purges a deleted claim’s bucket and forgets its owner', async () => {
    const { client } = await boundBucket('doomed');
    expect((await client.fetch(`${endpoint}/doomed/x`, { method: 'PUT', body: 'x' })).status).toBe(200);
    await t.custom.deleteNamespacedCustomObject({ ...obc, name: 'doomed' });
    await waitFor(async () =>
      (await root().fetch(`${endpoint}/doomed`, { method: 'HEAD' })).status === 404 ? true : undefined,
    );
    expect(await code(await client.fetch(`${endpoint}/doomed?list-type=2`))).toBe('InvalidAccessKeyId');
    expect(t.sim.objects.keys('doomed')).toEqual([]);
  });

  it("comes back after a restart on the same port, with the claims' buckets and keys made again, empty", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uncloud-s3-restart-'));
    try {
      const dataFile = join(dir, 'cluster.db');
      const first = await startSim({ controllerDelayMs: 5, dataFile });
      await createNamespace(first, namespace);
      await first.custom.createNamespacedCustomObject({
        ...obc,
        body: {
          apiVersion: 'objectbucket.io/v1alpha1',
          kind: 'ObjectBucketClaim',
          metadata: { name: 'kept' },
          spec: { bucketName: 'kept', storageClassName: 'uncloud-buckets' },
        },
      });
      await waitFor(async () => {
        const claim = (await first.custom.getNamespacedCustomObject({ ...obc, name: 'kept' })) as {
          status?: { phase?: string };
        };
        return claim.status?.phase === 'Bound' ? true : undefined;
      });
      const keys = decoded((await first.core.readNamespacedSecret({ name: 'kept', namespace })).data);
      const owner = signer(keys.AWS_ACCESS_KEY_ID!, keys.AWS_SECRET_ACCESS_KEY!);
      const before = first.info.objectStore!.endpoint;
      expect((await owner.fetch(`${before}/kept/x`, { method: 'PUT', body: 'x' })).status).toBe(200);
      await first.stop();

      const again = await startSim({ controllerDelayMs: 5, dataFile });
      try {
        expect(again.info.objectStore!.endpoint).toBe(before);
        // The provisioner makes the owner and the bucket again (its calls are idempotent).
        const listed = await waitFor(async () => {
          const response = await owner.fetch(`${before}/kept?list-type=2`);
          return response.status === 200 ? response.text() : undefined;
        });
        expect(listed).toContain('<KeyCount>0</KeyCount>');
      } finally {
        await again.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
