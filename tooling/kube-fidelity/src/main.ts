// The differential fidelity report: the same probes against the simulated cluster and the real
// control plane, side by side. A measurement, not a gate: exit 0 with divergences, non-zero only
// when the harness fails (a cluster does not start, a probe throws or hangs).
//
//   npm run fidelity -w @uncloud/kube-fidelity [-- --markdown] [--only=a,b] [--concurrency=3] [--sim-delay=300]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildReal, startReal, startSim, type Paths, type RunningCluster } from './clusters.ts';
import { ClusterHandle, rawRequest } from './probe-cluster.ts';
import { probes } from './probes/index.ts';
import { figureOf, figureLine, jsonReport, markdownReport, textReport, type RunInfo } from './report.ts';
import { pairResults, runAll } from './runner.ts';

const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const markdown = process.argv.includes('--markdown');
const only = flag('only')
  ?.split(',')
  .filter((s) => s !== '');
const concurrency = Number(flag('concurrency') ?? 3);
const simDelay = flag('sim-delay') !== undefined ? Number(flag('sim-delay')) : undefined;
/** Whole run, clusters included: beyond it the harness gives up (exit 1). */
const WATCHDOG_MS = 12 * 60_000;
const PROBE_TIMEOUT_MS = 120_000;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const resultsDir = join(repoRoot, 'bench-results');
const log = (line: string) => process.stderr.write(`${line}\n`);
const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

const selected = only ? probes.filter((p) => only.includes(p.name)) : probes;
if (only && selected.length !== only.length) {
  const known = new Set(probes.map((p) => p.name));
  log(`unknown probe(s): ${only.filter((n) => !known.has(n)).join(', ')}`);
  process.exit(2);
}
if (!has('kubectl', ['version', '--client'])) {
  log('kube-fidelity: kubectl is not on PATH; the probes need it');
  process.exit(1);
}

const paths: Paths = { repoRoot, tsxLoader: import.meta.resolve('tsx') };
const realBinary = join(repoRoot, 'tooling/kube-real/bin/kube-real');
if (!has('go', ['version'])) {
  if (!existsSync(realBinary)) {
    log(
      'kube-fidelity: skipped — Go is not installed, so tooling/kube-real (the real control plane) cannot be built.\n' +
        'Install Go >= 1.26 and run again; see tooling/kube-real/README.md.',
    );
    process.exit(0);
  }
  log('kube-fidelity: Go is not installed; using the kube-real binaries already built, without rebuilding');
} else {
  log('kube-fidelity: bash tooling/kube-real/build.sh (a no-op when up to date)');
  await buildReal(paths);
}

const running: RunningCluster[] = [];
let stopping: Promise<void> | undefined;
const stopAll = () => (stopping ??= Promise.all(running.map((c) => c.stop())).then(() => undefined));
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    log(`kube-fidelity: ${signal}, stopping the clusters`);
    void stopAll().finally(() => process.exit(130));
  });
const watchdog = setTimeout(() => {
  log(`kube-fidelity: still running after ${WATCHDOG_MS / 60_000} minutes; giving up`);
  void stopAll().finally(() => process.exit(1));
}, WATCHDOG_MS);
watchdog.unref();

const version = async (h: ClusterHandle) => {
  const v = await rawRequest(h.kc, 'GET', '/version');
  const git = String((v.body as { gitVersion?: string } | undefined)?.gitVersion ?? `HTTP ${v.status}`);
  if (h.label !== 'real' || !git.startsWith('v0.0.0')) return git;
  // Built from modules without version stamping: name the module kube-real pins instead.
  const goMod = readFileSync(join(repoRoot, 'tooling/kube-real/go.mod'), 'utf8');
  const pinned = /^\s*k8s\.io\/kubernetes (v\S+)/m.exec(goMod)?.[1];
  return pinned ? `k8s.io/kubernetes ${pinned}` : git;
};

let exitCode = 0;
const started = Date.now();
try {
  log('kube-fidelity: starting the simulated cluster and kube-real (1 KWOK node) on 127.0.0.1');
  const starts = await Promise.allSettled([startSim(paths, { delayMs: simDelay }), startReal(paths)]);
  for (const s of starts) if (s.status === 'fulfilled') running.push(s.value);
  const failed = starts.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed.length > 0)
    throw new Error(
      failed.map((f) => String(f.reason instanceof Error ? f.reason.message : f.reason)).join('\n'),
    );
  const [simCluster, realCluster] = running as [RunningCluster, RunningCluster];
  log(
    `kube-fidelity: sim ready in ${simCluster.startSeconds.toFixed(1)} s, real in ${realCluster.startSeconds.toFixed(1)} s`,
  );

  const sim = new ClusterHandle(simCluster);
  const real = new ClusterHandle(realCluster);
  await Promise.all([sim.init(), real.init()]);
  const info: RunInfo = {
    measuredAt: new Date().toISOString(),
    seconds: 0,
    sim: { version: await version(sim), startSeconds: simCluster.startSeconds },
    real: { version: await version(real), startSeconds: realCluster.startSeconds },
  };

  log(`kube-fidelity: ${selected.length} probes, ${concurrency} at a time on each cluster`);
  const done = { sim: 0, real: 0 };
  const onDone = (label: 'sim' | 'real') => (p: { name: string }, r: { error?: string; seconds: number }) => {
    done[label] += 1;
    log(
      `  [${label} ${done[label]}/${selected.length}] ${p.name} ${r.error ? 'ERROR' : 'done'} (${r.seconds} s)`,
    );
  };
  const [simRuns, realRuns] = await Promise.all([
    runAll(sim, selected, { concurrency, timeoutMs: PROBE_TIMEOUT_MS, onDone: onDone('sim') }),
    runAll(real, selected, { concurrency, timeoutMs: PROBE_TIMEOUT_MS, onDone: onDone('real') }),
  ]);
  const results = pairResults(selected, simRuns, realRuns);
  info.seconds = (Date.now() - started) / 1000;

  mkdirSync(resultsDir, { recursive: true });
  const jsonPath = join(resultsDir, 'fidelity.json');
  writeFileSync(jsonPath, `${JSON.stringify(jsonReport(results, info), null, 2)}\n`);
  process.stdout.write(`${markdown ? markdownReport(results, info) : textReport(results, info)}\n`);
  log(`\nresults written to ${jsonPath}`);
  const figure = figureOf(results);
  if (markdown) log(figureLine(figure));
  if (figure.harnessErrors > 0) {
    log(`kube-fidelity: ${figure.harnessErrors} probe(s) failed to run (harness errors above)`);
    exitCode = 1;
  }
} catch (e) {
  log(`kube-fidelity: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  exitCode = 1;
} finally {
  log('kube-fidelity: stopping the clusters');
  await stopAll();
  clearTimeout(watchdog);
}
process.exit(exitCode);
