import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, startServer, type RunningServer } from '@uncloud/api';
import { createUncloudClient, type UncloudClient } from '@uncloud/sdk';
import { waitFor } from '@uncloud/testing';

export interface BenchStack {
  api: RunningServer;
  sim: NonNullable<NonNullable<RunningServer['cluster']>['sim']>;
  sync: NonNullable<RunningServer['sync']>;
  kubeconfigPath: string;
  token: string;
  client: UncloudClient;
  /** A client of its own: calls from different clients are never batched into one request. */
  newClient(): UncloudClient;
  close(): Promise<void>;
}

/** A running API with its sync engine leading, on a data directory of its own. */
export interface BenchServer {
  api: RunningServer;
  sync: NonNullable<RunningServer['sync']>;
  token: string;
  close(): Promise<void>;
}

/**
 * The API and sync engine as `npm start` runs them without a kubeconfig, with the simulated
 * controllers' delay at 0, once the engine leads (and ran its first resync).
 */
export const startBenchServer = async ({
  syncIntervalMs,
  pollMs,
  simulator,
  simControllerDelayMs = 0,
  simNodes,
}: {
  syncIntervalMs: number;
  /** Delay of each simulated controller step (default 0; `npm start` runs 300). */
  simControllerDelayMs?: number;
  /** Engine's look-again delay for actions no watch reports on (undefined: the engine's 1 s). */
  pollMs?: number;
  /** Where the simulated cluster runs (undefined: the server's default, in-process). */
  simulator?: 'in-process' | 'separate';
  /** The simulated cluster's nodes (undefined: the embedded default). */
  simNodes?: { count: number; cpu: string; memory: string; pods: number };
}): Promise<BenchServer> => {
  const dir = mkdtempSync(join(tmpdir(), 'uncloud-bench-'));
  const token = 'bench-admin-token-0123456789';
  const api = await startServer(
    {
      port: 0,
      host: '127.0.0.1',
      databasePath: join(dir, 'uncloud.db'),
      adminToken: token,
      webDir: join(dir, 'web'),
      cluster: {
        kubeconfig: undefined,
        dataDir: dir,
        syncIntervalMs,
        // Usage sampling would add its own LIST to the passes measured here: once at start only.
        usageIntervalMs: 3_600_000,
        simControllerDelayMs,
        ...(pollMs !== undefined ? { pollMs } : {}),
        ...(simulator !== undefined ? { simulator } : {}),
        ...(simNodes !== undefined ? { simNodes } : {}),
      },
    },
    createLogger('warn', false),
  );
  const close = async () => {
    await api.close(1000);
    rmSync(dir, { recursive: true, force: true });
  };
  const sync = api.sync;
  if (!sync) {
    await close();
    throw new Error('the server runs no sync engine');
  }
  await waitFor(() => sync.status().leader && sync.status().lastResyncAt !== null, {
    timeout: 30_000,
    message: 'the sync engine to lead',
  });
  return { api, sync, token, close };
};

/**
 * The full stack in this process, as `npm start` runs it without a kubeconfig: the API, the sync
 * engine and the embedded simulated cluster, with the simulated controllers' delay at 0.
 */
export const startBenchStack = async (options: {
  syncIntervalMs: number;
  simControllerDelayMs?: number;
  /** Engine's look-again delay for actions no watch reports on (undefined: the engine's 1 s). */
  pollMs?: number;
}): Promise<BenchStack> => {
  const { api, sync, token, close } = await startBenchServer(options);
  const sim = api.cluster?.sim;
  const kubeconfigPath = api.cluster?.kubeconfigPath;
  if (!sim || !kubeconfigPath) {
    await close();
    throw new Error('the stack runs no simulated cluster');
  }
  const newClient = () => createUncloudClient({ url: api.url, token });
  return { api, sim, sync, kubeconfigPath, token, client: newClient(), newClient, close };
};
