// The simulated cluster in a worker thread of its own (see worker-host.ts): its controllers, store
// and HTTP server run on this thread's event loop, not on the loop of the program that started it.
import { parentPort, workerData } from 'node:worker_threads';
import { createSimCluster, type SimClusterOptions } from './cluster.ts';
import type { HostMessage, WorkerMessage } from './worker-host.ts';

const port = parentPort;
if (!port) throw new Error('worker.ts runs in a worker thread (startSimWorker), not on its own');
const post = (message: WorkerMessage) => port.postMessage(message);

const sim = createSimCluster(workerData as SimClusterOptions);
try {
  post({ type: 'started', info: await sim.start() });
} catch (error) {
  post({ type: 'failed', message: (error as Error).stack ?? String(error) });
  process.exit(1);
}

port.on('message', (message: HostMessage) => {
  if (message.type !== 'stop') return;
  // The thread ends here (process.exit in a worker ends the worker only): the host sees 'exit'.
  sim.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      post({ type: 'failed', message: (error as Error).stack ?? String(error) });
      process.exit(1);
    },
  );
});
