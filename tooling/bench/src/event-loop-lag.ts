import { createUncloudClient } from '@uncloud/sdk';
import { waitFor } from '@uncloud/testing';
import type { ApiServerArgs, ApiServerReady } from './api-server.ts';
import { startChild } from './child.ts';
import type { ServerSide } from './droplets-list.ts';
import { elapsedMs, type LoopLag } from './stats.ts';

export interface BurstLagFigures {
  simulator: 'in-process' | 'separate';
  creates: { droplets: number; volumes: number };
  /** From the first create to every resource active. */
  convergeMs: number;
  /** The API process's event-loop lag over that time. */
  lag: LoopLag;
  /** The API process's CPU time over that time (its simulator thread included when separate). */
  cpuMs: number;
}

/**
 * A burst of creates through the SDK (at most `inFlight` at once) on the stack as `npm start` runs
 * it (`separate`: the simulated cluster on its own thread) or with the simulator on the API's loop
 * (`in-process`), and the API's event-loop lag until everything is active. The API runs in a process
 * of its own, so the lag is its own, not the creating client's.
 */
export const benchCreateBurstLag = async ({
  creates,
  simulator,
  inFlight = 50,
}: {
  creates: number;
  simulator: BurstLagFigures['simulator'];
  inFlight?: number;
}): Promise<BurstLagFigures> => {
  const api = await startChild<ApiServerReady>('api-server', {
    simulator,
    simControllerDelayMs: 0,
    roomy: true,
  } satisfies ApiServerArgs);
  try {
    const projectId = api.ready.roomyProjectId!;
    const client = createUncloudClient({ url: api.ready.url, token: api.ready.token });
    const droplets = Math.round(creates * 0.4);
    const volumes = creates - droplets;
    const notActive = async () =>
      (await api.call<number>('count', { table: 'droplets', projectId, not: 'active' })) +
      (await api.call<number>('count', { table: 'volumes', projectId, not: 'active' }));
    const started = performance.now();
    await api.call('measureStart');
    let next = 0;
    const worker = async () => {
      while (next < creates) {
        const i = next++;
        if (i < droplets)
          await client.droplets.create.mutate({
            projectId,
            name: `vm-${i}`,
            size: 's-1vcpu-1gb',
            image: 'ubuntu-24-04',
          });
        else await client.volumes.create.mutate({ projectId, name: `data-${i}`, sizeGiB: 1 });
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    await waitFor(async () => (await notActive()) === 0, {
      timeout: 300_000,
      interval: 100,
      message: `${creates} resources to be active`,
    });
    const server = await api.call<ServerSide>('measureStop');
    return {
      simulator,
      creates: { droplets, volumes },
      convergeMs: elapsedMs(started),
      lag: { p99Ms: server.lagP99Ms, maxMs: server.lagMaxMs },
      cpuMs: server.cpuMs,
    };
  } finally {
    await api.close();
  }
};
