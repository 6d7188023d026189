import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataFile } from '../src/persistence.ts';
import { startSimWorker } from '../src/worker-host.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sim-worker-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const request = (info: { httpUrl: string; token: string }, path: string, init: RequestInit = {}) =>
  fetch(`${info.httpUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' },
  });

describe('the simulated cluster in a worker thread', () => {
  it('serves from its own thread, and a stop writes its data file and ends the thread', async () => {
    const dataFile = join(dir, 'cluster.db');
    const sim = await startSimWorker({ controllerDelayMs: 0, profile: 'bare', dataFile });
    expect(sim.threadId).toBeGreaterThan(0);
    const created = await request(sim.info, '/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept' } }),
    });
    expect(created.status).toBe(201);
    await sim.stop();
    await expect(request(sim.info, '/version')).rejects.toThrow();
    const names = loadDataFile(dataFile)?.objects.map(({ object }) => object.metadata.name);
    expect(names).toContain('kept');
  }, 30_000);

  it('says when its thread ends without being stopped', async () => {
    const sim = await startSimWorker({ controllerDelayMs: 0, profile: 'bare' });
    await sim.kill();
    const error = await sim.exited;
    expect(error.message).toMatch(/simulated cluster's thread ended unexpectedly/);
    await sim.stop(); // Already ended: returns at once.
  }, 30_000);

  it('fails to start with the reason when the cluster cannot start', async () => {
    // A directory is no data file.
    await expect(startSimWorker({ profile: 'bare', dataFile: dir })).rejects.toThrow(
      /the simulated cluster did not start/,
    );
  }, 30_000);
});
