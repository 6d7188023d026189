import { describe, expect, it, vi } from 'vitest';
import { bucketsRepository, tables } from '@uncloud/db';
import { bucketSecret, useStoreWithBucket } from '../test-support/bucket-store.ts';
import { namespaceName, objectName } from '@uncloud/kube';
import type { StoredObject } from '../backup-size/object-store.ts';
import { backupBucket, backupBucketId, ids } from '../test-support/rows.ts';
import { type BucketUsageSamplerOptions, createBucketUsageSampler } from './sampler.ts';

const intents = useStoreWithBucket('assets');

const usageOf = () => bucketsRepository.byId(intents.store.db, backupBucketId)!;

const sampler = (
  usage: (o: StoredObject) => Promise<{ objects: number; bytes: number }>,
  patch: Partial<BucketUsageSamplerOptions> = {},
) => {
  const recorded: string[] = [];
  const warn = vi.fn();
  const s = createBucketUsageSampler({
    store: intents.store,
    logger: { info: () => undefined, warn, debug: () => undefined },
    objects: { usage },
    getSecret: async (ns, name) =>
      ns === namespaceName(ids.project) && name === objectName(backupBucketId) ? bucketSecret : undefined,
    isLeader: () => true,
    recorded: (row) => recorded.push(row.id),
    ...patch,
  });
  return { s, recorded, warn };
};

describe('the bucket usage sampler', () => {
  it('lists each active bucket with its own keys and records what it holds, telling the feed only of a change', async () => {
    const asked: StoredObject[] = [];
    const { s, recorded } = sampler(async (o) => {
      asked.push(o);
      return { objects: 3, bytes: 4096 };
    });
    await s.sampleAll();
    expect(asked).toEqual([
      expect.objectContaining({
        endpoint: backupBucket.endpoint,
        bucket: backupBucket.bucketName,
        credentials: { accessKeyId: 'AKIA1', secretAccessKey: 's3cr3t' },
      }),
    ]);
    expect(usageOf()).toMatchObject({ usageObjects: 3, usageBytes: 4096 });
    expect(recorded).toEqual([backupBucketId]);
    await s.sampleAll();
    expect(recorded).toHaveLength(1);
  });

  it('keeps the last usage while the store cannot be listed, and says why once', async () => {
    let answer: Error | { objects: number; bytes: number } = { objects: 1, bytes: 10 };
    const { s, warn } = sampler(async () => {
      if (answer instanceof Error) throw answer;
      return answer;
    });
    await s.sampleAll();
    answer = new Error('connect ECONNREFUSED');
    await s.sampleAll();
    await s.sampleAll();
    expect(usageOf()).toMatchObject({ usageObjects: 1, usageBytes: 10 });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatchObject({ err: 'connect ECONNREFUSED' });
    answer = { objects: 0, bytes: 0 };
    await s.sampleAll();
    expect(usageOf()).toMatchObject({ usageObjects: 0, usageBytes: 0 });
  });

  it('leaves buckets not active, and does nothing unless it leads', async () => {
    const usage = vi.fn(async () => ({ objects: 1, bytes: 1 }));
    await sampler(usage, { isLeader: () => false }).s.sampleAll();
    expect(usage).not.toHaveBeenCalled();
    intents.store.db.update(tables.buckets).set({ state: 'provisioning' }).run();
    await sampler(usage).s.sampleAll();
    expect(usage).not.toHaveBeenCalled();
    expect(usageOf().usageObjects).toBeNull();
  });

  it('stops listing when stopped: the call in flight is aborted and nothing is written after', async () => {
    let signal: AbortSignal | undefined;
    const { s } = sampler(
      (o) =>
        new Promise((resolve, reject) => {
          signal = o.signal;
          const late = setTimeout(() => resolve({ objects: 9, bytes: 9 }), 5_000);
          o.signal?.addEventListener('abort', () => {
            clearTimeout(late);
            reject(new Error('aborted'));
          });
        }),
    );
    const round = s.sampleAll();
    await vi.waitFor(() => expect(signal).toBeDefined());
    await s.stop();
    await round;
    expect(signal!.aborted).toBe(true);
    expect(usageOf().usageObjects).toBeNull();
  });
});
