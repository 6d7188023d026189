import { monitorEventLoopDelay } from 'node:perf_hooks';

/** The q-quantile (0..1) of the values, by the nearest-rank method. */
export const quantile = (values: number[], q: number): number => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
};

export const elapsedMs = (since: number) => performance.now() - since;

/**
 * The event loop's delay while `work` runs (perf_hooks' histogram, 1 ms resolution): p99 and the
 * worst stretch, in ms. What a request arriving then waits before it is even read.
 */
export const measureLoopLag = async <T>(work: () => Promise<T>): Promise<{ result: T; lag: LoopLag }> => {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  try {
    const result = await work();
    return { result, lag: { p99Ms: histogram.percentile(99) / 1e6, maxMs: histogram.max / 1e6 } };
  } finally {
    histogram.disable();
  }
};

export interface LoopLag {
  p99Ms: number;
  maxMs: number;
}
