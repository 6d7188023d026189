// Normalizers: what legitimately differs between two clusters answering the same request (uids,
// timestamps, resourceVersions, node names, IP addresses, ports, generated name suffixes, ages,
// continue tokens) is replaced by a placeholder, so that what is left can be compared as is.
import type { Json, Observation } from './types.ts';

export interface NormalizeContext {
  /** The cluster's node names (`uncloud-sim-1`, `kwok-node-0`): each becomes `<node>`. */
  nodeNames?: readonly string[];
}

/** Keys holding kubectl's printed output, whose duration cells (AGE) become `<age>`. */
const PRINTED_KEYS = new Set(['stdout', 'history']);

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const TIMESTAMP =
  /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?(?: [+-]\d{4} UTC)?/g;
const IPV4 = /\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b/g;
const IP_PORT = /<ip>:\d{2,5}\b/g;
const LOCALHOST_PORT = /\blocalhost:\d{2,5}\b/g;
/** `too old resource version: 12 (345)`, `resourceVersion: 12`, `resourceVersion=12`, `"resourceVersion":"12"`. */
const RESOURCE_VERSION = [
  /(too old resource version: )\d+( \()\d+(\))/g,
  /(resource ?version[:=] ?"?)\d+/gi,
  /("resourceVersion":\s*")\d+/g,
  /(Too large resource version: <rv>, current: )\d+/g,
];
/** `web-7c5ddbdf54-x7k2p` (pod of a ReplicaSet) and `web-7c5ddbdf54` (its ReplicaSet). */
const TEMPLATE_HASH_POD = /\b([a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*)-([a-z0-9]{6,10})-([a-z0-9]{5})\b/g;
/**
 * `AGE` and other duration cells of kubectl tables: `0s`, `12s`, `3m2s`, `5m`, `2h`, `4d`. Only in
 * printed output: elsewhere `500m` is a quantity, not five hundred minutes.
 */
const AGE = /(^|\s)(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?=\s|$)/g;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const hasDigit = (s: string) => /\d/.test(s);

/** Normalize one string (message, warning, field value); `printed`: kubectl table output. */
export function normalizeText(text: string, ctx: NormalizeContext = {}, printed = false): string {
  let s = text;
  // Node names first: they may contain digits that later rules would otherwise rewrite.
  for (const node of [...(ctx.nodeNames ?? [])].sort((a, b) => b.length - a.length))
    if (node) s = s.replace(new RegExp(`\\b${escape(node)}\\b`, 'g'), '<node>');
  s = s.replace(UUID, '<uid>');
  s = s.replace(TIMESTAMP, '<time>');
  s = s.replace(IPV4, '<ip>').replace(IP_PORT, '<ip>:<port>').replace(LOCALHOST_PORT, 'localhost:<port>');
  s = s.replace(RESOURCE_VERSION[0] as RegExp, '$1<rv>$2<rv>$3');
  for (const re of RESOURCE_VERSION.slice(1)) s = s.replace(re, '$1<rv>'); // in order: the last needs the second
  s = s.replace(TEMPLATE_HASH_POD, (whole, base: string, hash: string, rand: string) =>
    hasDigit(hash) || hasDigit(rand) ? `${base}-<hash>-<rand>` : whole,
  );
  if (printed) {
    s = s.replace(AGE, (whole: string, lead: string) => (whole.trim() === '' ? whole : `${lead}<age>`));
    // kubectl pads table columns to the widest cell: collapse runs of spaces so widths do not count.
    s = s.replace(/[ \t]{2,}/g, '  ');
  }
  return s.replace(/[ \t]+$/gm, '').trim();
}

/** Keys whose values are opaque per cluster, whatever their content. */
const OPAQUE_KEYS: Record<string, string> = {
  uid: '<uid>',
  resourceVersion: '<rv>',
  continue: '<token>',
  creationTimestamp: '<time>',
  deletionTimestamp: '<time>',
  lastTransitionTime: '<time>',
  lastUpdateTime: '<time>',
  lastHeartbeatTime: '<time>',
  lastProbeTime: '<time>',
  startTime: '<time>',
  firstTimestamp: '<time>',
  lastTimestamp: '<time>',
  eventTime: '<time>',
};

/** Normalize a JSON value: strings through normalizeText, opaque keys to placeholders. */
export function normalizeJson(value: Json, ctx: NormalizeContext = {}, key?: string): Json {
  if (key !== undefined && key in OPAQUE_KEYS && value !== null && value !== '')
    return OPAQUE_KEYS[key] as string;
  if (typeof value === 'string') return normalizeText(value, ctx, key !== undefined && PRINTED_KEYS.has(key));
  if (Array.isArray(value)) return value.map((v) => normalizeJson(v, ctx));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const k of Object.keys(value).sort()) out[k] = normalizeJson(value[k] as Json, ctx, k);
    return out;
  }
  return value;
}

/** The observation with every string normalized and `undefined` members dropped. */
export function normalizeObservation(obs: Observation, ctx: NormalizeContext = {}): Observation {
  const out: Observation = { status: obs.status };
  if (obs.reason !== undefined) out.reason = obs.reason;
  if (obs.message !== undefined) out.message = normalizeText(obs.message, ctx);
  if (obs.warnings !== undefined) out.warnings = obs.warnings.map((w) => normalizeText(w, ctx));
  if (obs.fields !== undefined)
    out.fields = normalizeJson(stripUndefined(obs.fields), ctx) as Record<string, Json>;
  return out;
}

/** JSON round trip: drops `undefined`, turns anything exotic into plain data. */
export function stripUndefined<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
