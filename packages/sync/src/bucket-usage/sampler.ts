import { type BucketRow, type IntentStore, bucketsRepository, recordBucketUsage } from '@uncloud/db';
import { type KubeObject, namespaceName, objectName } from '@uncloud/kube';
import type { SyncLogger } from '../engine.ts';
import { type BucketLister, bucketCredentials } from '../backup-size/object-store.ts';

export interface BucketUsageSamplerOptions {
  store: IntentStore;
  logger: SyncLogger;
  objects: BucketLister;
  /** Reads the bucket's Secret (its S3 keys, written by the object store's provisioner). */
  getSecret: (namespace: string, name: string) => Promise<KubeObject | undefined>;
  /** Where buckets are reached from this process, over the endpoint each bucket was bound with. */
  objectStoreEndpoint?: string | undefined;
  /** Only the leader lists: one sampler per installation. */
  isLeader(): boolean;
  /** A bucket's usage changed: tell the change feed (the dashboard shows it at once). */
  recorded(row: BucketRow): void;
  /** How often every bucket is listed (default 5 min: a listing reads every key of the bucket). */
  everyMs?: number;
}

/**
 * What each bucket holds (objects and bytes), listed with the bucket's own keys every few minutes,
 * one bucket at a time, off the reconcile. A bucket the store cannot be asked about keeps what was
 * last recorded (null until one listing succeeds); the reason is logged once until it answers.
 */
export const createBucketUsageSampler = (options: BucketUsageSamplerOptions) => {
  const { store, logger } = options;
  const abort = new AbortController();
  const failing = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> | undefined;
  let stopped = false;

  const sample = async (row: BucketRow) => {
    const endpoint = options.objectStoreEndpoint ?? row.endpoint;
    if (!row.bucketName || !endpoint) return;
    const secret = await options.getSecret(namespaceName(row.projectId), objectName(row.id));
    const credentials = bucketCredentials(secret as { data?: Record<string, unknown> } | undefined);
    if (!credentials) throw new Error("the bucket's Secret holds no access keys to list it with");
    const usage = await options.objects.usage({
      endpoint,
      bucket: row.bucketName,
      key: '',
      credentials,
      signal: abort.signal,
    });
    if (stopped) return;
    if (recordBucketUsage(store.db, row.id, usage)) options.recorded(row);
  };

  /** Lists every active bucket once, one after another. */
  const sampleAll = async () => {
    if (stopped || !options.isLeader()) return;
    for (const row of bucketsRepository.all(store.db)) {
      if (stopped) return;
      if (row.state !== 'active') continue;
      try {
        await sample(row);
        failing.delete(row.id);
      } catch (error) {
        if (stopped || failing.has(row.id)) continue;
        failing.add(row.id);
        logger.warn(
          { component: 'bucket-usage', id: row.id, err: (error as Error).message || String(error) },
          'could not list the bucket to tell what it holds; its usage stays as last recorded',
        );
      }
    }
  };

  return {
    /** One round over every bucket (the timer's; tests call it). */
    sampleAll: () => (round ??= sampleAll().finally(() => (round = undefined))),
    start() {
      timer ??= setInterval(
        () => void (round ??= sampleAll().finally(() => (round = undefined))),
        options.everyMs ?? 300_000,
      );
      timer.unref();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      timer = undefined;
      abort.abort();
      await round?.catch(() => undefined);
    },
  };
};

export type BucketUsageSampler = ReturnType<typeof createBucketUsageSampler>;
