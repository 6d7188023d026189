import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  accountsRepository,
  dropletsRepository,
  newId,
  projectsRepository,
  quotasRepository,
} from '@uncloud/db';
import { createUncloudClient, dropletSizes, type ProjectId } from '@uncloud/sdk';
import { waitFor } from '@uncloud/testing';
import { childArgs, failToParent, serveParent } from './child.ts';
import { startBenchServer } from './stack.ts';

/**
 * Uncloud as `npm start` runs it, in a process of its own for the benchmark to load: the API, the
 * sync engine and the embedded simulated cluster (on its own thread, or on the API's loop). With
 * `listed`, a project of that many droplets, all active (made so by the engine), is ready first.
 */
export interface ApiServerArgs {
  simulator: 'separate' | 'in-process';
  simControllerDelayMs: number;
  /** Droplets (s-1vcpu-1gb) to bring to active in the project `listed` before `ready`. */
  listed?: number;
  /** Room to make in the project `creating` for this many more droplets. */
  creating?: number;
  /** A project `burst`, active, whose quota holds any burst. */
  roomy?: boolean;
}

export interface ApiServerReady {
  url: string;
  token: string;
  databasePath: string;
  listedProjectId: ProjectId | null;
  creatingProjectId: ProjectId | null;
  roomyProjectId: ProjectId | null;
  /** From the listed droplets' rows to all of them active. */
  listedConvergeMs: number;
}

const SIZE = 's-1vcpu-1gb';
const {
  simulator,
  simControllerDelayMs,
  listed = 0,
  creating = 0,
  roomy = false,
} = childArgs<ApiServerArgs>();

const roomyQuota = {
  droplets: 100_000,
  vcpus: 1_000_000,
  memoryMiB: 1_000_000_000,
  volumeGiB: 1_000_000,
  apps: 100_000,
  databases: 100,
};

// Stopped before it was ready (the benchmark failed or was stopped): do not outlive it.
const orphaned = () => process.exit(1);
process.once('disconnect', orphaned);

try {
  // Nodes enough for every droplet asked for (the embedded default holds 512 one-vCPU droplets).
  const nodeCount = Math.max(8, Math.ceil(((listed + creating) * 1.5) / 64));
  const server = await startBenchServer({
    syncIntervalMs: 15_000,
    simulator,
    simControllerDelayMs,
    simNodes: { count: nodeCount, cpu: '64', memory: '256Gi', pods: 250 },
  });
  const { api, sync, token } = server;
  const client = createUncloudClient({ url: api.url, token });
  const size = dropletSizes.find((s) => s.slug === SIZE)!;
  const projectWithRoom = async (name: string, droplets: number) => {
    const id = (await client.projects.create.mutate({ name })).id as ProjectId;
    // Room to spare: a virt-launcher pod requests a little more than its droplet's size, and each
    // droplet's root disk is a claim the quota counts.
    await client.quotas.update.mutate({
      projectId: id,
      droplets,
      vcpus: droplets * size.vcpus * 2,
      memoryMiB: droplets * size.memoryMiB * 2,
      volumeGiB: droplets * size.diskGiB * 2,
    });
    return id;
  };
  const count = (table: 'droplets' | 'volumes', projectId: string, state: { is?: string; not?: string }) =>
    Number(
      api.store.sqlite
        .prepare(
          `select count(*) from ${table} where project_id = ? and state ${state.is !== undefined ? '=' : '!='} ?`,
        )
        .pluck()
        .get(projectId, state.is ?? state.not),
    );

  let listedProjectId: ProjectId | null = null;
  let creatingProjectId: ProjectId | null = null;
  let listedConvergeMs = 0;
  let roomyProjectId: ProjectId | null = null;
  if (roomy) {
    // Straight into the store: the API refuses quotas this large, as it should.
    roomyProjectId = api.store.transaction((db) => {
      const admin = accountsRepository.listUsers(db).find((u) => u.isAdmin)!;
      const row = projectsRepository.insert(db, {
        id: newId('project'),
        name: 'burst',
        description: '',
        purpose: 'Benchmark',
      });
      projectsRepository.putMember(db, row.id, admin.id, 'owner');
      quotasRepository.insert(db, { projectId: row.id, ...roomyQuota });
      return row.id;
    });
    await sync.resync();
    const id = roomyProjectId;
    await waitFor(async () => (await client.projects.get.query({ projectId: id })).state === 'active', {
      timeout: 30_000,
      message: 'the project to be active',
    });
  }
  if (creating > 0) creatingProjectId = await projectWithRoom('creating', creating);
  if (listed > 0) {
    const projectId = await projectWithRoom('listed', listed);
    listedProjectId = projectId;
    // The project's ResourceQuota in the cluster takes the new room first: droplets created
    // before it would be refused and wait out their backoff.
    await sync.queue.idle();
    const started = performance.now();
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
    await sync.resync();
    await waitFor(() => count('droplets', projectId, { is: 'active' }) === listed, {
      timeout: Math.max(120_000, listed * 300),
      interval: 200,
      message: `${listed} droplets to be active`,
    });
    await sync.queue.idle();
    listedConvergeMs = performance.now() - started;
  }

  let histogram: ReturnType<typeof monitorEventLoopDelay> | undefined;
  let cpu: NodeJS.CpuUsage | undefined;
  const ready: ApiServerReady = {
    url: api.url,
    token,
    databasePath: api.store.sqlite.name,
    listedProjectId,
    creatingProjectId,
    roomyProjectId,
    listedConvergeMs,
  };
  process.off('disconnect', orphaned);
  serveParent(
    ready,
    {
      count: (args) => {
        const { table, projectId, is, not } = args as {
          table: 'droplets' | 'volumes';
          projectId: string;
          is?: string;
          not?: string;
        };
        return count(table, projectId, { ...(is !== undefined ? { is } : { not: not! }) });
      },
      /** Starts measuring this process's event-loop delay and CPU time. */
      measureStart: () => {
        histogram = monitorEventLoopDelay({ resolution: 1 });
        histogram.enable();
        cpu = process.cpuUsage();
      },
      /** The event-loop delay (p99, max) and CPU time since `measureStart`. */
      measureStop: () => {
        if (!histogram || !cpu) throw new Error('measureStart first');
        histogram.disable();
        const used = process.cpuUsage(cpu);
        const figures = {
          lagP99Ms: histogram.percentile(99) / 1e6,
          lagMaxMs: histogram.max / 1e6,
          cpuMs: (used.user + used.system) / 1000,
        };
        histogram = undefined;
        return figures;
      },
    },
    () => server.close(),
  );
} catch (error) {
  failToParent(error);
}
