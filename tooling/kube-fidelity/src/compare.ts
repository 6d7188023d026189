// Compare two normalized observations: agree, or diverge with a one-line diff naming each
// differing member (`status`, `reason`, `message`, `warnings[0]`, `fields.replicaSets`…).
import type { Json, Observation } from './types.ts';

export type Comparison = { agree: true } | { agree: false; diff: string };

const ABSENT = '<absent>';

/**
 * Flatten to `path → JSON text`: objects by key, arrays by index plus their length (`[2 items]`),
 * an empty object as `{}` (except `fields` itself: no fields and empty fields are the same).
 */
export function flatten(value: Json | undefined, prefix: string, out: Map<string, string>): void {
  if (value === undefined) return;
  if (Array.isArray(value)) {
    out.set(prefix, `[${value.length} item${value.length === 1 ? '' : 's'}]`);
    value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
    return;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    if (keys.length === 0 && prefix !== 'fields') out.set(prefix, '{}');
    for (const k of keys) flatten(value[k], prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  out.set(prefix, JSON.stringify(value));
}

function flattenObservation(obs: Observation): Map<string, string> {
  const out = new Map<string, string>();
  out.set('status', JSON.stringify(obs.status));
  if (obs.reason !== undefined) out.set('reason', JSON.stringify(obs.reason));
  if (obs.message !== undefined) out.set('message', JSON.stringify(obs.message));
  if (obs.warnings !== undefined) flatten(obs.warnings, 'warnings', out);
  if (obs.fields !== undefined) flatten(obs.fields, 'fields', out);
  return out;
}

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** Two values side by side; long strings that share a prefix are shown from where they differ. */
export function sideBySide(sim: string, real: string, max = 90): string {
  let common = 0;
  while (common < sim.length && common < real.length && sim[common] === real[common]) common += 1;
  const from = common > 24 ? common - 12 : 0;
  const cut = (s: string) => (from > 0 ? `…${s.slice(from)}` : s);
  return `sim ${clip(cut(sim), max)} | real ${clip(cut(real), max)}`;
}

/** Agree when every member is equal; otherwise a one-line diff, at most `maxLength` characters. */
export function compare(sim: Observation, real: Observation, maxLength = 400): Comparison {
  const a = flattenObservation(sim);
  const b = flattenObservation(real);
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  const order = (k: string) =>
    k === 'status' ? 0 : k === 'reason' ? 1 : k === 'message' ? 2 : k.startsWith('warnings') ? 3 : 4;
  keys.sort((x, y) => order(x) - order(y) || (x < y ? -1 : x > y ? 1 : 0));
  const diffs: string[] = [];
  for (const k of keys) {
    const va = a.get(k) ?? ABSENT;
    const vb = b.get(k) ?? ABSENT;
    if (va !== vb) diffs.push(`${k}: ${sideBySide(va, vb)}`);
  }
  if (diffs.length === 0) return { agree: true };
  const shown: string[] = [];
  let length = 0;
  for (const d of diffs) {
    if (shown.length > 0 && length + d.length + 2 > maxLength) break;
    shown.push(d);
    length += d.length + 2;
  }
  const more = diffs.length - shown.length;
  return {
    agree: false,
    diff: clip(shown.join('; ') + (more > 0 ? ` (+${more} more)` : ''), maxLength + 20),
  };
}
