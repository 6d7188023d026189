const suffixes: Record<string, number> = {
  '': 1,
  m: 1e-3,
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
const quantityPattern = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/** The value of a Kubernetes quantity string (`4Gi`, `500m`), or null when it is not one. */
export const parseQuantity = (value: string): number | null => {
  const match = quantityPattern.exec(value);
  return match ? Number(match[1]) * suffixes[match[2] ?? '']! : null;
};

const equalScalars = (want: unknown, have: unknown) => {
  if (want === have) return true;
  // API servers canonicalise quantities (4096Mi comes back as 4Gi) and may turn "2" into 2.
  if (
    (typeof want === 'string' || typeof want === 'number') &&
    (typeof have === 'string' || typeof have === 'number')
  ) {
    const a = parseQuantity(String(want));
    const b = parseQuantity(String(have));
    return a !== null && a === b;
  }
  return false;
};

/**
 * Whether the observed object already carries everything we want: every field we set has the same
 * value (lists element by element, same length); fields the server or controllers added are fine.
 * This is how a no-op pass decides, without a request, that an object needs no apply.
 */
export const contains = (have: unknown, want: unknown): boolean => {
  if (Array.isArray(want)) {
    return Array.isArray(have) && have.length === want.length && want.every((w, i) => contains(have[i], w));
  }
  if (want !== null && typeof want === 'object') {
    if (have === null || typeof have !== 'object' || Array.isArray(have)) return false;
    return Object.entries(want).every(
      ([key, w]) => w === undefined || contains((have as Record<string, unknown>)[key], w),
    );
  }
  return equalScalars(want, have);
};
