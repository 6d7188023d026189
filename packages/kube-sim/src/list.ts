// LIST semantics: selectors, resourceVersion and resourceVersionMatch, and limit + continue
// pagination. Every page of one list is served from the snapshot its first page saw (rebuilt from
// the store's history); a token whose snapshot is no longer retained answers 410 with a fresh one.
import { badRequest, gone, invalid, SimError } from './errors.ts';
import { clone } from './meta.ts';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  supportedFields,
} from './selectors.ts';
import { storageKey, type ObjectStore } from './store.ts';
import { typeKey, type StoredObject, type ResourceType } from './types.ts';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface ListResult {
  items: StoredObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** The real API server's token: `{"v":"meta.k8s.io/v1","rv":N,"start":"<key>\u0000"}`, base64url. */
interface ContinueToken {
  v: 'meta.k8s.io/v1';
  /** The snapshot's resourceVersion; -1 continues at the latest one (after an expired token). */
  rv: number;
  start: string;
  /** The simulator's own: tokens of an earlier epoch are expired (fault injection). */
  e?: number;
}

const TOKEN_VERSION = 'meta.k8s.io/v1';
const RV_WAIT_MS = 3000;

export function encodeContinue(rv: number, start: string, epoch: number): string {
  const token: ContinueToken = { v: TOKEN_VERSION, rv, start, ...(epoch ? { e: epoch } : {}) };
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

/** Go's encoding/json wording for the first thing it cannot read. */
function goJsonError(text: string): string {
  const first = [...text].find((c) => !' \t\r\n'.includes(c));
  if (first === undefined) return 'unexpected end of JSON input';
  if (!/[{["\-0-9tfn]/.test(first)) {
    const code = first.codePointAt(0) ?? 0;
    const shown =
      first === "'"
        ? "\\'"
        : code >= 0x20 && code < 0x7f
          ? first
          : `\\u${code.toString(16).padStart(4, '0')}`;
    return `invalid character '${shown}' looking for beginning of value`;
  }
  return 'unexpected end of JSON input';
}

function invalidToken(why: string): SimError {
  return badRequest(`invalid continue token: continue key is not valid: ${why}`);
}

function decodeContinue(token: string): ContinueToken {
  const bad = /[^A-Za-z0-9_-]/.exec(token);
  if (bad) throw invalidToken(`illegal base64 data at input byte ${bad.index}`);
  if (token.length % 4 === 1) throw invalidToken(`illegal base64 data at input byte ${token.length - 1}`);
  const text = Buffer.from(token, 'base64url').toString('latin1');
  let t: Partial<ContinueToken>;
  try {
    t = JSON.parse(text) as Partial<ContinueToken>;
  } catch {
    throw invalidToken(goJsonError(text));
  }
  if (t.v !== TOKEN_VERSION)
    throw invalidToken(`server does not recognize this encoded version ${String(t.v ?? '')}`);
  if (typeof t.rv !== 'number' || t.rv === 0)
    throw invalidToken('incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof t.start !== 'string' || t.start === '')
    throw invalidToken('encoded start key empty (version meta.k8s.io/v1)');
  return t as ContinueToken;
}

/** Builds a predicate that applies label and field selectors for a type. */
export function selectorPredicate(
  type: ResourceType,
  opts: Pick<ListOptions, 'labelSelector' | 'fieldSelector'>,
): (o: StoredObject) => boolean {
  const labels = parseLabelSelector(opts.labelSelector);
  const fields = parseFieldSelector(opts.fieldSelector, supportedFields(type.kind));
  return (o) => matchesLabels(labels, o.metadata.labels) && matchesFields(fields, o);
}

const LIST_OPTIONS = { group: 'meta.k8s.io', kind: 'ListOptions' };

/** The real server's ListOptions validation (422 on ListOptions.meta.k8s.io). */
function validateListOptions(opts: ListOptions): void {
  const match = opts.resourceVersionMatch;
  if (!match) return;
  const causes: { field: string; message: string; reason: string }[] = [];
  const forbid = (message: string) =>
    causes.push({
      field: 'resourceVersionMatch',
      message: `Forbidden: ${message}`,
      reason: 'FieldValueForbidden',
    });
  if (!opts.resourceVersion) forbid('resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (opts.continue) forbid('resourceVersionMatch is forbidden when continue is provided');
  if (match !== 'Exact' && match !== 'NotOlderThan')
    causes.push({
      field: 'resourceVersionMatch',
      message: `Unsupported value: "${match}": supported values: "Exact", "NotOlderThan", ""`,
      reason: 'FieldValueNotSupported',
    });
  if (match === 'Exact' && opts.resourceVersion === '0')
    forbid('resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
  if (causes.length > 0) throw invalid(LIST_OPTIONS, '', causes);
}

/** The resourceVersion a list asks for at least (undefined: any, or the latest). */
function requestedVersion(opts: ListOptions): number | undefined {
  const text = opts.resourceVersion;
  if (!text || text === '0') return undefined;
  const rv = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(rv))
    throw new SimError(400, 'BadRequest', `invalid resource version: ${text}`);
  return rv;
}

/**
 * A list at a resourceVersion the store has not reached waits for it, as the real server's cache
 * does, about 3 s, then answers 504 `Too large resource version` (retry after 1 s).
 */
export async function awaitResourceVersion(store: ObjectStore, opts: ListOptions): Promise<void> {
  validateListOptions(opts);
  const rv = requestedVersion(opts);
  if (rv === undefined || rv <= store.resourceVersion) return;
  const reached = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      off();
      resolve(false);
    }, RV_WAIT_MS);
    const off = store.subscribe(() => {
      if (store.resourceVersion < rv) return;
      clearTimeout(timer);
      off();
      resolve(true);
    });
  });
  if (!reached)
    throw new SimError(
      504,
      'Timeout',
      `Timeout: Too large resource version: ${rv}, current: ${store.resourceVersion}`,
      {
        causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
        retryAfterSeconds: 1,
      },
    );
}

/**
 * For a list of the latest objects whose label selector has `key=value` terms: the objects carrying
 * the rarest of those labels, from the store's label index, in key order (the full selector still
 * applies). Undefined when the selector has no such term.
 */
function indexedCandidates(
  store: ObjectStore,
  key: string,
  namespace: string | undefined,
  opts: ListOptions,
): StoredObject[] | undefined {
  if (!opts.labelSelector) return undefined;
  let best: { label: string; value: string; count: number } | undefined;
  for (const r of parseLabelSelector(opts.labelSelector)) {
    if (r.op !== '=') continue;
    const count = store.countLabelled(key, r.key, r.values[0]);
    if (!best || count < best.count) best = { label: r.key, value: r.values[0], count };
  }
  return best && store.listLabelled(key, namespace, best.label, best.value);
}

export function listObjects(
  store: ObjectStore,
  type: ResourceType,
  namespace: string | undefined,
  opts: ListOptions,
  tokenEpoch: number,
): ListResult {
  validateListOptions(opts);
  const match = selectorPredicate(type, opts);
  const key = typeKey(type);
  let snapshotRv = store.resourceVersion;
  let start: string | undefined;
  let all: StoredObject[] | undefined;
  if (opts.continue) {
    const token = decodeContinue(opts.continue);
    start = token.start;
    if (token.rv > 0) snapshotRv = token.rv;
    all = token.rv < 0 ? store.list(key, namespace) : store.listAt(key, namespace, token.rv);
    if (!all || (token.e ?? 0) !== tokenEpoch) {
      const expired = gone();
      expired.continueToken = encodeContinue(-1, token.start, tokenEpoch);
      throw expired;
    }
  } else if (opts.resourceVersionMatch === 'Exact') {
    const rv = requestedVersion(opts) ?? store.resourceVersion;
    all = store.listAt(key, namespace, rv);
    if (!all) throw gone('The resourceVersion for the provided list is too old.');
    snapshotRv = rv;
  } else all = indexedCandidates(store, key, namespace, opts) ?? store.list(key, namespace);
  const items: StoredObject[] = [];
  const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
  let remaining = 0;
  let last: string | undefined;
  for (const o of all) {
    if (start !== undefined && storageKey(o) < start) continue;
    if (!match(o)) continue;
    if (items.length < limit) {
      items.push(o);
      last = storageKey(o);
    } else remaining += 1;
  }
  const result: ListResult = { items: items.map(clone), resourceVersion: String(snapshotRv) };
  if (remaining > 0 && last !== undefined) {
    result.continue = encodeContinue(snapshotRv, `${last}\u0000`, tokenEpoch);
    if (!opts.labelSelector && !opts.fieldSelector) result.remainingItemCount = remaining;
  }
  return result;
}
