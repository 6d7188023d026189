// Run every probe against one cluster, each in its own fresh namespace, a few at a time.
import { compare, type Comparison } from './compare.ts';
import { normalizeObservation } from './normalize.ts';
import type { ClusterHandle } from './probe-cluster.ts';
import type { Observation, Probe } from './types.ts';

export interface ProbeRun {
  /** As observed (only the probe's own shaping applied). */
  raw?: Observation;
  /** Normalized: what is compared. */
  observation?: Observation;
  /** The probe threw or timed out: a harness failure, not a divergence. */
  error?: string;
  seconds: number;
}

export interface ProbeResult {
  name: string;
  area: string;
  description: string;
  sim: ProbeRun;
  real: ProbeRun;
  comparison: Comparison;
}

export const namespaceOf = (probe: Pick<Probe, 'name'>) => `fid-${probe.name}`;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export async function runProbe(handle: ClusterHandle, probe: Probe, timeoutMs: number): Promise<ProbeRun> {
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 100) / 10;
  try {
    const run = async () => probe.run(await handle.forProbe(namespaceOf(probe)));
    const raw = await withTimeout(run(), timeoutMs, `${handle.label}: probe ${probe.name}`);
    return {
      raw,
      observation: normalizeObservation(raw, { nodeNames: handle.nodeNames }),
      seconds: seconds(),
    };
  } catch (e) {
    return { error: e instanceof Error ? (e.stack ?? e.message) : String(e), seconds: seconds() };
  }
}

/** Every probe against one cluster, `concurrency` at a time; `onDone` after each. */
export async function runAll(
  handle: ClusterHandle,
  list: Probe[],
  opts: { concurrency: number; timeoutMs: number; onDone?: (probe: Probe, run: ProbeRun) => void },
): Promise<Map<string, ProbeRun>> {
  const results = new Map<string, ProbeRun>();
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const probe = list[next++] as Probe;
      const run = await runProbe(handle, probe, opts.timeoutMs);
      results.set(probe.name, run);
      opts.onDone?.(probe, run);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker));
  return results;
}

/** Pair the two runs of each probe and compare them. */
export function pairResults(
  list: Probe[],
  sim: Map<string, ProbeRun>,
  real: Map<string, ProbeRun>,
): ProbeResult[] {
  return list.map((probe) => {
    const s = sim.get(probe.name) ?? { error: 'not run', seconds: 0 };
    const r = real.get(probe.name) ?? { error: 'not run', seconds: 0 };
    const comparison: Comparison =
      s.observation && r.observation
        ? compare(s.observation, r.observation)
        : { agree: false, diff: `harness error: ${(s.error ?? r.error ?? '').split('\n')[0]}` };
    return {
      name: probe.name,
      area: probe.area,
      description: probe.description,
      sim: s,
      real: r,
      comparison,
    };
  });
}
