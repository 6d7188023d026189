// Runs the simulated cluster in a worker thread: its own event loop (and heap), so a burst of
// controller work or a large LIST never holds up the program that embeds it, which talks to it over
// HTTP through the kubeconfig like any client. Started and stopped with that program; when the
// thread ends unexpectedly, `exited` says so (the embedding program decides what to do).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SimClusterInfo, SimClusterOptions } from './cluster.ts';

export type HostMessage = { type: 'stop' };
export type WorkerMessage =
  { type: 'started'; info: SimClusterInfo } | { type: 'stopped' } | { type: 'failed'; message: string };

export interface SimWorker {
  info: SimClusterInfo;
  /** The worker's thread id (for logs). */
  threadId: number;
  /**
   * Settles when the worker ends without being asked to (a crash, an uncaught error): with the
   * reason. Never settles after stop().
   */
  exited: Promise<Error>;
  /** Ends the thread at once, as a crash would (`exited` settles): for tests of what the host does. */
  kill(): Promise<void>;
  /** Stops the cluster (its data file written and closed) and ends the thread. */
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * The thread's first module: registers tsx's loader in the thread (Node 20 does not apply the
 * host's `--import` loaders to workers), then loads the simulator's TypeScript entry.
 */
const bootstrap = () => {
  // The ESM build of tsx's API (its CommonJS build cannot register from a worker), by its exports map.
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('tsx/package.json');
  const { exports } = require(pkg) as { exports: Record<string, { import: { default: string } }> };
  const api = exports['./esm/api']?.import.default;
  if (!api) throw new Error('tsx does not export ./esm/api: cannot load the simulator in a worker');
  const tsx = pathToFileURL(join(dirname(pkg), api)).href;
  const entry = new URL('./worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
};

/**
 * Starts the simulated cluster in a worker thread and resolves once it listens. Options are those
 * of createSimCluster (plain data: they are copied into the thread).
 */
export async function startSimWorker(options: SimClusterOptions = {}): Promise<SimWorker> {
  const worker = new Worker(bootstrap(), {
    eval: true,
    workerData: options,
    name: 'simulated-cluster',
  });
  let stopping = false;
  let reportExit: (error: Error) => void = () => undefined;
  const exited = new Promise<Error>((resolve) => (reportExit = resolve));
  const info = await new Promise<SimClusterInfo>((resolve, reject) => {
    worker.once('exit', (code) =>
      reject(new Error(`the simulated cluster's thread ended (exit code ${code})`)),
    );
    const onMessage = (m: WorkerMessage) => {
      if (m.type === 'started') resolve(m.info);
      if (m.type === 'failed') reject(new Error(`the simulated cluster did not start: ${m.message}`));
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  worker.removeAllListeners();
  let lastError: Error | undefined;
  let ended = false;
  const whenEnded = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      ended = true;
      resolve();
    }),
  );
  worker.on('error', (error) => (lastError = error));
  worker.on('message', (m: WorkerMessage) => {
    if (m.type === 'failed') lastError = new Error(m.message);
  });
  worker.once('exit', (code) => {
    if (stopping) return;
    reportExit(
      new Error(
        `the simulated cluster's thread ended unexpectedly (exit code ${code})` +
          (lastError ? `: ${lastError.message}` : ''),
      ),
    );
  });
  return {
    info,
    threadId: worker.threadId,
    exited,
    kill: async () => {
      await worker.terminate();
      await whenEnded;
    },
    stop: async (timeoutMs = 10_000) => {
      if (stopping || ended) return whenEnded;
      stopping = true;
      worker.postMessage({ type: 'stop' } satisfies HostMessage);
      const timer = setTimeout(() => void worker.terminate(), timeoutMs);
      await whenEnded;
      clearTimeout(timer);
    },
  };
}
