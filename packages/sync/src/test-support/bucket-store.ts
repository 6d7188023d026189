import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { type IntentStore, openIntentStore, tables } from '@uncloud/db';
import { type KubeObject, namespaceName, objectName } from '@uncloud/kube';
import { backupBucket, backupBucketId, ids } from './rows.ts';

/**
 * Registers hooks that give each test a fresh intent store holding the test project and its active
 * bucket (`backupBucket`), closed and removed after it. Read `.store` inside tests and hooks.
 */
export const useStoreWithBucket = (bucketName = 'backups'): { readonly store: IntentStore } => {
  let dir: string | undefined;
  let store: IntentStore | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'uncloud-bucket-store-'));
    store = openIntentStore(join(dir, 'uncloud.db'));
    store.db
      .insert(tables.projects)
      .values({ id: ids.project, name: 'p', purpose: 'test', namespace: namespaceName(ids.project) })
      .run();
    store.db
      .insert(tables.buckets)
      .values({
        ...backupBucket,
        id: backupBucketId,
        projectId: ids.project,
        name: bucketName,
        state: 'active',
      })
      .run();
  });
  afterEach(() => {
    store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    [store, dir] = [undefined, undefined];
  });
  return {
    get store() {
      if (!store) throw new Error('the store exists only while a test runs');
      return store;
    },
  };
};

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** The bucket claim's Secret as the provisioner writes it: the bucket's S3 keys, base64-encoded. */
export const bucketSecret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: objectName(backupBucketId), namespace: namespaceName(ids.project) },
  data: { AWS_ACCESS_KEY_ID: b64('AKIA1'), AWS_SECRET_ACCESS_KEY: b64('s3cr3t') },
} as KubeObject;
