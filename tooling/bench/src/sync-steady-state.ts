import { elapsedMs, type LoopLag, measureLoopLag, quantile } from './stats.ts';
import { seedFleet, type Fleet } from './sync-fleet.ts';
import { startBenchStack, type BenchStack } from './stack.ts';

export interface RequestsOfKind {
  /** `group/resource`, e.g. `kubevirt.io/virtualmachines` (core resources without a group). */
  resource: string;
  list: number;
  other: number;
}

export interface ResyncFigures {
  resources: number;
  projects: number;
  counts: Fleet['counts'];
  objects: number;
  /** Inserting the intent rows. */
  seedMs: number;
  /** Creating the objects in the cluster until its controllers settle. */
  createMs: number;
  /** The first resync recording all of them active (the initial convergence). */
  adoptMs: number;
  passes: number;
  /** Wall time of each measured pass, as the caller of `sync.resync()` sees it. */
  passMs: number[];
  medianPassMs: number;
  /** CPU time of the process during each pass: the pass's work without its yields. */
  cpuMs: number[];
  medianCpuMs: number;
  /** The engine's own figure for the last pass. */
  engineLastResyncMs: number | null;
  /** Kubernetes requests of one pass, per resource kind (leases of the leader election excluded). */
  requests: RequestsOfKind[];
  requestsPerPass: number;
  maxRequestsPerKind: number;
  /** Requests that changed something (must be 0: the pass is a no-op). */
  writes: number;
  /** Requests per pass over resources: the figure that matters. */
  requestsPerResource: number;
  /** Resources the pass queued for a converge (must be 0). */
  queued: number;
  /** Rows of the database the pass changed, at most over the passes (must be 0: nothing changed). */
  rowsWritten: number;
  /** Event-loop lag of the process (API, engine and in-process simulator) during the passes. */
  lag: LoopLag;
  goals: {
    wallUnder1s: boolean | null;
    atMost2RequestsPerKind: boolean;
    /** The watch-driven engine's pass reads its cache: 0 requests (issue 15). */
    noRequests: boolean;
    /** Over 10 000 resources: at most 100 ms of work (CPU) per pass. */
    workUnder100ms: boolean | null;
    noWrites: boolean;
    /** A no-op pass writes no row of the database. */
    noRowsWritten: boolean;
  };
}

const countRequests = (stack: BenchStack) => {
  const byResource = new Map<string, RequestsOfKind>();
  let writes = 0;
  for (const c of stack.sim.requestCounts()) {
    if (c.resource === 'leases') continue;
    const resource = c.group ? `${c.group}/${c.resource}` : c.resource;
    const entry = byResource.get(resource) ?? { resource, list: 0, other: 0 };
    if (c.verb === 'list') entry.list += c.count;
    else entry.other += c.count;
    if (!['list', 'get', 'watch'].includes(c.verb)) writes += c.count;
    byResource.set(resource, entry);
  }
  return { requests: [...byResource.values()].sort((a, b) => a.resource.localeCompare(b.resource)), writes };
};

/**
 * The steady state: everything already converged, one periodic resync pass compares intent with
 * the informers' cache and should cost no request and no write, whatever the number of resources.
 */
export const measureResync = async (
  stack: BenchStack,
  fleet: Fleet,
  { passes }: { passes: number },
): Promise<ResyncFigures> => {
  const passMs: number[] = [];
  const cpuMs: number[] = [];
  let counted = countRequests(stack);
  let queued = 0;
  let rowsWritten = 0;
  // Rows inserted, updated or deleted through the API's connection so far (SQLite's own count).
  const changes = () => Number(stack.api.store.sqlite.prepare('select total_changes()').pluck().get());
  const lags: LoopLag[] = [];
  for (let i = 0; i < passes; i++) {
    await stack.sync.queue.idle();
    const reconcilesBefore = stack.sync.status().reconciles;
    stack.sim.resetRequestCounts();
    const changesBefore = changes();
    const started = performance.now();
    const cpu = process.cpuUsage();
    lags.push((await measureLoopLag(() => stack.sync.resync())).lag);
    rowsWritten = Math.max(rowsWritten, changes() - changesBefore);
    // The process's CPU time while the pass ran: its work, without the loop's waits between slices
    // (it includes whatever else the process did meanwhile: an upper bound).
    const used = process.cpuUsage(cpu);
    cpuMs.push((used.user + used.system) / 1000);
    passMs.push(elapsedMs(started));
    counted = countRequests(stack);
    // A no-op pass queues nothing; anything it queued shows as reconciles once the queue drains.
    await stack.sync.queue.idle();
    queued = Math.max(queued, stack.sync.status().reconciles - reconcilesBefore);
  }
  const requestsPerPass = counted.requests.reduce((s, r) => s + r.list + r.other, 0);
  const maxRequestsPerKind = Math.max(0, ...counted.requests.map((r) => r.list + r.other));
  const medianPassMs = quantile(passMs, 0.5);
  const medianCpuMs = quantile(cpuMs, 0.5);
  return {
    resources: fleet.resources,
    projects: fleet.projects.length,
    counts: fleet.counts,
    objects: fleet.objects,
    seedMs: fleet.seedMs,
    createMs: fleet.createMs,
    adoptMs: fleet.adoptMs,
    passes,
    passMs,
    medianPassMs,
    cpuMs,
    medianCpuMs,
    engineLastResyncMs: stack.sync.status().lastResyncMs,
    requests: counted.requests,
    requestsPerPass,
    maxRequestsPerKind,
    writes: counted.writes,
    requestsPerResource: requestsPerPass / fleet.resources,
    queued,
    rowsWritten,
    lag: {
      p99Ms: Math.max(...lags.map((l) => l.p99Ms)),
      maxMs: Math.max(...lags.map((l) => l.maxMs)),
    },
    goals: {
      wallUnder1s: fleet.resources >= 10_000 ? medianPassMs < 1000 : null,
      atMost2RequestsPerKind: maxRequestsPerKind <= 2,
      noRequests: requestsPerPass === 0,
      workUnder100ms: fleet.resources >= 10_000 ? medianCpuMs <= 100 : null,
      noWrites: counted.writes === 0 && queued === 0,
      noRowsWritten: rowsWritten === 0,
    },
  };
};

/** A stack that resyncs only when told, with the engine's production settings otherwise. */
export const startSteadyStateStack = () => startBenchStack({ syncIntervalMs: 3_600_000 });

export const benchSteadyState = async (
  sizes: number[],
  { passes, projectCount }: { passes: number; projectCount: number },
): Promise<ResyncFigures[]> => {
  const figures: ResyncFigures[] = [];
  for (const resources of sizes) {
    const stack = await startSteadyStateStack();
    try {
      const fleet = await seedFleet(stack, {
        resources,
        projectCount,
        timeoutMs: Math.max(60_000, resources * 20),
      });
      figures.push(await measureResync(stack, fleet, { passes }));
    } finally {
      await stack.close();
    }
  }
  return figures;
};
