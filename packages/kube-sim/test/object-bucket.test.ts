// The simulated Rook-Ceph object store: ObjectBucketClaims of its bucket class are bound with the
// provisioner's Secret and ConfigMap (pointing at the cluster's own S3 server); others stay
// Pending; users are readied, keeping keys they were given.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, startSim, waitFor, type TestCluster } from './helpers.ts';

let t: TestCluster;
const namespace = 'obc';
beforeAll(async () => {
  t = await startSim({ controllerDelayMs: 5 });
  await createNamespace(t, namespace);
});
afterAll(() => t?.stop());

const obc = { group: 'objectbucket.io', version: 'v1alpha1', namespace, plural: 'objectbucketclaims' };
const users = { group: 'ceph.rook.io', version: 'v1', namespace, plural: 'cephobjectstoreusers' };
type Obj = { metadata: { uid: string }; spec: Record<string, unknown>; status?: { phase?: string } };
const claim = (name: string, spec: Record<string, unknown>) =>
  t.custom.createNamespacedCustomObject({
    ...obc,
    body: { apiVersion: 'objectbucket.io/v1alpha1', kind: 'ObjectBucketClaim', metadata: { name }, spec },
  });
const phaseOf = async (api: typeof obc | typeof users, name: string) =>
  ((await t.custom.getNamespacedCustomObject({ ...api, name })) as Obj).status?.phase;
const decoded = (data: Record<string, string> | undefined) =>
  Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));

describe('the simulated object store', () => {
  it("binds a claim of Rook's bucket class, with the bucket's keys and address under the claim's name", async () => {
    await claim('photos', { bucketName: 'photos-1', storageClassName: 'uncloud-buckets' });
    await waitFor(async () => ((await phaseOf(obc, 'photos')) === 'Bound' ? true : undefined));
    const uid = ((await t.custom.getNamespacedCustomObject({ ...obc, name: 'photos' })) as Obj).metadata.uid;
    const secret = await t.core.readNamespacedSecret({ name: 'photos', namespace });
    expect(Object.keys(decoded(secret.data)).sort()).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
    expect(secret.metadata?.ownerReferences?.[0]?.uid).toBe(uid);
    const config = await t.core.readNamespacedConfigMap({ name: 'photos', namespace });
    // The cluster's own S3 server, which now holds the bucket, owned by the claim's key.
    const endpoint = new URL(t.info.objectStore!.endpoint);
    expect(config.data).toMatchObject({
      BUCKET_HOST: endpoint.hostname,
      BUCKET_NAME: 'photos-1',
      BUCKET_PORT: endpoint.port,
    });
    expect(t.sim.objectStore?.buckets.get('photos-1')?.owner).toBe(decoded(secret.data).AWS_ACCESS_KEY_ID);
  });

  it('leaves a claim of a class no bucket provisioner serves Pending', async () => {
    await claim('stray', { generateBucketName: 'stray', storageClassName: 'local-path' });
    await waitFor(async () => ((await phaseOf(obc, 'stray')) === 'Pending' ? true : undefined));
    await expect(t.core.readNamespacedSecret({ name: 'stray', namespace })).rejects.toThrow();
  });

  it('readies a user and keeps the keys its Secret already holds', async () => {
    await t.core.createNamespacedSecret({
      namespace,
      body: {
        metadata: {
          name: 'rook-ceph-object-user-uncloud-objects-ci',
          annotations: { 'administration.rook.io/source-of-truth': 'secret' },
        },
        type: 'kubernetes.io/rook',
        stringData: { AccessKey: 'UCAAAAAAAAAAAAAAAAAA', SecretKey: 'given', Endpoint: 'http://x' },
      },
    });
    await t.custom.createNamespacedCustomObject({
      ...users,
      body: {
        apiVersion: 'ceph.rook.io/v1',
        kind: 'CephObjectStoreUser',
        metadata: { name: 'ci' },
        spec: { store: 'uncloud-objects', displayName: 'ci' },
      },
    });
    await waitFor(async () => ((await phaseOf(users, 'ci')) === 'Ready' ? true : undefined));
    const secret = await t.core.readNamespacedSecret({
      name: 'rook-ceph-object-user-uncloud-objects-ci',
      namespace,
    });
    expect(decoded(secret.data)).toMatchObject({ AccessKey: 'UCAAAAAAAAAAAAAAAAAA', SecretKey: 'given' });
  });
});
