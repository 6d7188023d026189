import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../logger.ts';
import { startServer, type RunningServer } from '../server.ts';
import { createUncloudClient, type UncloudClient } from '@uncloud/sdk';

export interface Stack {
  api: RunningServer;
  url: string;
  adminToken: string;
  /** A client signed in as the admin. */
  client: UncloudClient;
  /** A client with any token (or none), for testing authentication. */
  clientWith(token: string): UncloudClient;
  close(): Promise<void>;
}

/**
 * The whole stack in one process for integration tests: a temporary SQLite file and the API on a
 * random loopback port, reached over real HTTP through the SDK.
 */
export const startStack = async (options: { adminToken?: string } = {}): Promise<Stack> => {
  const dir = mkdtempSync(join(tmpdir(), 'uncloud-test-'));
  const adminToken = options.adminToken ?? `test-admin-${Math.random().toString(36).slice(2)}-token`;
  const api = await startServer(
    { port: 0, host: '127.0.0.1', databasePath: join(dir, 'uncloud.db'), adminToken, webDir: join(dir, 'no-web') },
    createLogger('silent', false),
  );
  const clientWith = (token: string) => createUncloudClient({ url: api.url, token });
  return {
    api,
    url: api.url,
    adminToken,
    client: clientWith(adminToken),
    clientWith,
    close: async () => {
      await api.close(1000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
