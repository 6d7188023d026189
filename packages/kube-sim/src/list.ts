// LIST semantics: selectors, limit + continue pagination with tokens that expire.
import { gone, badRequest } from './errors.ts';
import { clone } from './meta.ts';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  supportedFields,
} from './selectors.ts';
import type { ObjectStore } from './store.ts';
import { typeKey, type StoredObject, type ResourceType } from './types.ts';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface ListResult {
  items: StoredObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

interface ContinueToken {
  rv: number;
  start: string;
  epoch: number;
}

export function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'sim/1', ...t })).toString('base64url');
}

function decodeContinue(token: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueToken & { v?: string };
    if (t.v !== 'sim/1' || typeof t.rv !== 'number' || typeof t.start !== 'string')
      throw new Error('bad token');
    return t;
  } catch {
    throw badRequest(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
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

export function listObjects(
  store: ObjectStore,
  type: ResourceType,
  namespace: string | undefined,
  opts: ListOptions,
  tokenEpoch: number,
): ListResult {
  const match = selectorPredicate(type, opts);
  let token: ContinueToken | undefined;
  if (opts.continue) {
    token = decodeContinue(opts.continue);
    if (token.epoch !== tokenEpoch || token.rv < store.compactedVersion) throw gone();
  }
  const all = store.list(typeKey(type), namespace);
  const keyOf = (o: StoredObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
  const items: StoredObject[] = [];
  const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
  let remaining = 0;
  let last: string | undefined;
  for (const o of all) {
    if (token && keyOf(o) <= token.start) continue;
    if (!match(o)) continue;
    if (items.length < limit) {
      items.push(o);
      last = keyOf(o);
    } else remaining += 1;
  }
  const rv = token ? token.rv : store.resourceVersion;
  const result: ListResult = { items: items.map(clone), resourceVersion: String(rv) };
  if (remaining > 0 && last !== undefined) {
    result.continue = encodeContinue({ rv, start: last, epoch: tokenEpoch });
    if (!opts.labelSelector && !opts.fieldSelector) result.remainingItemCount = remaining;
  }
  return result;
}
