// Start and stop a real S3 server from Node: the Versity S3 Gateway built by build.sh, with its
// posix backend and internal IAM in a new temporary directory, on two loopback ports (S3, admin).
// It verifies every request's SigV4 signature against the accounts it holds, so a wrong or
// deleted key is refused as on any S3 service.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface S3RealServer {
  /** The S3 API, e.g. `http://127.0.0.1:40123` (path-style). */
  endpoint: string;
  /** The gateway's admin API (users, buckets with an owner). */
  adminEndpoint: string;
  /** The root account: may do anything, and administers users. */
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** Where the buckets and IAM file live. Removed by `stop()`. */
  dir: string;
  /** SIGTERM, wait for the exit (SIGKILL after 10 s), remove the directory. */
  stop(): Promise<void>;
}

export const S3_REAL_BINARY = fileURLToPath(new URL('../bin/versitygw', import.meta.url));

/** Whether the server is built here (`bash tooling/s3-real/build.sh`). */
export const s3RealAvailable = (binary = S3_REAL_BINARY) => existsSync(binary);

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Polls until the S3 port answers HTTP (any status: an unsigned request is refused with 403). */
const waitUntilServing = async (endpoint: string, deadline: number, exited: () => string | undefined) => {
  for (;;) {
    const exit = exited();
    if (exit) throw new Error(exit);
    try {
      await fetch(endpoint, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`the S3 server did not answer on ${endpoint}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
};

export const startS3Real = async (
  options: { binary?: string; timeoutMs?: number; region?: string } = {},
): Promise<S3RealServer> => {
  const binary = options.binary ?? S3_REAL_BINARY;
  if (!existsSync(binary))
    throw new Error(
      `${binary} is missing: build it with \`bash tooling/s3-real/build.sh\` (needs Go; ~2.5 min cold)`,
    );
  const dir = await mkdtemp(join(tmpdir(), 'uncloud-s3-real-'));
  await Promise.all([mkdir(join(dir, 'buckets')), mkdir(join(dir, 'iam'))]);
  const [port, adminPort] = [await freePort(), await freePort()];
  const region = options.region ?? 'us-east-1';
  const accessKeyId = `ROOT${randomBytes(8).toString('hex').toUpperCase()}`;
  const secretAccessKey = randomBytes(30).toString('base64url');
  const child = spawn(
    binary,
    [
      '--port',
      `127.0.0.1:${port}`,
      '--admin-port',
      `127.0.0.1:${adminPort}`,
      '--region',
      region,
      '--iam-dir',
      join(dir, 'iam'),
      'posix',
      join(dir, 'buckets'),
    ],
    // The root keys through the environment, never on a command line others can read.
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ROOT_ACCESS_KEY: accessKeyId, ROOT_SECRET_KEY: secretAccessKey },
    },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let tail = '';
  child.stderr.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString('utf8')).slice(-2000)));
  let exit: string | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = `versitygw exited (${signal ?? code}): ${tail.trim()}`;
      resolve();
    }),
  );
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (exit === undefined) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(endpoint, Date.now() + (options.timeoutMs ?? 30_000), () => exit);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    endpoint,
    adminEndpoint: `http://127.0.0.1:${adminPort}`,
    accessKeyId,
    secretAccessKey,
    region,
    dir,
    stop,
  };
};
