import { type IntentStore, type UsageResource, usageRepository } from '@uncloud/db';
import {
  type KubeGateway,
  type KubeObject,
  RESOURCE_ID,
  RESOURCE_KIND,
  isKubeError,
  managedSelector,
  parseQuantity,
} from '@uncloud/kube';
import type { SyncLogger } from './engine.ts';

export type SampledKind = 'droplet' | 'app';

export interface ResourceUsage {
  resourceId: string;
  kind: SampledKind;
  cpuMillicores: number;
  memoryMiB: number;
}

/** The part of a `metrics.k8s.io` PodMetrics the sampler reads. */
interface PodMetrics extends KubeObject {
  containers?: { usage?: { cpu?: string; memory?: string } }[];
}

const sampledKinds = ['droplet', 'app'] as const satisfies SampledKind[];
const isSampledKind = (kind: string | undefined): kind is SampledKind =>
  sampledKinds.some((sampled) => sampled === kind);

/** Droplets' virt-launcher pods and apps' replicas: every pod whose usage a chart shows. */
export const USAGE_SELECTOR = `${managedSelector()},${RESOURCE_KIND} in (${sampledKinds.join(',')})`;

/**
 * What each droplet and app uses now: the usage of every container of every pod it owns (a
 * droplet's virt-launcher pod, an app's replicas), summed per `uncloud.dev/resource-id`. Pods of
 * other kinds, or without the label, are not counted.
 */
export const aggregatePodMetrics = (items: PodMetrics[]): ResourceUsage[] => {
  const totals = new Map<string, { kind: SampledKind; cores: number; bytes: number }>();
  for (const item of items) {
    const labels = item.metadata.labels ?? {};
    const id = labels[RESOURCE_ID];
    const kind = labels[RESOURCE_KIND];
    if (!id || !isSampledKind(kind)) continue;
    const total = totals.get(id) ?? { kind, cores: 0, bytes: 0 };
    for (const container of item.containers ?? []) {
      total.cores += parseQuantity(container.usage?.cpu) ?? 0;
      total.bytes += parseQuantity(container.usage?.memory) ?? 0;
    }
    totals.set(id, total);
  }
  return [...totals].map(([resourceId, t]) => ({
    resourceId,
    kind: t.kind,
    cpuMillicores: Math.round(t.cores * 1000),
    memoryMiB: Math.round(t.bytes / 2 ** 20),
  }));
};

export interface UsageSamplerOptions {
  store: IntentStore;
  gateway: KubeGateway;
  logger: SyncLogger;
  /** Only the process that reconciles samples, so that replicas do not write the same points. */
  isLeader: () => boolean;
  /** Period between samples (default 15 s, metrics-server's own resolution). */
  intervalMs?: number;
  /** How long samples are kept (default 24 h, the longest window the API serves). */
  retentionMs?: number;
  /** Deadline of one LIST of the metrics API. */
  timeoutMs?: number;
}

/**
 * Samples CPU and memory of every droplet and app from `metrics.k8s.io` (one LIST per period)
 * into SQLite, so that usage charts are a read of SQLite like everything else the API answers.
 * A cluster without metrics-server has no usage: the sampler then writes nothing.
 */
export const createUsageSampler = (options: UsageSamplerOptions) => {
  const { store, gateway, logger } = options;
  const intervalMs = options.intervalMs ?? 15_000;
  const retentionMs = options.retentionMs ?? 24 * 60 * 60_000;
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;
  let metricsAbsent = false;

  const readMetrics = async (): Promise<KubeObject[] | null> => {
    try {
      const items = await gateway.list('PodMetrics', {
        labelSelector: USAGE_SELECTOR,
        signal: abort.signal,
        timeoutMs: options.timeoutMs ?? 10_000,
      });
      metricsAbsent = false;
      return items;
    } catch (error) {
      if (abort.signal.aborted) return null;
      if (isKubeError(error, 'NotFound')) {
        if (!metricsAbsent)
          logger.debug({ component: 'usage' }, 'no metrics.k8s.io API in the cluster: usage is not sampled');
        metricsAbsent = true;
        return null;
      }
      // An unreachable cluster is reported by the sync engine already.
      const log = isKubeError(error, 'Unavailable') ? logger.debug : logger.warn;
      log.call(logger, { component: 'usage', err: (error as Error).message }, 'could not read pod metrics');
      return null;
    }
  };

  /** One sample of every droplet and app; returns how many samples were written. */
  const sample = async (): Promise<number> => {
    if (!options.isLeader()) return 0;
    const items = await readMetrics();
    const at = new Date();
    let written = 0;
    store.transaction((tx) => {
      usageRepository.prune(tx, new Date(at.getTime() - retentionMs));
      if (!items) return;
      const usage = aggregatePodMetrics(items);
      // The intent row, not the label, says which project a sample belongs to; pods of resources
      // that are gone or being deleted are not sampled.
      const owners = new Map<string, UsageResource>(
        usageRepository
          .resourcesByIds(
            tx,
            usage.map((u) => u.resourceId),
          )
          .map((r) => [r.id, r]),
      );
      const samples = usage.flatMap((u) => {
        const owner = owners.get(u.resourceId);
        if (owner?.kind !== u.kind) return [];
        return [
          {
            resourceId: owner.id,
            projectId: owner.projectId,
            cpuMillicores: u.cpuMillicores,
            memoryMiB: u.memoryMiB,
          },
        ];
      });
      usageRepository.insert(tx, at, samples);
      written = samples.length;
    });
    return written;
  };

  const tick = () => {
    // A slow cluster never stacks passes up: a tick during a pass is skipped.
    if (stopped || running) return;
    running = sample()
      .catch((error: unknown) =>
        logger.warn({ component: 'usage', err: String(error) }, 'usage sampling failed'),
      )
      .finally(() => {
        running = undefined;
      });
  };

  return {
    sample,

    /** Samples now, then every `intervalMs`. Does nothing once stopped. */
    start() {
      if (stopped || timer) return;
      tick();
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },

    /** Clears the timer and waits for (after aborting) a pass in flight. */
    async stop() {
      stopped = true;
      clearInterval(timer);
      timer = undefined;
      abort.abort();
      await running;
    },
  };
};

export type UsageSampler = ReturnType<typeof createUsageSampler>;
