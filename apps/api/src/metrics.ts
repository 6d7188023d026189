import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SyncEngine, SyncObserver } from '@uncloud/sync';

/**
 * The Prometheus metrics of one server: API request durations and the sync engine's work. Gauges
 * read the engine's status at scrape time, so they are never stale.
 */
export const createMetrics = () => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'uncloud_' });

  const requestDuration = new Histogram({
    name: 'uncloud_http_request_duration_seconds',
    help: 'API request durations, by method, route (tRPC procedure) and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const reconcileDuration = new Histogram({
    name: 'uncloud_sync_reconcile_duration_seconds',
    help: 'Time to reconcile one resource, by kind and outcome',
    labelNames: ['kind', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'uncloud_sync_errors_total',
    help: 'Failed reconciles, by kind and reason',
    labelNames: ['kind', 'reason'],
    registers: [registry],
  });
  const drift = new Counter({
    name: 'uncloud_sync_drift_corrections_total',
    help: 'Objects changed behind our back and set back to intent, by kind',
    labelNames: ['kind'],
    registers: [registry],
  });

  const observer: SyncObserver = {
    reconciled: (kind, seconds, outcome) => reconcileDuration.observe({ kind, outcome }, seconds),
    failed: (kind, reason) => errors.inc({ kind, reason }),
    driftCorrected: (kind) => drift.inc({ kind }),
  };

  /** Registers the gauges that read the engine's status at each scrape. */
  const watchEngine = (sync: SyncEngine) => {
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(read());
        },
      });
    gauge('uncloud_sync_queue_depth', 'Resources waiting to be reconciled', () => sync.status().queueDepth);
    gauge('uncloud_sync_in_flight', 'Resources being reconciled now', () => sync.status().inFlight);
    gauge('uncloud_sync_leader', '1 while this process holds the lease and reconciles', () =>
      Number(sync.status().leader),
    );
    gauge('uncloud_sync_cluster_reachable', '1 while Kubernetes answers', () =>
      Number(sync.status().reachable),
    );
    gauge(
      'uncloud_sync_watching',
      '1 while every informer is listed and watching: the cache is current',
      () => Number(sync.status().watching),
    );
    gauge(
      'uncloud_sync_cached_objects',
      "Managed objects in the informers' cache",
      () => sync.status().cachedObjects,
    );
    gauge(
      'uncloud_sync_last_resync_timestamp_seconds',
      'When the last full resync finished (Unix time)',
      () => (sync.status().lastResyncAt?.getTime() ?? 0) / 1000,
    );
    gauge(
      'uncloud_sync_last_resync_duration_seconds',
      'Wall time of the last full resync',
      () => (sync.status().lastResyncMs ?? 0) / 1000,
    );
    gauge(
      'uncloud_sync_orphans_withheld',
      'Orphans the last resync refused to delete: too large a share of the managed objects (wrong database?)',
      () => sync.status().orphansWithheld,
    );
    gauge(
      'uncloud_sync_other_installation_objects',
      "Objects labelled as Uncloud's that another installation wrote, left alone",
      () => sync.status().otherInstallationObjects,
    );
    gauge(
      'uncloud_lb_health_checks_unanswered',
      "1 while every load balancer target's check goes unanswered at once (the checker's network is suspect; no target is taken out for it)",
      () => Number(sync.status().healthChecksUnanswered),
    );
  };

  return { registry, requestDuration, observer, watchEngine };
};

export type Metrics = ReturnType<typeof createMetrics>;
