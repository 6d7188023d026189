import type { UncloudClient } from '@uncloud/sdk';
import { waitFor } from '@uncloud/testing';
import { startBenchStack, type BenchStack } from './stack.ts';

type Kind = 'droplet' | 'app' | 'volume';
const kindOf = (i: number): Kind => (['droplet', 'app', 'volume'] as const)[i % 3]!;

export interface RequestsPerResourceFigures {
  resources: number;
  /** Kubernetes requests from the first create until every resource is active (leases excluded). */
  requests: number;
  requestsPerResource: number;
  /** The same, by verb: what the engine spends them on. */
  byVerb: Record<string, number>;
  /** The same, by verb and resource (`patch virtualmachines`). */
  byVerbAndResource: Record<string, number>;
  /** Requests in the idle seconds after convergence (leases excluded): what staying converged costs. */
  idleRequests: number;
  idleSeconds: number;
  convergeMs: number;
}

const create = (c: UncloudClient, projectId: string, kind: Kind, name: string) => {
  if (kind === 'droplet')
    return c.droplets.create.mutate({ projectId, name, size: 's-1vcpu-1gb', image: 'ubuntu-24-04' });
  if (kind === 'app') return c.apps.create.mutate({ projectId, name, image: 'nginx:1.27', port: 80 });
  return c.volumes.create.mutate({ projectId, name, sizeGiB: 10 });
};

/** Requests the simulated cluster served since the last reset, by verb (the lease's excluded). */
const counted = (stack: BenchStack) => {
  const byVerb: Record<string, number> = {};
  const byVerbAndResource: Record<string, number> = {};
  let total = 0;
  for (const c of stack.sim.requestCounts()) {
    if (c.resource === 'leases') continue;
    byVerb[c.verb] = (byVerb[c.verb] ?? 0) + c.count;
    byVerbAndResource[`${c.verb} ${c.resource}`] =
      (byVerbAndResource[`${c.verb} ${c.resource}`] ?? 0) + c.count;
    total += c.count;
  }
  return { total, byVerb, byVerbAndResource };
};

/**
 * What converging one resource costs the cluster: creates through the SDK (droplets, apps and
 * volumes in turn) with the simulated controllers at a realistic 300 ms a step, counting every
 * Kubernetes request from the first create until all are active, then during idle seconds.
 */
export const benchRequestsPerResource = async ({
  resources,
  idleSeconds = 5,
}: {
  resources: number;
  idleSeconds?: number;
}): Promise<RequestsPerResourceFigures> => {
  const stack = await startBenchStack({ syncIntervalMs: 15_000, simControllerDelayMs: 300 });
  try {
    const c = stack.client;
    const project = await c.projects.create.mutate({ name: `req-${Math.random().toString(36).slice(2, 8)}` });
    await waitFor(async () => (await c.projects.get.query({ projectId: project.id })).state === 'active', {
      timeout: 30_000,
      message: 'the project to be active',
    });
    await stack.sync.queue.idle();
    stack.sim.resetRequestCounts();
    const started = performance.now();
    const ids = await Promise.all(
      Array.from({ length: resources }, (_, i) =>
        create(c, project.id, kindOf(i), `${kindOf(i)}-${i}`).then((r) => r.id),
      ),
    );
    const wanted = new Set(ids);
    await waitFor(
      async () => {
        const [d, a, v] = await Promise.all([
          c.droplets.list.query({ projectId: project.id, limit: 100 }),
          c.apps.list.query({ projectId: project.id, limit: 100 }),
          c.volumes.list.query({ projectId: project.id, limit: 100 }),
        ]);
        return (
          [...d.items, ...a.items, ...v.items].filter((r) => wanted.has(r.id) && r.state === 'active')
            .length === resources
        );
      },
      { timeout: 120_000, interval: 50, message: `${resources} resources to be active` },
    );
    const convergeMs = performance.now() - started;
    await stack.sync.queue.idle();
    const { total, byVerb, byVerbAndResource } = counted(stack);
    stack.sim.resetRequestCounts();
    await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
    return {
      resources,
      requests: total,
      requestsPerResource: total / resources,
      byVerb,
      byVerbAndResource,
      idleRequests: counted(stack).total,
      idleSeconds,
      convergeMs,
    };
  } finally {
    await stack.close();
  }
};
