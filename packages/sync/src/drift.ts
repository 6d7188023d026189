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

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

const SELECTOR_KEYS = new Set(['matchLabels', 'matchExpressions']);
const hasEntries = (v: unknown) =>
  Array.isArray(v) ? v.length > 0 : isObject(v) ? Object.keys(v).length > 0 : v !== undefined && v !== null;

/**
 * A label selector's requirements: what it selects by. kube-apiserver defaults none of them (unlike
 * an empty struct such as a Deployment's `strategy: {}`, which comes back filled in).
 */
const requirementsOf = (v: Record<string, unknown>) =>
  Object.entries(v).filter(([key, value]) => SELECTOR_KEYS.has(key) && hasEntries(value));

/**
 * Whether `want` is a label selector: an object of `matchLabels` and `matchExpressions` only, or an
 * empty object where the observed one has requirements. A selector is atomic (`+structType=atomic`):
 * an apply replaces it whole, so `{}` (everything) over live requirements is drift, and so is a
 * requirement the live one has and we do not set.
 */
const isSelector = (have: Record<string, unknown>, want: Record<string, unknown>) => {
  const keys = Object.keys(want);
  return keys.length > 0 ? keys.every((k) => SELECTOR_KEYS.has(k)) : requirementsOf(have).length > 0;
};

/** Selectors select alike: the same labels and, element by element, the same expressions. */
const sameSelector = (have: Record<string, unknown>, want: Record<string, unknown>) => {
  const labels = (v: unknown) => (isObject(v) ? v : {});
  const [haveLabels, wantLabels] = [labels(have.matchLabels), labels(want.matchLabels)];
  if (Object.keys(haveLabels).length !== Object.keys(wantLabels).length) return false;
  if (!Object.entries(wantLabels).every(([k, v]) => haveLabels[k] === v)) return false;
  const expressions = (v: unknown) => (Array.isArray(v) ? v : []);
  return contains(expressions(have.matchExpressions), expressions(want.matchExpressions));
};

/**
 * Whether the observed object already carries everything we want: every field we set has the same
 * value (lists element by element, same length); fields the server or controllers added are fine,
 * except in a label selector, which is compared whole. This is how a no-op pass decides, without a
 * request, that an object needs no apply.
 */
export const contains = (have: unknown, want: unknown): boolean => {
  if (Array.isArray(want)) {
    // kube-apiserver leaves an empty list out of built-in objects (Go's omitempty): an app without
    // env (`env: []`) reads back without `env`, and would look drifted on every pass.
    if (want.length === 0 && have === undefined) return true;
    return Array.isArray(have) && have.length === want.length && want.every((w, i) => contains(have[i], w));
  }
  if (isObject(want)) {
    if (!isObject(have)) return false;
    if (isSelector(have, want)) return sameSelector(have, want);
    return Object.entries(want).every(([key, w]) => w === undefined || contains(have[key], w));
  }
  return equalScalars(want, have);
};
