// Start and stop a real CNCF distribution registry from Node (bin/registry, built by build.sh),
// with filesystem storage in a temporary directory and token authentication against the token
// server the caller names: the one place that knows its command line and its ready line.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REGISTRY_BINARY = fileURLToPath(new URL('../bin/registry', import.meta.url));

export interface RealRegistryOptions {
  /** The registry's `auth.token` settings: where clients get tokens, and whose tokens it trusts. */
  token: { realm: string; issuer: string; service: string; jwks: { keys: object[] } };
  /** Give up when the registry is not listening within this time (default 30 s). */
  timeoutMs?: number;
  binary?: string;
}

export interface RealRegistry {
  /** `http://127.0.0.1:<port>`: the registry's API is under `/v2/`. */
  url: string;
  /** Its storage and configuration; removed by `stop()`. */
  dir: string;
  /** The registry's log so far (for a failing test's message). */
  log(): string;
  stop(): Promise<void>;
}

/** Starts the registry on a free loopback port (it binds port 0 and logs the one it got). */
export const startRealRegistry = async (options: RealRegistryOptions): Promise<RealRegistry> => {
  const binary = options.binary ?? REGISTRY_BINARY;
  if (!existsSync(binary))
    throw new Error(
      `${binary} is missing: build it with \`bash tooling/registry-real/build.sh\` (needs Go 1.26)`,
    );
  const dir = await mkdtemp(join(tmpdir(), 'uncloud-registry-real-'));
  await writeFile(join(dir, 'jwks.json'), JSON.stringify(options.token.jwks));
  // JSON is YAML: the registry reads this as its config.yml.
  const config = {
    version: 0.1,
    log: { level: 'info', formatter: 'text' },
    storage: { filesystem: { rootdirectory: join(dir, 'data') }, delete: { enabled: true } },
    http: { addr: '127.0.0.1:0' },
    auth: {
      token: {
        realm: options.token.realm,
        service: options.token.service,
        issuer: options.token.issuer,
        jwks: join(dir, 'jwks.json'),
      },
    },
  };
  await writeFile(join(dir, 'config.yml'), JSON.stringify(config, null, 2));
  const child = spawn(binary, ['serve', join(dir, 'config.yml')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // No OpenTelemetry exporter to reach on this machine.
    env: { ...process.env, OTEL_TRACES_EXPORTER: 'none' },
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let log = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`the registry did not listen within ${options.timeoutMs ?? 30_000} ms:\n${log}`)),
      options.timeoutMs ?? 30_000,
    );
    const read = (chunk: Buffer) => {
      log = (log + chunk.toString('utf8')).slice(-20_000);
      const listening = /listening on (127\.0\.0\.1:\d+)/.exec(log);
      if (listening) {
        clearTimeout(timer);
        resolve(`http://${listening[1]}`);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the registry exited (${code}) before listening:\n${log}`));
    });
  });
  return {
    url,
    dir,
    log: () => log,
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(force);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
};
