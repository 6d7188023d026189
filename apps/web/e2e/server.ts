import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const webDir = resolve(import.meta.dirname, '..');
const apiDir = resolve(webDir, '../api');
export const distDir = join(webDir, 'dist');

export interface RunningApi {
  url: string;
  adminToken: string;
  /** Everything the server printed, for the failure message of a test that went wrong. */
  output: () => string;
  /** The server's data directory (the embedded cluster's kubeconfig is in it). */
  dataDir: string;
  close(): Promise<void>;
}

const newestMtime = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }, 0);

/**
 * The suite tests the dashboard as built: a missing build stops it, an older one is pointed out
 * (only pointed out: turbo may restore an identical build from its cache with an older date).
 */
export const assertFreshBuild = () => {
  const index = join(distDir, 'index.html');
  const rebuild =
    'Run `npm run build -w @uncloud/web` first (`npm run test:e2e` at the root builds it for you).';
  if (!existsSync(index)) throw new Error(`The dashboard is not built (${index} is missing). ${rebuild}`);
  if (newestMtime(join(webDir, 'src')) > statSync(index).mtimeMs)
    console.warn(`The dashboard build in ${distDir} looks older than its sources. ${rebuild}`);
};

const waitForListening = (child: ChildProcess, output: () => string, timeoutMs: number) =>
  new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the API did not start within ${timeoutMs} ms:\n${output()}`)),
      timeoutMs,
    );
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const line of buffered.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          const entry = JSON.parse(line) as { msg?: string; url?: string };
          if (entry.msg === 'Uncloud is listening' && entry.url) {
            clearTimeout(timer);
            resolveUrl(entry.url);
          }
        } catch {
          // A line still being written; the next chunk completes it.
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the API exited with code ${code} before listening:\n${output()}`));
    });
  });

/**
 * Starts the real server (`apps/api/src/main.ts`, as `npm start` does, with the workspace packages
 * read as TypeScript source) on the embedded simulated
 * cluster, in a temporary data directory, on a free loopback port, serving the built dashboard.
 */
export const startApi = async (
  /** More environment for the server (e.g. another cluster: `UNCLOUD_CLUSTER`, `KUBECONFIG`). */
  extraEnv: Record<string, string> = {},
): Promise<RunningApi> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'uncloud-e2e-'));
  const adminToken = `e2e-admin-${randomBytes(12).toString('hex')}`;
  const tsx = createRequire(join(apiDir, 'package.json')).resolve('tsx/cli');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: '0',
    HOST: '127.0.0.1',
    UNCLOUD_DATA_DIR: dataDir,
    UNCLOUD_ADMIN_TOKEN: adminToken,
    UNCLOUD_WEB_DIR: distDir,
    LOG_LEVEL: 'info',
    // Usage is sampled every 15 s by default; the overview's charts are checked (and photographed)
    // with a few samples in them, so they come faster here.
    UNCLOUD_USAGE_INTERVAL_MS: '2000',
    ...extraEnv,
  };
  const child = spawn(process.execPath, [tsx, '--conditions=@uncloud/source', join(apiDir, 'src/main.ts')], {
    cwd: apiDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const output = () => log.slice(-20_000);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(force);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const url = await waitForListening(child, output, 60_000);
    return { url, adminToken, output, dataDir, close };
  } catch (error) {
    await close();
    throw error;
  }
};
