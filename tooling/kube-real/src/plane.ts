// Start and stop a kube-real control plane from Node: the one place that knows its command line
// and its ready contract (one stdout line `kubeconfig: <path>`, stop on SIGTERM). Used by the
// real tier's vitest globalSetup; anything else that needs a real API server can use it too.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface KubeRealPlane {
  /** Absolute path of the admin kubeconfig (user `uncloud-admin`, group `system:masters`). */
  kubeconfigPath: string;
  /** The plane's state directory: certificates, etcd data, `logs/*.log`. Removed by `stop()`. */
  dir: string;
  /** Seconds from spawn to ready. */
  startSeconds: number;
  /** SIGTERM, wait for a clean exit (SIGKILL after `stopTimeoutMs`), remove the directory. */
  stop(): Promise<void>;
}

export interface StartKubeRealOptions {
  /** KWOK nodes (default 3). */
  nodes?: number;
  /** Give up when the plane is not ready within this time (default 3 min: a loaded 2-core machine). */
  timeoutMs?: number;
  /** How long a stop may take before the plane is killed (default 30 s). */
  stopTimeoutMs?: number;
  /** The kube-real binary (default: `tooling/kube-real/bin/kube-real`, as `build.sh` leaves it). */
  binary?: string;
}

export const KUBE_REAL_BINARY = fileURLToPath(new URL('../bin/kube-real', import.meta.url));

/** Starts a control plane on loopback in a new temporary directory; resolves once it is ready. */
export const startKubeReal = async (options: StartKubeRealOptions = {}): Promise<KubeRealPlane> => {
  const binary = options.binary ?? KUBE_REAL_BINARY;
  if (!existsSync(binary)) {
    throw new Error(
      `${binary} is missing: build it with \`bash tooling/kube-real/build.sh\` (needs Go 1.26; ~10 min cold)`,
    );
  }
  const timeoutMs = options.timeoutMs ?? 180_000;
  const parent = await mkdtemp(join(tmpdir(), 'uncloud-kube-real-'));
  // kube-real refuses to wipe a directory it did not make: give it a fresh one inside ours.
  const dir = join(parent, 'plane');
  const started = Date.now();
  const child = spawn(
    binary,
    ['--dir', dir, '--nodes', String(options.nodes ?? 3), '--timeout', `${Math.ceil(timeoutMs / 1000)}s`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // Last resort when the process running the tests exits without stopping the plane.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('close', () => resolve());
  });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), options.stopTimeoutMs ?? 30_000);
      await exited;
      clearTimeout(kill);
      process.off('exit', killOnExit);
      await rm(parent, { recursive: true, force: true, maxRetries: 3 });
    })());

  try {
    const kubeconfigPath = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(
        () => reject(new Error(`kube-real was not ready within ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
      child.stdout.on('data', (chunk: Buffer) => {
        keep(chunk);
        out += chunk.toString('utf8');
        const line = /^kubeconfig: (.+)$/m.exec(out);
        if (line?.[1]) {
          clearTimeout(timer);
          resolve(line[1].trim());
        }
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`could not start ${binary}: ${error.message}`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`kube-real exited before it was ready (${signal ?? `exit code ${code}`})`));
      });
    });
    return { kubeconfigPath, dir, startSeconds: (Date.now() - started) / 1000, stop };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- kube-real's last output ---\n${tail.trim()}`);
  }
};
