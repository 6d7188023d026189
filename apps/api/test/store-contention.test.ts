import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import { openIntentStore } from '@uncloud/db';
import { waitFor } from '@uncloud/testing';
import { raw } from './http.ts';

let stack: Stack;
let projectId: string;
beforeAll(async () => {
  stack = await startStack({ cluster: false });
  projectId = (await stack.client.projects.list.query({})).items[0]!.id;
});
afterAll(() => stack.close());

const databasePath = () => stack.api.store.sqlite.name;
// A create that reads (the quota) before it writes, in one transaction.
const createVolume = (name: string) =>
  raw(`${stack.url}/trpc/volumes.create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.adminToken}` },
    body: JSON.stringify({ projectId, name, sizeGiB: 1 }),
  });

/** Another process that holds the write lock of the database for `holdMs` once it prints `locked`. */
const holdWriteLock = async (holdMs: number) => {
  const script = fileURLToPath(new URL('./fixtures/hold-write-lock.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--conditions=@uncloud/source', '--import', 'tsx', script, databasePath(), String(holdMs)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await waitFor(() => output.includes('locked'), { timeout: 20_000, message: 'the other process to lock' });
  return { exited };
};

describe('a second process writing to the same database', () => {
  it('is waited for while it holds the write lock briefly', async () => {
    // Recently used, so that signing in writes nothing and the create's transaction meets the lock.
    await stack.client.auth.whoami.query();
    const { exited } = await holdWriteLock(1000);
    const started = Date.now();
    const answer = await createVolume('contended');
    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThan(500);
    expect(await exited).toBe(0);
  }, 30_000);

  it('answers UNAVAILABLE (503, Retry-After) when the lock outlasts the busy timeout', async () => {
    const other = openIntentStore(databasePath());
    // The test holds the lock from this very thread, so the server's wait must be short.
    stack.api.store.sqlite.pragma('busy_timeout = 200');
    other.sqlite.exec('BEGIN IMMEDIATE');
    try {
      const answer = await createVolume('blocked');
      expect(answer.status).toBe(503);
      expect(answer.headers['retry-after']).toBe('1');
      expect(answer.error()).toMatchObject({
        message: expect.stringContaining('busy') as string,
        data: { code: 'UNAVAILABLE', httpStatus: 503 },
      });
    } finally {
      other.sqlite.exec('ROLLBACK');
      other.close();
      stack.api.store.sqlite.pragma('busy_timeout = 5000');
    }
    expect((await createVolume('after')).status).toBe(200);
  });
});
