// Kubernetes resource quantities ("500m", "1Gi", "2") as numbers and back, as the API server
// parses them for validation, quota and metrics. The simulated cluster keeps its own copy rather
// than importing @uncloud/kube's: a test double that shares the client's parser would agree with
// the client's bugs instead of catching them.

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const RE = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

export function parseQuantity(q: string | number | undefined): number | undefined {
  if (q === undefined) return undefined;
  if (typeof q === 'number') return q;
  const m = RE.exec(q.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  if (Number.isNaN(n)) return undefined;
  return n * (SUFFIX[m[2] ?? ''] ?? 1);
}

/** Canonical-looking form: millis for fractions, binary suffixes for exact byte multiples. */
export function formatQuantity(n: number, kind: 'cpu' | 'bytes' | 'count' = 'count'): string {
  if (kind === 'cpu' && !Number.isInteger(n)) return `${Math.round(n * 1000)}m`;
  if (kind === 'bytes' && n > 0) {
    for (const s of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
      const f = SUFFIX[s] as number;
      if (n % f === 0) return `${n / f}${s}`;
    }
  }
  return String(Math.round(n * 1000) / 1000);
}
