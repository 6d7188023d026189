// Both clusters as child processes with the same contract: started on loopback in a temporary
// directory, ready when they print `kubeconfig: <path>` on stdout, stopped with SIGTERM.
// The simulator runs as its own process (packages/kube-sim/src/main.ts, what `npm run sim`
// runs) rather than imported: the dependency rules keep @uncloud/kube-sim out of tooling code,
// and a separate process keeps its event loop apart from the probes'.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterLabel } from './types.ts';

export interface RunningCluster {
  label: ClusterLabel;
  kubeconfigPath: string;
  /** Temporary directory: kubeconfig, kubectl cache, logs. Removed by stop(). */
  dir: string;
  /** Seconds from spawn to ready. */
  startSeconds: number;
  stop(): Promise<void>;
}

interface StartSpec {
  label: ClusterLabel;
  command: string;
  args: (dir: string) => string[];
  cwd: string;
  timeoutMs: number;
}

/** Children still running, for the synchronous last-resort kill on process exit. */
const live = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // Each cluster runs in its own process group (detached), so its own children go too.
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

process.on('exit', () => {
  for (const child of live) killGroup(child, 'SIGKILL');
});

async function startCluster(spec: StartSpec): Promise<RunningCluster> {
  const dir = await mkdtemp(join(tmpdir(), `uncloud-fidelity-${spec.label}-`));
  const logPath = join(dir, `${spec.label}.log`);
  const log = createWriteStream(logPath);
  const started = Date.now();
  const child = spawn(spec.command, spec.args(dir), {
    cwd: spec.cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, KUBECONFIG: '' },
  });
  live.add(child);
  let tail = '';
  const keepTail = (chunk: Buffer) => {
    log.write(chunk);
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  child.stderr?.on('data', keepTail);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      live.delete(child);
      resolve();
    });
    child.once('error', () => {
      live.delete(child);
      resolve();
    });
  });

  const stop = async () => {
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
    log.end();
    await rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
  };

  try {
    const kubeconfigPath = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(
        () => reject(new Error(`${spec.label}: not ready after ${spec.timeoutMs / 1000} s`)),
        spec.timeoutMs,
      );
      child.stdout?.on('data', (chunk: Buffer) => {
        keepTail(chunk);
        out += chunk.toString('utf8');
        const m = /^kubeconfig: (.+)$/m.exec(out);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1].trim());
        }
      });
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(new Error(`${spec.label}: cannot start ${spec.command}: ${e.message}`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${spec.label}: exited before ready (${signal ?? `code ${code}`})`));
      });
    });
    return {
      label: spec.label,
      kubeconfigPath,
      dir,
      startSeconds: (Date.now() - started) / 1000,
      stop,
    };
  } catch (e) {
    await stop();
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(`${why}\n--- last output of ${spec.label} ---\n${tail.trim()}`);
  }
}

export interface Paths {
  repoRoot: string;
  /** file: URL of tsx's ESM loader (node --import). */
  tsxLoader: string;
}

/** The simulated cluster, as `npm run sim -w @uncloud/kube-sim` runs it (controllers at their default 300 ms). */
export async function startSim(paths: Paths, opts: { delayMs?: number } = {}): Promise<RunningCluster> {
  const main = join(paths.repoRoot, 'packages/kube-sim/src/main.ts');
  if (!existsSync(main)) throw new Error(`sim: ${main} not found`);
  return startCluster({
    label: 'sim',
    command: process.execPath,
    args: (dir) => [
      '--import',
      paths.tsxLoader,
      main,
      '--kubeconfig',
      join(dir, 'kubeconfig'),
      ...(opts.delayMs !== undefined ? ['--delay', String(opts.delayMs)] : []),
    ],
    cwd: join(paths.repoRoot, 'packages/kube-sim'),
    timeoutMs: 60_000,
  });
}

/** tooling/kube-real with one KWOK node, like the simulator's one node. */
export function startReal(paths: Paths): Promise<RunningCluster> {
  const bin = join(paths.repoRoot, 'tooling/kube-real/bin/kube-real');
  return startCluster({
    label: 'real',
    command: bin,
    // kube-real refuses to wipe a directory it did not create: give it a fresh one inside ours.
    args: (dir) => ['--dir', join(dir, 'plane'), '--nodes', '1', '--timeout', '3m'],
    cwd: paths.repoRoot,
    timeoutMs: 200_000,
  });
}

/** `bash tooling/kube-real/build.sh` (a no-op when the binaries are up to date). */
export function buildReal(paths: Paths): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(paths.repoRoot, 'tooling/kube-real/build.sh')], {
      cwd: paths.repoRoot,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    // A cold build takes ~15 minutes on 2 cores; a warm one seconds.
    const timer = setTimeout(() => child.kill('SIGTERM'), 30 * 60_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`tooling/kube-real/build.sh failed (${signal ?? `exit ${code}`})`));
    });
  });
}
