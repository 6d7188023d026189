import { afterEach, describe, expect, it } from 'vitest';
import { databaseBackupsRepository, tables } from '@uncloud/db';
import { useStoreWithBucket } from '../test-support/bucket-store.ts';
import { type KubeObject, namespaceName, objectName } from '@uncloud/kube';
import { waitFor } from '@uncloud/testing';
import { type SyncEngine, createSyncEngine } from '../engine.ts';
import { fakeGateway } from '../test-support/fake-gateway.ts';
import { backupBucket, databaseBackupRow, ids } from '../test-support/rows.ts';
import { settle } from '../test-support/settle.ts';
import type { BackupObjectStore, StoredObject } from './object-store.ts';

const intents = useStoreWithBucket();
let engine: SyncEngine | undefined;

afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

/** A store that answers nothing until the call is aborted: one that cannot be reached. */
const unanswering = () => {
  const calls: StoredObject[] = [];
  const hang = (o: StoredObject) =>
    new Promise<never>((_, reject) => {
      calls.push(o);
      o.signal?.addEventListener('abort', () => reject(new Error('aborted')));
    });
  const objects: BackupObjectStore = { text: hang, size: hang, remove: hang };
  return { objects, calls };
};

describe('the sync engine and backups in buckets', () => {
  it('reconciles a completed backup without waiting on its bucket, and stops at once all the same', async () => {
    const fake = fakeGateway({ onApply: settle });
    fake.put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: objectName(backupBucket.id), namespace: namespaceName(ids.project) },
      data: {
        AWS_ACCESS_KEY_ID: Buffer.from('AKIA1').toString('base64'),
        AWS_SECRET_ACCESS_KEY: Buffer.from('s3cr3t').toString('base64'),
      },
    } as KubeObject);
    const store_ = unanswering();
    const row = databaseBackupRow({
      engine: 'mysql',
      state: 'provisioning',
      phase: 'completed',
      generation: 2,
    });
    intents.store.db.insert(tables.databaseBackups).values(row).run();
    engine = createSyncEngine({
      store: intents.store,
      gateway: fake.gateway,
      logger: { info: () => undefined, warn: () => undefined, debug: () => undefined },
      settings: { storageClass: undefined, ingressClass: undefined, policyFlavour: 'kubernetes' },
      intervalMs: 3_600_000,
      pollMs: 10,
      backupObjects: store_.objects,
      backupObjectsTiming: { tickMs: 10 },
    });
    await engine.start();
    engine.enqueue('project', ids.project);
    engine.enqueue('databaseBackup', row.id);
    // The size read has started and hangs; the reconcile has finished regardless.
    await waitFor(() => (store_.calls.length > 0 ? true : undefined), { timeout: 10_000, interval: 10 });
    await waitFor(
      () => {
        const now = databaseBackupsRepository.byId(intents.store.db, row.id)!;
        return now.observedGeneration === now.generation && now.state === 'active' ? true : undefined;
      },
      { timeout: 10_000, interval: 10 },
    );
    await engine.queue.idle();
    expect(databaseBackupsRepository.byId(intents.store.db, row.id)).toMatchObject({
      sizeBytes: null,
      sizeNote: null,
    });
    const stopping = Date.now();
    await engine.stop();
    engine = undefined;
    expect(Date.now() - stopping).toBeLessThan(2_000);
  });
});
