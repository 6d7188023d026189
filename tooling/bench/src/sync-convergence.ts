import type { UncloudClient } from '@uncloud/sdk';
import { waitFor } from '@uncloud/testing';
import { quantile } from './stats.ts';
import { startBenchStack } from './stack.ts';

/** The period of a poll-only design, and so of Uncloud's full resync (DESIGN: 15 s). */
export const POLL_PERIOD_MS = 15_000;
/** How often the benchmark looks at the API for `active`: the resolution of the latencies. */
const OBSERVE_EVERY_MS = 20;

type Kind = 'droplet' | 'app' | 'volume';

export interface ConvergenceFigures {
  resources: number;
  mix: Record<Kind, number>;
  /** How the creates arrive: one every `intervalMs` (open loop), or all at once. */
  scenarios: ScenarioFigures[];
  pollPeriodMs: number;
  /** A poll-only design: half the period on average, up to a full one. */
  pollOnlyExpectedMs: number;
  pollOnlyWorstMs: number;
  engine: { syncIntervalMs: number; pollMs: string; simControllerDelayMs: number };
  observeEveryMs: number;
}

export interface ScenarioFigures {
  name: string;
  resources: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  byKind: Record<Kind, { p50Ms: number; p95Ms: number }>;
  /** 15 000 / p95: how many times faster than polling alone at its worst. */
  ratioVsPollPeriod: number;
  goals: { p95Under1s: boolean; atLeast15xFaster: boolean };
}

const kindOf = (i: number): Kind => (['droplet', 'app', 'volume'] as const)[i % 3]!;

const create = (c: UncloudClient, projectId: string, kind: Kind, name: string) => {
  if (kind === 'droplet')
    return c.droplets.create.mutate({ projectId, name, size: 's-1vcpu-1gb', image: 'ubuntu-24-04' });
  if (kind === 'app') return c.apps.create.mutate({ projectId, name, image: 'nginx:1.27', port: 80 });
  return c.volumes.create.mutate({ projectId, name, sizeGiB: 10 });
};

/** Every resource's state as the API reports it, in one batched round trip. */
const activeIds = async (c: UncloudClient, projectId: string) => {
  const [droplets, apps, volumes] = await Promise.all([
    c.droplets.list.query({ projectId, limit: 100 }),
    c.apps.list.query({ projectId, limit: 100 }),
    c.volumes.list.query({ projectId, limit: 100 }),
  ]);
  return [...droplets.items, ...apps.items, ...volumes.items]
    .filter((r) => r.state === 'active')
    .map((r) => r.id);
};

const scenario = async (
  c: UncloudClient,
  name: string,
  { resources, intervalMs }: { resources: number; intervalMs: number },
): Promise<ScenarioFigures> => {
  const project = await c.projects.create.mutate({ name: `conv-${Math.random().toString(36).slice(2, 8)}` });
  await waitFor(async () => (await c.projects.get.query({ projectId: project.id })).state === 'active', {
    timeout: 10_000,
    message: 'the project to be active',
  });
  const startedAt = new Map<string, { kind: Kind; at: number }>();
  const latency = new Map<string, number>();
  let stop = false;
  // Watches the API the whole time, noting when each resource is first seen active.
  const observer = (async () => {
    while (!stop) {
      const seen = performance.now();
      for (const id of await activeIds(c, project.id)) {
        const start = startedAt.get(id);
        if (start && !latency.has(id)) latency.set(id, seen - start.at);
      }
      await new Promise((resolve) => setTimeout(resolve, OBSERVE_EVERY_MS));
    }
  })();
  const creates: Promise<void>[] = [];
  for (let i = 0; i < resources; i++) {
    const kind = kindOf(i);
    const at = performance.now();
    creates.push(
      create(c, project.id, kind, `${kind}-${i}`).then((r) => void startedAt.set(r.id, { kind, at })),
    );
    if (intervalMs > 0) await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  await Promise.all(creates);
  try {
    await waitFor(() => latency.size === resources, {
      timeout: 60_000,
      message: `${resources} resources to be active`,
    });
  } finally {
    stop = true;
    await observer;
  }
  const all = [...latency.values()];
  const of = (kind: Kind) =>
    [...latency].filter(([id]) => startedAt.get(id)!.kind === kind).map(([, ms]) => ms);
  const byKind = Object.fromEntries(
    (['droplet', 'app', 'volume'] as const).map((k) => [
      k,
      { p50Ms: quantile(of(k), 0.5), p95Ms: quantile(of(k), 0.95) },
    ]),
  ) as ScenarioFigures['byKind'];
  const p95Ms = quantile(all, 0.95);
  return {
    name,
    resources,
    p50Ms: quantile(all, 0.5),
    p95Ms,
    maxMs: Math.max(...all),
    byKind,
    ratioVsPollPeriod: POLL_PERIOD_MS / p95Ms,
    goals: { p95Under1s: p95Ms < 1000, atLeast15xFaster: POLL_PERIOD_MS / p95Ms >= 15 },
  };
};

/**
 * Create → `active`, through the SDK against the full stack with production sync settings (15 s
 * resync, watch-driven reconciles) and the simulated controllers at no delay: the
 * latency is Uncloud's own (API write, event, reconcile, Kubernetes round trips, observation).
 */
export const benchConvergence = async ({ resources }: { resources: number }): Promise<ConvergenceFigures> => {
  const stack = await startBenchStack({ syncIntervalMs: POLL_PERIOD_MS });
  try {
    const c = stack.client;
    const scenarios = [
      await scenario(c, `paced: one create every 100 ms`, { resources, intervalMs: 100 }),
      await scenario(c, `burst: ${resources} creates at once`, { resources, intervalMs: 0 }),
    ];
    const mix = { droplet: 0, app: 0, volume: 0 };
    for (let i = 0; i < resources; i++) mix[kindOf(i)]++;
    return {
      resources,
      mix,
      scenarios,
      pollPeriodMs: POLL_PERIOD_MS,
      pollOnlyExpectedMs: POLL_PERIOD_MS / 2,
      pollOnlyWorstMs: POLL_PERIOD_MS,
      engine: { syncIntervalMs: POLL_PERIOD_MS, pollMs: 'none: watch-driven', simControllerDelayMs: 0 },
      observeEveryMs: OBSERVE_EVERY_MS,
    };
  } finally {
    await stack.close();
  }
};
