import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openIntentStore } from '@uncloud/db';
import { createLogger } from '../src/logger.ts';
import { startServer } from '../src/server.ts';

const root = mkdtempSync(join(tmpdir(), 'uncloud-private-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);
const start = (dataDir: string) =>
  startServer(
    {
      port: 0,
      host: '127.0.0.1',
      databasePath: join(dataDir, 'uncloud.db'),
      adminToken: 'private-data-admin-token',
      webDir: root,
      cluster: false,
    },
    createLogger('silent', false),
  );

describe('the data directory', () => {
  it('is created readable by its owner only, and so are the database and its WAL files', async () => {
    const dataDir = join(root, 'fresh', 'data');
    const server = await start(dataDir);
    try {
      expect(modeOf(join(root, 'fresh'))).toBe('700');
      expect(modeOf(dataDir)).toBe('700');
      for (const file of ['uncloud.db', 'uncloud.db-wal', 'uncloud.db-shm']) {
        expect(existsSync(join(dataDir, file))).toBe(true);
        expect(modeOf(join(dataDir, file))).toBe('600');
      }
    } finally {
      await server.close();
    }
  });

  it('is made private on start when an older version left it readable by others', async () => {
    const dataDir = join(root, 'old');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    openIntentStore(join(dataDir, 'uncloud.db')).close();
    chmodSync(join(dataDir, 'uncloud.db'), 0o644);
    const server = await start(dataDir);
    try {
      expect(modeOf(dataDir)).toBe('700');
      expect(modeOf(join(dataDir, 'uncloud.db'))).toBe('600');
    } finally {
      await server.close();
    }
  });
});
