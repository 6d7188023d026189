import { accountsRepository, newId, projectsRepository, quotasRepository } from '@uncloud/db';
import { createUncloudClient } from '@uncloud/sdk';
import { waitFor } from '@uncloud/testing';
import { startBenchServer } from './stack.ts';
import { elapsedMs, type LoopLag, measureLoopLag } from './stats.ts';

export interface BurstLagFigures {
  simulator: 'in-process' | 'separate';
  creates: { droplets: number; volumes: number };
  /** From the first create to every resource active. */
  convergeMs: number;
  /** The API process's event-loop lag over that time. */
  lag: LoopLag;
}

const roomy = {
  droplets: 100_000,
  vcpus: 1_000_000,
  memoryMiB: 1_000_000_000,
  volumeGiB: 1_000_000,
  apps: 100_000,
  databases: 100,
};

/**
 * A burst of creates through the SDK (at most `inFlight` at once) on the stack as `npm start` runs
 * it (`separate`: the simulated cluster on its own thread) or with the simulator on the API's loop
 * (`in-process`), and the API's event-loop lag until everything is active.
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
  const { api, sync, token, close } = await startBenchServer({ syncIntervalMs: 15_000, simulator });
  try {
    // A project with room for the burst (the default quota holds a handful).
    const projectId = api.store.transaction((db) => {
      const admin = accountsRepository.listUsers(db).find((u) => u.isAdmin)!;
      const row = projectsRepository.insert(db, {
        id: newId('project'),
        name: 'burst',
        description: '',
        purpose: 'Benchmark',
      });
      projectsRepository.putMember(db, row.id, admin.id, 'owner');
      quotasRepository.insert(db, { projectId: row.id, ...roomy });
      return row.id;
    });
    await sync.resync();
    const client = createUncloudClient({ url: api.url, token });
    await waitFor(async () => (await client.projects.get.query({ projectId })).state === 'active', {
      timeout: 30_000,
      message: 'the project to be active',
    });
    const droplets = Math.round(creates * 0.4);
    const volumes = creates - droplets;
    const notActive = () =>
      ['droplets', 'volumes'].reduce(
        (sum, table) =>
          sum +
          (api.store.sqlite
            .prepare(`select count(*) from ${table} where project_id = ? and state != 'active'`)
            .pluck()
            .get(projectId) as number),
        0,
      );
    const started = performance.now();
    const { lag } = await measureLoopLag(async () => {
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
      await waitFor(() => notActive() === 0, {
        timeout: 300_000,
        interval: 100,
        message: `${creates} resources to be active`,
      });
    });
    return { simulator, creates: { droplets, volumes }, convergeMs: elapsedMs(started), lag };
  } finally {
    await close();
  }
};
