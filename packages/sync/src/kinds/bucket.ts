import { randomBytes } from 'node:crypto';
import { type BucketRow, bucketsRepository } from '@uncloud/db';
import {
  OBJECT_STORE_ENDPOINT,
  bucketKeySecret,
  bucketKeyUserName,
  bucketManifests,
  namespaceName,
  s3BucketName,
} from '@uncloud/kube';
import { statusOf } from './status.ts';
import { waitingForNamespace, type KindReconciler, byKind, firstOf } from './types.ts';

const intentOf = (row: BucketRow) => ({
  id: row.id,
  projectId: row.projectId,
  name: row.name,
  accessKeyIds: row.keys.map((k) => k.accessKeyId),
});

/**
 * A bucket is an ObjectBucketClaim, bound by the object store's provisioner, and per access key a
 * CephObjectStoreUser with the Secret Rook takes its keys from. The API writes each key's Secret
 * before it records the key; here the Secret is created only if missing (create-only: never
 * re-applied, so the secret the API answered stays), and pruned with the user when the key is
 * revoked.
 */
export const bucketReconciler: KindReconciler<BucketRow> = {
  kind: 'bucket',
  ownedKinds: ['ObjectBucketClaim', 'CephObjectStoreUser', 'Secret'],
  runtimeKinds: [],
  find: (db, id) => bucketsRepository.byId(db, id),
  all: (db) => bucketsRepository.all(db),
  namespaceOf: (row) => namespaceName(row.projectId),

  desired(lookup, row) {
    if (!lookup.namespaceReady(row.projectId)) return waitingForNamespace;
    const intent = intentOf(row);
    return {
      objects: [
        ...bucketManifests(intent),
        ...intent.accessKeyIds.map((key) =>
          // Only written if the API's is gone: a secret nobody knows, so the key stops working.
          bucketKeySecret(intent, key, randomBytes(30).toString('base64url')),
        ),
      ],
    };
  },

  observe(row, objects, settings) {
    const claim = firstOf(objects, 'ObjectBucketClaim');
    const phase = statusOf(claim, 'ObjectBucketClaim').phase;
    const bound = phase === 'Bound';
    const readyUsers = new Set(
      byKind(objects, 'CephObjectStoreUser')
        .filter((u) => statusOf(u, 'CephObjectStoreUser').phase === 'Ready')
        .map((u) => u.metadata.name),
    );
    return {
      state: phase === 'Failed' ? 'error' : bound ? 'active' : 'provisioning',
      values: {
        bucketName: bound ? s3BucketName(row.id) : null,
        endpoint: bound ? (settings?.objectStoreEndpoint ?? OBJECT_STORE_ENDPOINT) : null,
        readyKeys: row.keys.map((k) => k.accessKeyId).filter((key) => readyUsers.has(bucketKeyUserName(key))),
      },
      ...(phase === 'Failed'
        ? { error: 'the object store could not make the bucket (its claim failed); delete it and try again' }
        : {}),
    };
  },

  record: (db, id, values) => bucketsRepository.recordSync(db, id, values),
  remove: (db, id) => void bucketsRepository.remove(db, id),
  touch: (db, ids, at) => bucketsRepository.touchObserved(db, ids, at),
};
