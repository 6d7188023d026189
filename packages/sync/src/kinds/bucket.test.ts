import { describe, expect, it } from 'vitest';
import type { BucketRow } from '@uncloud/db';
import type { KubeObject } from '@uncloud/kube';
import { BucketId } from '@uncloud/sdk';
import { bucketReconciler } from './bucket.ts';
import { fakeLookup, ids, settings } from '../test-support/rows.ts';

const bucketId = BucketId.parse('bkt_kkkkkkkkkkkkkkkkkkkk');
const at = new Date('2025-01-01T00:00:00Z');
const key = (accessKeyId: string) => ({
  accessKeyId,
  name: 'ci',
  secretSha256: 'x'.repeat(64),
  createdAt: at.toISOString(),
});

const bucketRow = (patch: Partial<BucketRow> = {}): BucketRow => ({
  id: bucketId,
  projectId: ids.project,
  name: 'assets',
  keys: [],
  state: 'provisioning',
  bucketName: null,
  endpoint: null,
  readyKeys: [],
  usageObjects: null,
  usageBytes: null,
  generation: 1,
  observedGeneration: 1,
  observedAt: at,
  syncError: null,
  createdAt: at,
  updatedAt: at,
  deletedAt: null,
  ...patch,
});

const objectsOf = (row: BucketRow) => {
  const desired = bucketReconciler.desired(fakeLookup(), row, settings);
  if ('waitingFor' in desired) throw new Error('waiting');
  return desired.objects;
};

describe('bucket desired', () => {
  it('waits for the project namespace', () => {
    expect(bucketReconciler.desired(fakeLookup({ namespaceReady: false }), bucketRow(), settings)).toEqual({
      waitingFor: "the project's namespace",
    });
  });

  it('is an ObjectBucketClaim of the bucket StorageClass, named after its id, without keys no policy', () => {
    expect(objectsOf(bucketRow())).toEqual([
      {
        apiVersion: 'objectbucket.io/v1alpha1',
        kind: 'ObjectBucketClaim',
        metadata: expect.objectContaining({
          name: 'bkt-kkkkkkkkkkkkkkkkkkkk',
          namespace: 'uc-proj-aaaaaaaaaaaaaaaaaaaa',
          labels: expect.objectContaining({
            'uncloud.dev/kind': 'bucket',
            'uncloud.dev/resource-id': bucketId,
          }),
        }),
        spec: { bucketName: 'bkt-kkkkkkkkkkkkkkkkkkkk', storageClassName: 'uncloud-buckets' },
      },
    ]);
  });

  it('gives each access key a Rook user, a create-only keys Secret, and a place in the bucket policy', () => {
    const objects = objectsOf(
      bucketRow({ keys: [key('UCAAAAAAAAAAAAAAAAAA'), key('UCBBBBBBBBBBBBBBBBBB')] }),
    );
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ObjectBucketClaim/bkt-kkkkkkkkkkkkkkkkkkkk',
      'CephObjectStoreUser/uckey-ucaaaaaaaaaaaaaaaaaa',
      'CephObjectStoreUser/uckey-ucbbbbbbbbbbbbbbbbbb',
      'Secret/rook-ceph-object-user-uncloud-objects-uckey-ucaaaaaaaaaaaaaaaaaa',
      'Secret/rook-ceph-object-user-uncloud-objects-uckey-ucbbbbbbbbbbbbbbbbbb',
    ]);
    const policy = JSON.parse(
      String(
        (objects[0]!.spec as { additionalConfig: { bucketPolicy: string } }).additionalConfig.bucketPolicy,
      ),
    );
    expect(policy.Statement[0]).toMatchObject({
      Effect: 'Allow',
      Principal: {
        AWS: [
          'arn:aws:iam:::user/uckey-ucaaaaaaaaaaaaaaaaaa',
          'arn:aws:iam:::user/uckey-ucbbbbbbbbbbbbbbbbbb',
        ],
      },
      Resource: ['arn:aws:s3:::bkt-kkkkkkkkkkkkkkkkkkkk', 'arn:aws:s3:::bkt-kkkkkkkkkkkkkkkkkkkk/*'],
    });
    expect(objects[1]!.spec).toEqual({
      store: 'uncloud-objects',
      displayName: 'assets (UCAAAAAAAAAAAAAAAAAA)',
    });
    const secret = objects[3]!;
    expect(secret.metadata.annotations).toMatchObject({
      'uncloud.dev/create-only': 'true',
      'administration.rook.io/source-of-truth': 'secret',
    });
    expect(secret).toMatchObject({
      type: 'kubernetes.io/rook',
      stringData: { AccessKey: 'UCAAAAAAAAAAAAAAAAAA' },
    });
  });
});

const claim = (phase?: string): KubeObject => ({
  apiVersion: 'objectbucket.io/v1alpha1',
  kind: 'ObjectBucketClaim',
  metadata: { name: 'bkt-kkkkkkkkkkkkkkkkkkkk' },
  ...(phase ? { status: { phase } } : {}),
});
const user = (name: string, phase: string): KubeObject => ({
  apiVersion: 'ceph.rook.io/v1',
  kind: 'CephObjectStoreUser',
  metadata: { name },
  status: { phase },
});

describe('bucket observe', () => {
  const row = bucketRow({ keys: [key('UCAAAAAAAAAAAAAAAAAA'), key('UCBBBBBBBBBBBBBBBBBB')] });
  it.each([
    ['no claim yet', [], 'provisioning', null],
    ['a claim not bound', [claim('Pending')], 'provisioning', null],
    ['a bound claim', [claim('Bound')], 'active', 'bkt-kkkkkkkkkkkkkkkkkkkk'],
    ['a failed claim', [claim('Failed')], 'error', null],
  ] as const)('%s', (_, objects, state, bucketName) => {
    const seen = bucketReconciler.observe(row, [...objects]);
    expect(seen.state).toBe(state);
    expect(seen.values.bucketName).toBe(bucketName);
    expect(seen.values.endpoint).toBe(
      bucketName ? 'http://rook-ceph-rgw-uncloud-objects.rook-ceph.svc:80' : null,
    );
    expect(seen.error !== undefined).toBe(state === 'error');
  });

  it('counts a key ready once its user is Ready', () => {
    const seen = bucketReconciler.observe(row, [
      claim('Bound'),
      user('uckey-ucaaaaaaaaaaaaaaaaaa', 'Ready'),
      user('uckey-ucbbbbbbbbbbbbbbbbbb', 'ReconcileFailed'),
    ]);
    expect(seen.values.readyKeys).toEqual(['UCAAAAAAAAAAAAAAAAAA']);
  });
});
