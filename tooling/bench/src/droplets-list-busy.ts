import { dropletsRepository, newId } from '@uncloud/db';
import { type ProjectId, dropletSizes } from '@uncloud/sdk';
import { waitFor } from '@uncloud/testing';
import { bareServer } from './droplets-list.ts';
import { type LoadResult, runLoad } from './load.ts';
import { startBenchServer } from './stack.ts';

const PAGE = 50;
const SIZE = 's-1vcpu-1gb';

export interface DropletsListBusyFigures {
  /** Droplets in the listed project, all active before the measurements. */
  listed: number;
  /** Droplets created (in another project) through the SDK while the list was loaded. */
  creating: number;
  connections: number;
  durationSeconds: number;
  baseline: LoadResult;
  idle: LoadResult;
  busy: LoadResult;
  /** Throughput over the bare baseline's, idle and while creating. */
  ratioIdle: number;
  ratioBusy: number;
  /** Creates answered, and droplets active, when the busy run ended. */
  createdDuringRun: number;
  activeAtEnd: number;
  /** From the first create until all of them were active. */
  convergeMs: number;
}

/**
 * `droplets.list` as `npm start` serves it (simulated cluster in its own thread, controllers at
 * their 300 ms), idle and while droplets are being created through the SDK in another project:
 * what the sync engine's work (watch events, reconciles, their writes) costs the API's readers.
 * The embedded cluster's nodes hold 512 one-vCPU droplets, so the listed fleet and the creates
 * fit in that together.
 */
export const benchDropletsListWhileCreating = async ({
  listed,
  creating,
  connections,
  durationSeconds,
}: {
  listed: number;
  creating: number;
  connections: number;
  durationSeconds: number;
}): Promise<DropletsListBusyFigures> => {
  const server = await startBenchServer({
    syncIntervalMs: 15_000,
    simulator: 'separate',
    simControllerDelayMs: 300,
  });
  const { api, sync, token } = server;
  try {
    const { createUncloudClient } = await import('@uncloud/sdk');
    const c = createUncloudClient({ url: api.url, token });
    const projectId = (await c.projects.create.mutate({ name: 'listed' })).id as ProjectId;
    const busyProject = (await c.projects.create.mutate({ name: 'creating' })).id as ProjectId;
    const size = dropletSizes.find((s) => s.slug === SIZE)!;
    // Room to spare: a virt-launcher pod requests a little more than its droplet's size.
    for (const [id, droplets] of [
      [projectId, listed],
      [busyProject, creating],
    ] as const)
      await c.quotas.update.mutate({
        projectId: id,
        droplets,
        vcpus: droplets * size.vcpus * 2,
        memoryMiB: droplets * size.memoryMiB * 2,
        // Each droplet's root disk is a claim the quota counts.
        volumeGiB: droplets * size.diskGiB * 2,
      });
    api.store.transaction((db) => {
      for (let i = 0; i < listed; i++)
        dropletsRepository.insert(db, {
          id: newId('droplet'),
          projectId,
          name: `web-${i}`,
          size: SIZE,
          image: 'ubuntu-24-04',
          sshKeyIds: [],
          tags: ['web'],
          userData: null,
        });
    });
    const activeIn = (id: ProjectId) =>
      Number(
        api.store.sqlite
          .prepare(`select count(*) from droplets where project_id = ? and state = 'active'`)
          .pluck()
          .get(id),
      );
    const states = (id: ProjectId) =>
      JSON.stringify(
        api.store.sqlite
          .prepare(`select state, sync_error, count(*) n from droplets where project_id = ? group by 1, 2`)
          .all(id),
      );
    await sync.resync();
    await waitFor(() => activeIn(projectId) === listed, {
      timeout: Math.max(120_000, listed * 300),
      interval: 200,
      message: `${listed} droplets to be active`,
    }).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}; droplets by state: ${states(projectId)}`);
    });
    await sync.queue.idle();

    const input = encodeURIComponent(JSON.stringify({ 0: { projectId, limit: PAGE } }));
    const url = `${api.url}/trpc/droplets.list?batch=1&input=${input}`;
    const headers = { authorization: `Bearer ${token}` };
    const bare = await bareServer(api.store.sqlite.name, projectId);
    try {
      const options = { connections, durationSeconds };
      await runLoad('warm-up', url, { ...options, durationSeconds: 1, headers });
      await runLoad('warm-up', bare.url(), { ...options, durationSeconds: 1 });
      const baseline = await runLoad('bare Hono + better-sqlite3', bare.url(), options);
      const idle = await runLoad('droplets.list, idle', url, { ...options, headers });

      // The creates, 20 in flight, for as long as they take; the load runs alongside.
      const started = performance.now();
      let created = 0;
      let next = 0;
      const creator = async () => {
        while (next < creating) {
          const i = next++;
          await c.droplets.create.mutate({
            projectId: busyProject,
            name: `new-${i}`,
            size: SIZE,
            image: 'ubuntu-24-04',
          });
          created++;
        }
      };
      const creates = Promise.all(Array.from({ length: 20 }, creator));
      const busy = await runLoad(`droplets.list, while ${creating} droplets are created`, url, {
        ...options,
        headers,
      });
      const createdDuringRun = created;
      const activeAtEnd = activeIn(busyProject);
      await creates;
      await waitFor(() => activeIn(busyProject) === creating, {
        timeout: Math.max(120_000, creating * 300),
        interval: 100,
        message: `${creating} created droplets to be active`,
      });
      return {
        listed,
        creating,
        connections,
        durationSeconds,
        baseline,
        idle,
        busy,
        ratioIdle: idle.requestsPerSecond / baseline.requestsPerSecond,
        ratioBusy: busy.requestsPerSecond / baseline.requestsPerSecond,
        createdDuringRun,
        activeAtEnd,
        convergeMs: performance.now() - started,
      };
    } finally {
      await bare.close();
    }
  } finally {
    await server.close();
  }
};
