import type { BucketId, ProjectId } from '@uncloud/sdk';
import { CREATE_ONLY, REVISION, type KubeObject, metadata, objectName } from './meta.ts';

/**
 * Where buckets live: a Rook-Ceph object store (RGW). Its bucket StorageClass provisions
 * ObjectBucketClaims; CephObjectStoreUsers in the projects' namespaces are the extra access keys
 * (the store allows users in other namespaces: `spec.allowUsersInNamespaces`). See
 * docs/kubernetes.md, "Object storage".
 */
export const OBJECT_STORE = 'uncloud-objects';
export const BUCKET_STORAGE_CLASS = 'uncloud-buckets';
/** The store's S3 endpoint inside the cluster (Rook's RGW Service), path-style. */
export const OBJECT_STORE_ENDPOINT = `http://rook-ceph-rgw-${OBJECT_STORE}.rook-ceph.svc:80`;
/** RGW's default zonegroup answers to any region; S3 clients sign for this one. */
export const OBJECT_STORE_REGION = 'us-east-1';

/** Rook reads a user's keys from this Secret when it says it is the source of truth. */
export const ROOK_KEYS_SOURCE = 'administration.rook.io/source-of-truth';

export interface BucketIntent {
  id: BucketId;
  projectId: ProjectId;
  name: string;
  /** Access key ids not revoked, oldest first. */
  accessKeyIds: string[];
}

const ownerOf = (bucket: BucketIntent) => ({
  kind: 'bucket' as const,
  id: bucket.id,
  projectId: bucket.projectId,
  name: bucket.name,
});

/**
 * The bucket's name in the object store: fixed from its id (globally unique, a valid S3 name), so
 * its address is known before the claim binds and never changes.
 */
export const s3BucketName = (id: BucketId) => objectName(id);

/** The object store user of an access key: its name is the key's, lower-cased (a DNS label). */
export const bucketKeyUserName = (accessKeyId: string) => `uckey-${accessKeyId.toLowerCase()}`;

/** The Secret Rook takes a user's keys from (`rook-ceph-object-user-<store>-<user>`). */
export const bucketKeySecretName = (accessKeyId: string) =>
  `rook-ceph-object-user-${OBJECT_STORE}-${bucketKeyUserName(accessKeyId)}`;

/**
 * The bucket's policy: its access keys' users may do anything to the bucket and its objects, and
 * nothing else (their users own no buckets). The claim's own user owns the bucket already.
 */
export const bucketPolicy = (bucket: BucketIntent) => {
  const name = s3BucketName(bucket.id);
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: bucket.accessKeyIds.map((key) => `arn:aws:iam:::user/${bucketKeyUserName(key)}`) },
        Action: ['s3:*'],
        Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`],
      },
    ],
  });
};

/**
 * A bucket is an ObjectBucketClaim (deleted with its objects: the StorageClass's reclaim policy is
 * Delete) and, per access key, a CephObjectStoreUser that the bucket's policy lets in. The
 * provisioner writes the claim's own Secret and ConfigMap; the keys' Secrets are written by the API
 * when a key is made (see `bucketKeySecret`).
 */
export const bucketManifests = (bucket: BucketIntent): KubeObject[] => [
  {
    apiVersion: 'objectbucket.io/v1alpha1',
    kind: 'ObjectBucketClaim',
    metadata: metadata(ownerOf(bucket), objectName(bucket.id)),
    spec: {
      bucketName: s3BucketName(bucket.id),
      storageClassName: BUCKET_STORAGE_CLASS,
      ...(bucket.accessKeyIds.length > 0 ? { additionalConfig: { bucketPolicy: bucketPolicy(bucket) } } : {}),
    },
  },
  ...bucket.accessKeyIds.map((key): KubeObject => ({
    apiVersion: 'ceph.rook.io/v1',
    kind: 'CephObjectStoreUser',
    metadata: metadata(ownerOf(bucket), bucketKeyUserName(key)),
    spec: {
      store: OBJECT_STORE,
      // It owns no bucket: it reaches this one through the bucket's policy alone.
      displayName: `${bucket.name} (${key})`,
    },
  })),
];

/**
 * An access key's Secret, which Rook sets the user's keys from. The API writes it with the secret
 * it answers once; the sync engine writes it only if it is missing (with a secret nobody knows, so
 * the key stops working rather than take a secret the API never gave). Create-only, so the engine
 * never replaces the API's.
 */
export const bucketKeySecret = (
  bucket: Pick<BucketIntent, 'id' | 'projectId' | 'name'>,
  accessKeyId: string,
  secretAccessKey: string,
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: metadata(ownerOf({ ...bucket, accessKeyIds: [] }), bucketKeySecretName(accessKeyId), {
    annotations: { [ROOK_KEYS_SOURCE]: 'secret', [CREATE_ONLY]: 'true', [REVISION]: '1' },
  }),
  type: 'kubernetes.io/rook',
  stringData: { AccessKey: accessKeyId, SecretKey: secretAccessKey, Endpoint: OBJECT_STORE_ENDPOINT },
});
