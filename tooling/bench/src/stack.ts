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

/**
 * The full stack in this process, as `npm start` runs it without a kubeconfig: the API, the sync
 * engine and the embedded simulated cluster, with the simulated controllers' delay at 0.
 */
export const startBenchStack = async ({
  syncIntervalMs,
  pollMs,
}: {
  syncIntervalMs: number;
  /** Engine's look-again delay for resources on their way (undefined: the engine's default). */
  pollMs?: number;
}): Promise<BenchStack> => {
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
        simControllerDelayMs: 0,
        ...(pollMs !== undefined ? { pollMs } : {}),
      },
    },
    createLogger('warn', false),
  );
  const sim = api.cluster?.sim;
  const sync = api.sync;
  const kubeconfigPath = api.cluster?.kubeconfigPath;
  if (!sim || !sync || !kubeconfigPath) throw new Error('the stack runs no simulated cluster');
  // Sync starts in the background: wait until it leads (and ran its first resync).
  await waitFor(() => sync.status().leader && sync.status().lastResyncAt !== null, {
    timeout: 30_000,
    message: 'the sync engine to lead',
  });
  const newClient = () => createUncloudClient({ url: api.url, token });
  return {
    api,
    sim,
    sync,
    kubeconfigPath,
    token,
    client: newClient(),
    newClient,
    close: async () => {
      await api.close(1000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
