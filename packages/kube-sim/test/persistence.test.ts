import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataFile } from '../src/persistence.ts';
import { createNamespace, startSim, waitFor } from './helpers.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sim-data-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The simulator as its own process (src/main.ts), as `npm run sim` starts it. */
async function spawnSim(dataFile: string, kubeconfig: string) {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      new URL('../src/main.ts', import.meta.url).pathname,
      '--data',
      dataFile,
      '--kubeconfig',
      kubeconfig,
      '--profile',
      'bare',
      '--delay',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const url = await waitFor(() => /listening on (\S+)/.exec(out)?.[1], { timeout: 30_000 });
  const token = /token: (\S+)/.exec(await readFile(kubeconfig, 'utf8'))?.[1];
  const http = url.replace('https://', 'http://');
  const request = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${http}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
    return {
      status: res.status,
      body: (await res.json()) as { metadata?: { resourceVersion?: string }; data?: Record<string, string> },
    };
  };
  const killed = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_code, signal) => resolve(signal)),
  );
  return {
    request,
    kill: async () => {
      child.kill('SIGKILL');
      return killed;
    },
  };
}

describe('persistence', () => {
  it('keeps objects, CRD-served kinds and the resourceVersion sequence across a restart', async () => {
    const dataFile = join(dir, 'cluster.db');
    const first = await startSim({ dataFile });
    await createNamespace(first, 'keep');
    const cm = await first.core.createNamespacedConfigMap({
      namespace: 'keep',
      body: { metadata: { name: 'settings' }, data: { a: '1' } },
    });
    await first.custom.createNamespacedCustomObject({
      group: 'kubevirt.io',
      version: 'v1',
      namespace: 'keep',
      plural: 'virtualmachines',
      body: {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachine',
        metadata: { name: 'vm' },
        spec: { runStrategy: 'Halted', template: { spec: { domain: { devices: {} } } } },
      },
    });
    await first.stop();
    const saved = loadDataFile(dataFile);
    expect(saved?.objects.length).toBeGreaterThan(5);

    const second = await startSim({ dataFile });
    try {
      const again = await second.core.readNamespacedConfigMap({ name: 'settings', namespace: 'keep' });
      expect(again.metadata?.uid).toBe(cm.metadata?.uid);
      expect(again.metadata?.resourceVersion).toBe(cm.metadata?.resourceVersion);
      const vm = (await second.custom.getNamespacedCustomObject({
        group: 'kubevirt.io',
        version: 'v1',
        namespace: 'keep',
        plural: 'virtualmachines',
        name: 'vm',
      })) as { metadata: { name: string } };
      expect(vm.metadata.name).toBe('vm');
      const next = await second.core.createNamespacedConfigMap({
        namespace: 'keep',
        body: { metadata: { name: 'later' } },
      });
      expect(Number(next.metadata?.resourceVersion)).toBeGreaterThan(saved?.resourceVersion ?? Infinity);
    } finally {
      await second.stop();
    }
  });

  it('keeps an acknowledged write when the process is killed (kill -9), and never reuses its resourceVersion', async () => {
    const dataFile = join(dir, 'killed.db');
    const kubeconfig = join(dir, 'killed.kubeconfig');
    const first = await spawnSim(dataFile, kubeconfig);
    const created = await first.request('/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      body: JSON.stringify({ metadata: { name: 'last-write' }, data: { a: '1' } }),
    });
    expect(created.status).toBe(201);
    // The last write before the kill: a deletion, whose resourceVersion is not on any object.
    const gone = await first.request('/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      body: JSON.stringify({ metadata: { name: 'deleted' } }),
    });
    expect(gone.status).toBe(201);
    const deleted = await first.request('/api/v1/namespaces/default/configmaps/deleted', {
      method: 'DELETE',
    });
    expect(deleted.status).toBe(200);
    const list = await first.request('/api/v1/namespaces/default/configmaps');
    const lastRv = Number(list.body.metadata?.resourceVersion);
    expect(await first.kill()).toBe('SIGKILL');

    const second = await spawnSim(dataFile, kubeconfig);
    try {
      const read = await second.request('/api/v1/namespaces/default/configmaps/last-write');
      expect(read.status).toBe(200);
      expect(read.body.data).toEqual({ a: '1' });
      expect(read.body.metadata?.resourceVersion).toBe(created.body.metadata?.resourceVersion);
      expect((await second.request('/api/v1/namespaces/default/configmaps/deleted')).status).toBe(404);
      const next = await second.request('/api/v1/namespaces/default/configmaps', {
        method: 'POST',
        body: JSON.stringify({ metadata: { name: 'after-restart' } }),
      });
      expect(next.status).toBe(201);
      expect(Number(next.body.metadata?.resourceVersion)).toBeGreaterThan(lastRv);
    } finally {
      await second.kill();
    }
    // Killed again right after a create: that object and its resourceVersion are kept too.
    const third = await spawnSim(dataFile, kubeconfig);
    try {
      const read = await third.request('/api/v1/namespaces/default/configmaps/after-restart');
      expect(read.status).toBe(200);
      const later = await third.request('/api/v1/namespaces/default/configmaps', {
        method: 'POST',
        body: JSON.stringify({ metadata: { name: 'third' } }),
      });
      expect(Number(later.body.metadata?.resourceVersion)).toBeGreaterThan(
        Number(read.body.metadata?.resourceVersion),
      );
    } finally {
      await third.kill();
    }
    // Three processes started one after another: room for a busy machine.
  }, 90_000);

  it('imports a JSON data file of an earlier version', async () => {
    const dataFile = join(dir, 'legacy.json');
    await writeFile(
      dataFile,
      JSON.stringify({
        resourceVersion: 500,
        objects: [
          {
            typeKey: '/namespaces',
            object: {
              apiVersion: 'v1',
              kind: 'Namespace',
              metadata: { name: 'default', uid: 'u1', resourceVersion: '2' },
            },
          },
          {
            typeKey: '/configmaps',
            object: {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name: 'old', namespace: 'default', uid: 'u2', resourceVersion: '499' },
              data: { k: 'v' },
            },
          },
        ],
      }),
    );
    const sim = await startSim({ dataFile, profile: 'bare' });
    try {
      const cm = await sim.core.readNamespacedConfigMap({ name: 'old', namespace: 'default' });
      expect(cm.data).toEqual({ k: 'v' });
      const next = await sim.core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: 'new' } },
      });
      expect(Number(next.metadata?.resourceVersion)).toBeGreaterThan(500);
    } finally {
      await sim.stop();
    }
  });
});
