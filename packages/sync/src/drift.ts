import { parseQuantity } from '@uncloud/kube';

const equalScalars = (want: unknown, have: unknown) => {
  if (want === have) return true;
  // API servers canonicalise quantities (4096Mi comes back as 4Gi) and may turn "2" into 2.
  if (
    (typeof want === 'string' || typeof want === 'number') &&
    (typeof have === 'string' || typeof have === 'number')
  ) {
    const a = parseQuantity(String(want));
    return a !== undefined && a === parseQuantity(String(have));
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
    // kube-apiserver leaves an empty list out of built-in objects (Go's omitempty): an app without
    // env (`env: []`) reads back without `env`, and would look drifted on every pass.
    if (want.length === 0 && have === undefined) return true;
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
