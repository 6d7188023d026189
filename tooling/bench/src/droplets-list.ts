import { createUncloudClient } from '@uncloud/sdk';
import { waitFor } from '@uncloud/testing';
import type { ApiServerArgs, ApiServerReady } from './api-server.ts';
import type { BareServerArgs } from './bare-server.ts';
import { startChild } from './child.ts';
import { type LoadResult, runLoad } from './load.ts';

const PAGE = 50;

/** The API process's own figures over one load run. */
export interface ServerSide {
  lagP99Ms: number;
  lagMaxMs: number;
  cpuMs: number;
}

export interface DropletsListFigures {
  /** Active droplets in the listed project. */
  listed: number;
  /** Droplets created (in another project) through the SDK during the busy run. */
  creating: number;
  pageSize: number;
  connections: number;
  durationSeconds: number;
  /** Bytes of one answer, the same from both servers. */
  answerBytes: number;
  baseline: LoadResult;
  idle: LoadResult & { server: ServerSide };
  busy: LoadResult & { server: ServerSide };
  /** Throughput over the bare baseline's, idle and while creating. */
  ratioIdle: number;
  ratioBusy: number;
  /** Creates answered, and droplets active, when the busy run ended; all active after convergeMs. */
  createdDuringRun: number;
  activeAtEnd: number;
  convergeMs: number;
  /** From the listed droplets' rows to all of them active, before any measurement. */
  listedConvergeMs: number;
  /** What each statement of one answer costs on its own (bare process, µs, median of many). */
  statements: { pageUs: number; volumesUs: number; reservedIpsUs: number; countUs: number; answerUs: number };
  goals: { ratio: boolean; p99: boolean; ratioBusy: boolean; p99Busy: boolean };
}

/** Where two answers first differ, with a little context: what to fix in the baseline. */
const firstDifference = (a: string, b: string) => {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at byte ${i}: API …${a.slice(Math.max(0, i - 60), i + 60)}… baseline …${b.slice(Math.max(0, i - 60), i + 60)}…`;
};

/**
 * `droplets.list` as `npm start` serves it (simulated cluster on its own thread, controllers at
 * their 300 ms), with `listed` droplets all active, against a bare `node:http` server answering the
 * same bytes from the same database: idle, then while `creating` droplets are created through the
 * SDK in another project. The API, the baseline and the load generator each run in a process of
 * their own.
 */
export const benchDropletsList = async ({
  listed,
  creating,
  connections,
  durationSeconds,
}: {
  listed: number;
  creating: number;
  connections: number;
  durationSeconds: number;
}): Promise<DropletsListFigures> => {
  const api = await startChild<ApiServerReady>('api-server', {
    simulator: 'separate',
    simControllerDelayMs: 300,
    listed,
    creating,
  } satisfies ApiServerArgs);
  try {
    const { url: apiUrl, token, databasePath, listedConvergeMs } = api.ready;
    const projectId = api.ready.listedProjectId!;
    const busyProject = api.ready.creatingProjectId!;
    const bare = await startChild<{ url: string }>('bare-server', {
      databasePath,
      projectId,
      pageSize: PAGE,
    } satisfies BareServerArgs);
    try {
      const input = encodeURIComponent(JSON.stringify({ 0: { projectId, limit: PAGE } }));
      const url = `${apiUrl}/trpc/droplets.list?batch=1&input=${input}`;
      const headers = { authorization: `Bearer ${token}` };
      // The same bytes from both, or the comparison means nothing.
      const [a, b] = await Promise.all([
        fetch(url, { headers }).then((r) => r.text()),
        fetch(bare.ready.url).then((r) => r.text()),
      ]);
      if (a !== b)
        throw new Error(`the baseline does not answer what the API answers, ${firstDifference(a, b)}`);
      const statements = await bare.call<DropletsListFigures['statements']>('timeStatements');

      const options = { connections, durationSeconds };
      await runLoad('warm-up', url, { ...options, durationSeconds: 1, headers });
      await runLoad('warm-up', bare.ready.url, { ...options, durationSeconds: 1 });
      const baseline = await runLoad(
        'bare node:http + better-sqlite3 (own process)',
        bare.ready.url,
        options,
      );
      await api.call('measureStart');
      const idleLoad = await runLoad('droplets.list, idle', url, { ...options, headers });
      const idle = { ...idleLoad, server: await api.call<ServerSide>('measureStop') };

      // The creates, 20 in flight, for as long as they take; the load runs alongside.
      const c = createUncloudClient({ url: apiUrl, token });
      const started = performance.now();
      let created = 0;
      let next = 0;
      const creator = async () => {
        while (next < creating) {
          const i = next++;
          await c.droplets.create.mutate({
            projectId: busyProject,
            name: `new-${i}`,
            size: 's-1vcpu-1gb',
            image: 'ubuntu-24-04',
          });
          created++;
        }
      };
      await api.call('measureStart');
      const creates = Promise.all(Array.from({ length: 20 }, creator));
      const busyLoad = await runLoad(`droplets.list, while ${creating} droplets are created`, url, {
        ...options,
        headers,
      });
      const busy = { ...busyLoad, server: await api.call<ServerSide>('measureStop') };
      const createdDuringRun = created;
      const activeIn = () =>
        api.call<number>('count', { table: 'droplets', projectId: busyProject, is: 'active' });
      const activeAtEnd = await activeIn();
      await creates;
      await waitFor(async () => (await activeIn()) === creating, {
        timeout: Math.max(120_000, creating * 300),
        interval: 200,
        message: `${creating} created droplets to be active`,
      });
      const ratioIdle = idle.requestsPerSecond / baseline.requestsPerSecond;
      const ratioBusy = busy.requestsPerSecond / baseline.requestsPerSecond;
      return {
        listed,
        creating,
        pageSize: PAGE,
        connections,
        durationSeconds,
        answerBytes: Buffer.byteLength(a),
        baseline,
        idle,
        busy,
        ratioIdle,
        ratioBusy,
        createdDuringRun,
        activeAtEnd,
        convergeMs: performance.now() - started,
        listedConvergeMs,
        statements,
        goals: {
          ratio: ratioIdle >= 0.3,
          p99: idle.p99Ms <= 30,
          ratioBusy: ratioBusy >= 0.3,
          p99Busy: busy.p99Ms <= 30,
        },
      };
    } finally {
      await bare.close();
    }
  } finally {
    await api.close();
  }
};
