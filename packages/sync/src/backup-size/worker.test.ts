import { beforeEach, describe, expect, it } from 'vitest';
import { databaseBackupsRepository, tables } from '@uncloud/db';
import { bucketSecret, useStoreWithBucket } from '../test-support/bucket-store.ts';

import { DatabaseBackupId } from '@uncloud/sdk';
import { databaseBackupReconciler } from '../kinds/database-backup.ts';
import { fakeStore } from '../test-support/backup-store.ts';
import { backupBucket, databaseBackupRow } from '../test-support/rows.ts';
import type { BackupObjectStore, StoredObject } from './object-store.ts';
import { type BackupObjectsWorkerOptions, createBackupObjectsWorker, retryDelay } from './worker.ts';

const intents = useStoreWithBucket();
let clock: number;
beforeEach(() => {
  clock = Date.parse('2026-12-02T18:00:00Z');
});

const dir_ = `${backupBucket.bucketName}/databases/db-bbbbbbbbbbbbbbbbbbbb/base/20261202T171500/`;
const infoKey = `${dir_}backup.info`;
const quiet = { info: () => undefined, warn: () => undefined, debug: () => undefined };

const worker = (objects: BackupObjectStore, patch: Partial<BackupObjectsWorkerOptions> = {}) => {
  const removed: string[] = [];
  const w = createBackupObjectsWorker({
    store: intents.store,
    logger: quiet,
    objects,
    getSecret: async () => bucketSecret,
    isLeader: () => true,
    hasClusterObjects: () => false,
    dataRemoved: (row) => removed.push(row.id),
    now: () => clock,
    ...patch,
  });
  return { w, removed };
};

const insert = (patch: Parameters<typeof databaseBackupRow>[0] = {}) => {
  const row = databaseBackupRow({
    state: 'active',
    phase: 'completed',
    dataLocation: `s3://${dir_}`,
    ...patch,
  });
  intents.store.db.insert(tables.databaseBackups).values(row).run();
  return row.id;
};
const read = (id: ReturnType<typeof insert>) => databaseBackupsRepository.byId(intents.store.db, id)!;
const step = async (w: ReturnType<typeof worker>['w']) => {
  w.tick();
  await w.settled();
};

/** A store that fails `failures` times with `error`, then holds `objects`. */
const flaky = (failures: number, error: Error, objects: Record<string, string>) => {
  const fake = fakeStore(objects);
  let left = failures;
  const calls: StoredObject[] = [];
  const guard =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
    async (...args: A) => {
      calls.push(args[0] as StoredObject);
      if (left > 0) {
        left--;
        throw error;
      }
      return run(...args);
    };
  const objectsStore: BackupObjectStore = {
    text: guard(fake.store.text),
    size: guard(fake.store.size),
    remove: guard(fake.store.remove),
  };
  return { store: objectsStore, calls, objects: fake.objects };
};

describe('retryDelay', () => {
  it('is 30 s, doubling, at most an hour', () => {
    const delays = [1, 2, 3, 4, 7, 8, 20].map((n) => retryDelay(n, 30_000, 3_600_000));
    expect(delays).toEqual([30_000, 60_000, 120_000, 240_000, 1_920_000, 3_600_000, 3_600_000]);
  });
});

describe('the backup objects worker: sizes', () => {
  it('retries a failed read with backoff, says why meanwhile, and stops once read', async () => {
    const fake = flaky(2, new Error('connect ECONNREFUSED 10.0.0.9:80'), { [infoKey]: 'size=4096' });
    const { w } = worker(fake.store);
    const id = insert();

    await step(w);
    expect(fake.calls).toHaveLength(1);
    expect(read(id)).toMatchObject({ sizeBytes: null, state: 'active', syncError: null });
    expect(read(id).sizeNote).toMatch(
      /^unknown: the object store could not be read from where Uncloud runs \(.*\): connect ECONNREFUSED 10\.0\.0\.9:80 \(tried 1 time\(s\); trying again at 2026-12-02T18:00:30\.000Z\)$/,
    );

    // Not before its time.
    clock += 29_000;
    await step(w);
    expect(fake.calls).toHaveLength(1);
    clock += 1_000;
    await step(w);
    expect(fake.calls).toHaveLength(2);
    expect(read(id).sizeNote).toContain('(tried 2 time(s); trying again at 2026-12-02T18:01:30.000Z)');

    clock += 59_000;
    await step(w);
    expect(fake.calls).toHaveLength(2);
    clock += 1_000;
    await step(w);
    expect(read(id)).toMatchObject({ sizeBytes: 4096, sizeNote: null });

    // Read: never again.
    clock += 7_200_000;
    await step(w);
    expect(fake.calls).toHaveLength(3);
  });

  it('reads nothing before a backup completes, nor as a follower', async () => {
    const fake = flaky(0, new Error('unused'), { [infoKey]: 'size=1' });
    insert({ phase: 'running', state: 'provisioning' });
    const { w } = worker(fake.store, { isLeader: () => false });
    await step(w);
    intents.store.db.update(tables.databaseBackups).set({ phase: 'completed', state: 'active' }).run();
    await step(w);
    expect(fake.calls).toHaveLength(0);
    await step(worker(fake.store).w);
    expect(fake.calls).toHaveLength(1);
  });

  it('reads at most `concurrency` backups at once', async () => {
    let open = 0;
    let most = 0;
    const release: (() => void)[] = [];
    const slow: BackupObjectStore = {
      text: () =>
        new Promise((resolve) => {
          open++;
          most = Math.max(most, open);
          release.push(() => {
            open--;
            resolve('size=1');
          });
        }),
      size: async () => 1,
      remove: async () => 0,
    };
    for (let i = 0; i < 6; i++)
      insert({ id: DatabaseBackupId.parse(`dbb_jjjjjjjjjjjjjjjjjjj${i}`), name: `b-${i}` });
    const { w } = worker(slow, { concurrency: 2 });
    w.tick();
    w.tick();
    expect(w.inFlight()).toBe(2);
    const measured = () =>
      databaseBackupsRepository.all(intents.store.db).filter((b) => b.sizeBytes !== null).length;
    for (let turns = 0; measured() < 6 && turns < 1_000; turns++) {
      release.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
      w.tick();
    }
    await w.settled();
    expect(most).toBe(2);
    expect(databaseBackupsRepository.all(intents.store.db).every((b) => b.sizeBytes === 1)).toBe(true);
  });
});

describe('the backup objects worker: deletes', () => {
  it("removes a deleted backup's data once its cluster objects are gone, retrying while the store is down", async () => {
    const fake = flaky(1, new Error('getaddrinfo ENOTFOUND rook-ceph-rgw'), {
      [infoKey]: 'size=1',
      [`${dir_}data.tar`]: 'x',
    });
    let objectsLeft = true;
    const { w, removed } = worker(fake.store, { hasClusterObjects: () => objectsLeft });
    const id = insert({ state: 'deleting', sizeBytes: 1 });

    await step(w);
    expect(fake.calls).toHaveLength(0);
    objectsLeft = false;
    await step(w);
    expect(read(id)).toMatchObject({ state: 'deleting', dataDeletedAt: null });
    expect(read(id).syncError).toMatch(
      /^its data is still in the bucket, not deleted yet: the object store could not be reached from where Uncloud runs \(s3:\/\/.*\/base\/20261202T171500\/ at .*\): getaddrinfo ENOTFOUND rook-ceph-rgw \(tried 1 time\(s\); trying again at 2026-12-02T18:00:30\.000Z\)$/,
    );
    expect(removed).toEqual([]);

    clock += 30_000;
    await step(w);
    expect(fake.objects).toEqual({});
    expect(read(id)).toMatchObject({ state: 'deleting', syncError: null, dataDeletedAt: new Date(clock) });
    expect(removed).toEqual([id]);
    await step(w);
    expect(fake.calls).toHaveLength(2);
  });

  it('has nothing to remove when the bucket is gone', async () => {
    const fake = flaky(0, new Error('unused'), {});
    const { w, removed } = worker(fake.store);
    const id = insert({ state: 'deleting' });
    intents.store.db.delete(tables.buckets).run();
    await step(w);
    expect(fake.calls).toHaveLength(0);
    expect(read(id).dataDeletedAt).not.toBeNull();
    expect(removed).toEqual([id]);
  });
});

describe("a deleted backup's row", () => {
  it('goes only once its data is removed from the bucket', async () => {
    const { w } = worker(fakeStore({ [infoKey]: 'size=1' }).store);
    const id = insert({ state: 'deleting' });
    databaseBackupReconciler.remove(intents.store.db, id);
    expect(read(id)).toBeDefined();
    await step(w);
    databaseBackupReconciler.remove(intents.store.db, id);
    expect(databaseBackupsRepository.byId(intents.store.db, id)).toBeUndefined();
  });
});
