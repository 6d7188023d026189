// The simulated Rook object store with a real S3 server behind it (the Versity S3 Gateway of
// tooling/s3-real, built from Go modules): a bound claim is a real bucket with a real owner, a
// Ready user's keys sign real requests, the claim's policy is what the server enforces, and a
// deleted user or claim is gone from the server. Real tier only (it needs the Go build).
import { AwsClient } from 'aws4fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Real, type S3RealServer } from '@uncloud/s3-real';
import { createNamespace, startSim, waitFor, type TestCluster } from './helpers.ts';

let s3: S3RealServer;
let t: TestCluster;
const namespace = 'obc-real';
beforeAll(async () => {
  s3 = await startS3Real();
  t = await startSim({ controllerDelayMs: 5, objectStore: s3 });
  await createNamespace(t, namespace);
});
afterAll(async () => {
  await t?.stop();
  await s3?.stop();
});

const obc = { group: 'objectbucket.io', version: 'v1alpha1', namespace, plural: 'objectbucketclaims' };
const users = { group: 'ceph.rook.io', version: 'v1', namespace, plural: 'cephobjectstoreusers' };
type Obj = { metadata: { finalizers?: string[] }; status?: { phase?: string } };
const decoded = (data: Record<string, string> | undefined) =>
  Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
const phaseOf = async (api: typeof obc | typeof users, name: string) =>
  ((await t.custom.getNamespacedCustomObject({ ...api, name })) as Obj).status?.phase;
const gone = async (api: typeof obc | typeof users, name: string) => {
  try {
    await t.custom.getNamespacedCustomObject({ ...api, name });
    return undefined;
  } catch {
    return true;
  }
};

/** A signed request as a key holder makes it; answers the status and the S3 error code. */
const as = async (access: string, secret: string, method: string, path: string, body?: string) => {
  const client = new AwsClient({
    accessKeyId: access,
    secretAccessKey: secret,
    service: 's3',
    region: 'us-east-1',
    retries: 0,
  });
  const res = await client.fetch(`${s3.endpoint}${path}`, {
    method,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  return { status: res.status, code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? '', text };
};

const user = async (name: string, access: string, secret: string) => {
  await t.core.createNamespacedSecret({
    namespace,
    body: {
      metadata: {
        name: `rook-ceph-object-user-uncloud-objects-${name}`,
        annotations: { 'administration.rook.io/source-of-truth': 'secret' },
      },
      type: 'kubernetes.io/rook',
      stringData: { AccessKey: access, SecretKey: secret },
    },
  });
  await t.custom.createNamespacedCustomObject({
    ...users,
    body: {
      apiVersion: 'ceph.rook.io/v1',
      kind: 'CephObjectStoreUser',
      metadata: { name },
      spec: { store: 'uncloud-objects' },
    },
  });
  await waitFor(async () => ((await phaseOf(users, name)) === 'Ready' ? true : undefined));
};

const policyFor = (bucket: string, ...uids: string[]) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: uids.map((u) => `arn:aws:iam:::user/${u}`) },
        Action: ['s3:*'],
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
      },
    ],
  });

describe('the simulated object store on a real S3 server', () => {
  it("makes the claim's bucket there, owned by the keys in the claim's Secret, at the ConfigMap's address", async () => {
    await t.custom.createNamespacedCustomObject({
      ...obc,
      body: {
        apiVersion: 'objectbucket.io/v1alpha1',
        kind: 'ObjectBucketClaim',
        metadata: { name: 'owned' },
        spec: { bucketName: 'owned-1', storageClassName: 'uncloud-buckets' },
      },
    });
    await waitFor(async () => ((await phaseOf(obc, 'owned')) === 'Bound' ? true : undefined));
    const claim = (await t.custom.getNamespacedCustomObject({ ...obc, name: 'owned' })) as Obj;
    expect(claim.metadata.finalizers).toEqual(['objectbucket.io/finalizer']);
    const config = await t.core.readNamespacedConfigMap({ name: 'owned', namespace });
    expect(`http://${config.data?.BUCKET_HOST}:${config.data?.BUCKET_PORT}`).toBe(s3.endpoint);
    const keys = decoded((await t.core.readNamespacedSecret({ name: 'owned', namespace })).data);
    const put = await as(keys.AWS_ACCESS_KEY_ID!, keys.AWS_SECRET_ACCESS_KEY!, 'PUT', '/owned-1/hello', 'hi');
    expect(put.status).toBe(200);
    const wrong = await as(keys.AWS_ACCESS_KEY_ID!, 'not-the-secret', 'GET', '/owned-1/hello');
    expect(wrong.code).toBe('SignatureDoesNotMatch');
  });

  it("enforces the claim's bucket policy: the users it names get in, others do not, and a changed policy applies", async () => {
    await user('reader', 'READERKEY0000000001', 'reader-secret-0000000000000000000000001');
    await user('stranger', 'STRANGERKEY00000001', 'stranger-secret-000000000000000000000001');
    await t.custom.createNamespacedCustomObject({
      ...obc,
      body: {
        apiVersion: 'objectbucket.io/v1alpha1',
        kind: 'ObjectBucketClaim',
        metadata: { name: 'shared' },
        spec: {
          bucketName: 'shared-1',
          storageClassName: 'uncloud-buckets',
          additionalConfig: { bucketPolicy: policyFor('shared-1', 'reader') },
        },
      },
    });
    await waitFor(async () => ((await phaseOf(obc, 'shared')) === 'Bound' ? true : undefined));
    const reader = () =>
      as('READERKEY0000000001', 'reader-secret-0000000000000000000000001', 'PUT', '/shared-1/r', 'r');
    const stranger = () =>
      as('STRANGERKEY00000001', 'stranger-secret-000000000000000000000001', 'PUT', '/shared-1/s', 's');
    expect((await reader()).status).toBe(200);
    expect((await stranger()).code).toBe('AccessDenied');

    const patched = await t.request(
      `/apis/objectbucket.io/v1alpha1/namespaces/${namespace}/objectbucketclaims/shared`,
      {
        method: 'PATCH',
        contentType: 'application/merge-patch+json',
        body: JSON.stringify({
          spec: { additionalConfig: { bucketPolicy: policyFor('shared-1', 'stranger') } },
        }),
      },
    );
    expect(patched.status).toBe(200);
    await waitFor(async () => ((await stranger()).status === 200 ? true : undefined));
    expect((await reader()).code).toBe('AccessDenied');
  });

  it("deletes a user's keys with the user, and a claim's bucket with its objects", async () => {
    await user('leaving', 'LEAVINGKEY000000001', 'leaving-secret-0000000000000000000000001');
    expect(
      (await as('LEAVINGKEY000000001', 'leaving-secret-0000000000000000000000001', 'GET', '/')).status,
    ).toBe(200);
    await t.custom.deleteNamespacedCustomObject({ ...users, name: 'leaving' });
    await waitFor(() => gone(users, 'leaving'));
    expect(
      (await as('LEAVINGKEY000000001', 'leaving-secret-0000000000000000000000001', 'GET', '/')).code,
    ).toBe('InvalidAccessKeyId');

    const keys = decoded((await t.core.readNamespacedSecret({ name: 'owned', namespace })).data);
    await t.custom.deleteNamespacedCustomObject({ ...obc, name: 'owned' });
    await waitFor(() => gone(obc, 'owned'));
    const root = await as(s3.accessKeyId, s3.secretAccessKey, 'HEAD', '/owned-1');
    expect(root.status).toBe(404);
    expect((await as(keys.AWS_ACCESS_KEY_ID!, keys.AWS_SECRET_ACCESS_KEY!, 'GET', '/')).code).toBe(
      'InvalidAccessKeyId',
    );
    // The provisioner let go of its Secret and ConfigMap, which went with the claim.
    await waitFor(async () => {
      const left = await t.core.listNamespacedSecret({ namespace, fieldSelector: 'metadata.name=owned' });
      return left.items.length === 0 ? true : undefined;
    });
  });
});
