import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createUncloudClient } from '@uncloud/sdk';
import { sshPublicKeys, waitFor } from '@uncloud/testing';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
// A data dir that does not exist yet, as on a fresh machine.
const dataDir = join(mkdtempSync(join(tmpdir(), 'uncloud-main-')), 'data');
afterAll(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));

/** Starts the real entry point as `npm start` would, on a random port. */
const startProcess = (env: Record<string, string> = {}) => {
  // The condition makes `@uncloud/sdk` resolve to its source, as in `npm start`.
  const child = spawn(process.execPath, ['--conditions=@uncloud/source', '--import', 'tsx', main], {
    env: { ...process.env, PORT: '0', UNCLOUD_DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
};

const urlOf = (output: string) => /"url":"(http:\/\/[^"]+)"/.exec(output)?.[1];
const stop = async (p: { child: ChildProcess; exited: Promise<number | null> }) => {
  p.child.kill('SIGTERM');
  return p.exited;
};

describe('the server process', () => {
  it('starts on an empty data dir, prints the admin token once, and stops cleanly on SIGTERM', async () => {
    const first = startProcess();
    const url = await waitFor(() => urlOf(first.output()), {
      timeout: 20_000,
      message: 'the listening log line',
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    // It holds env values, user data and the simulated cluster's keys: the owner's alone.
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'uncloud.db')).mode & 0o777).toBe(0o600);
    // Without KUBECONFIG it runs the embedded cluster, and says so before anything else.
    expect(first.output().split('\n')[0]).toContain('running on the embedded simulated cluster');
    // …in a thread of its own, off the API's event loop.
    expect(first.output().split('\n')[0]).toContain('"simulator":"separate"');
    const token = /sign in with the admin token:\s+(uc_\S+)/.exec(first.output())?.[1];
    expect(token).toBeDefined();

    // What an outside script does with the printed token.
    const client = createUncloudClient({ url, token: token! });
    const project = await client.projects.create.mutate({ name: 'kept' });
    const key = await client.sshKeys.create.mutate({
      projectId: project.id,
      name: 'laptop',
      publicKey: sshPublicKeys.ed25519.line,
    });
    const droplet = await client.droplets.create.mutate({
      projectId: project.id,
      name: 'web-1',
      size: 's-1vcpu-1gb',
      image: 'ubuntu-24-04',
      sshKeyIds: [key.id],
    });
    expect(await client.droplets.get.query({ projectId: project.id, id: droplet.id })).toMatchObject({
      name: 'web-1',
      sshKeyIds: [key.id],
      state: 'pending',
    });
    expect((await client.sshKeys.get.query({ projectId: project.id, id: key.id })).fingerprint).toBe(
      sshPublicKeys.ed25519.fingerprint,
    );
    expect(await stop(first)).toBe(0);
    expect(first.output()).toContain('shutting down');
    // A clean close folds the write-ahead log back into the database file.
    expect(existsSync(join(dataDir, 'uncloud.db-wal'))).toBe(false);
    // The simulated cluster was stopped with it, and closed its data file.
    expect(existsSync(join(dataDir, 'simulated-cluster.json-wal'))).toBe(false);

    const second = startProcess();
    const again = await waitFor(() => urlOf(second.output()), {
      timeout: 20_000,
      message: 'the listening log line',
    });
    expect(second.output()).not.toContain('sign in with the admin token');
    const after = createUncloudClient({ url: again, token: token! });
    expect((await after.projects.get.query({ projectId: project.id })).name).toBe('kept');
    expect(await stop(second)).toBe(0);
  }, 60_000);

  it('refuses to start with a wrong configuration, saying which variable is wrong', async () => {
    const bad = startProcess({ PORT: 'not-a-port' });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toMatch(/Invalid configuration:\n {2}PORT:/);
  }, 30_000);

  it('refuses to start when the chosen cluster cannot be loaded, never falling back to the simulator', async () => {
    const missing = join(dataDir, '..', 'no-such.kubeconfig');
    const ownDir = join(dataDir, '..', 'refused');
    const bad = startProcess({
      UNCLOUD_CLUSTER: 'kubeconfig',
      KUBECONFIG: missing,
      UNCLOUD_DATA_DIR: ownDir,
    });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toContain(`UNCLOUD_CLUSTER=kubeconfig: could not load the kubeconfig ${missing}`);
    expect(bad.output()).toContain('choose with UNCLOUD_CLUSTER=embedded');
    expect(bad.output()).not.toContain('simulated cluster (kubectl');
    expect(existsSync(join(ownDir, 'simulated-cluster.kubeconfig'))).toBe(false);
  }, 30_000);
});
