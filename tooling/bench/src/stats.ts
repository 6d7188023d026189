/** The q-quantile (0..1) of the values, by the nearest-rank method. */
export const quantile = (values: number[], q: number): number => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
};

export const elapsedMs = (since: number) => performance.now() - since;
