// Field ownership for server-side apply: which manager set which fields (metadata.managedFields,
// FieldsV1 format), conflicts between managers, and removal of fields a manager stopped applying.
import { SimError } from './errors.ts';
import { deepEqual, isObject, listMergeKey } from './patch.ts';
import type { JsonObject, StoredObject, ManagedFieldsEntry } from './types.ts';

type Obj = Record<string, unknown>;
/** A path is a list of FieldsV1 segments ("f:spec", "k:{\"name\":\"web\"}", "."), serialised as JSON. */
export type FieldSet = Set<string>;

const SKIP_TOP = new Set(['apiVersion', 'kind', 'status']);
const SKIP_META = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'deletionTimestamp',
  'selfLink',
]);

export function fieldSetOf(obj: StoredObject, custom: boolean, includeStatus = false): FieldSet {
  const set: FieldSet = new Set();
  const walk = (value: unknown, path: string[], field: string) => {
    if (isObject(value) && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) {
        if (path.length === 0 && SKIP_TOP.has(k) && !(includeStatus && k === 'status')) continue;
        if (path.length === 1 && path[0] === 'f:metadata' && SKIP_META.has(k)) continue;
        walk(v, [...path, `f:${k}`], k);
      }
      return;
    }
    if (Array.isArray(value) && !custom && value.length > 0 && listMergeKey(field, value[0])) {
      for (const item of value) {
        const key = listMergeKey(field, item);
        if (!key || !isObject(item)) continue;
        const seg = `k:${JSON.stringify({ [key]: item[key] })}`;
        set.add(JSON.stringify([...path, seg, '.']));
        for (const [k, v] of Object.entries(item)) walk(v, [...path, seg, `f:${k}`], k);
      }
      return;
    }
    if (path.length > 0) set.add(JSON.stringify(path));
  };
  walk(obj, [], '');
  return set;
}

export function toFieldsV1(set: FieldSet): JsonObject {
  const root: JsonObject = {};
  for (const p of set) {
    let cur = root;
    for (const seg of JSON.parse(p) as string[]) {
      cur[seg] ??= {};
      cur = cur[seg] as JsonObject;
    }
  }
  return root;
}

export function fromFieldsV1(fields: JsonObject | undefined): FieldSet {
  const set: FieldSet = new Set();
  const walk = (node: JsonObject, path: string[]) => {
    const keys = Object.keys(node);
    if (keys.length === 0 && path.length > 0) set.add(JSON.stringify(path));
    for (const k of keys) walk(node[k] as JsonObject, [...path, k]);
  };
  if (fields) walk(fields, []);
  return set;
}

function resolveParent(obj: unknown, segs: string[]): { container: unknown; last: string } | undefined {
  let cur: unknown = obj;
  for (const seg of segs.slice(0, -1)) cur = step(cur, seg);
  if (cur === undefined) return undefined;
  return { container: cur, last: segs[segs.length - 1] as string };
}

function step(cur: unknown, seg: string): unknown {
  if (seg.startsWith('f:')) return isObject(cur) ? cur[seg.slice(2)] : undefined;
  if (seg.startsWith('k:') && Array.isArray(cur)) {
    const key = JSON.parse(seg.slice(2)) as Obj;
    return cur.find((item) => isObject(item) && Object.entries(key).every(([k, v]) => deepEqual(item[k], v)));
  }
  return undefined;
}

export function valueAt(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const seg of JSON.parse(path) as string[]) {
    if (seg === '.') return cur;
    cur = step(cur, seg);
  }
  return cur;
}

/** Remove a field (or a keyed list item, for "." paths) from an object in place. */
function removePath(obj: unknown, path: string): void {
  const segs = JSON.parse(path) as string[];
  if (segs[segs.length - 1] === '.') {
    const parent = resolveParent(obj, segs.slice(0, -1));
    if (!parent || !Array.isArray(parent.container)) return;
    const item = step(parent.container, parent.last);
    const idx = parent.container.indexOf(item);
    if (idx >= 0) parent.container.splice(idx, 1);
    return;
  }
  const parent = resolveParent(obj, segs);
  if (parent && isObject(parent.container) && parent.last.startsWith('f:'))
    delete parent.container[parent.last.slice(2)];
}

function humanPath(path: string): string {
  return (JSON.parse(path) as string[])
    .filter((s) => s !== '.')
    .map((s) => {
      if (s.startsWith('f:')) return `.${s.slice(2)}`;
      const key = JSON.parse(s.slice(2)) as Record<string, unknown>;
      return `[${Object.entries(key)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    })
    .join('');
}

function entrySets(obj: StoredObject): { entry: ManagedFieldsEntry; set: FieldSet }[] {
  return (obj.metadata.managedFields ?? []).map((entry) => ({ entry, set: fromFieldsV1(entry.fieldsV1) }));
}

/**
 * Server-side apply of `applied` by `manager` onto `merged` (the existing object already merged with
 * the applied configuration). Returns the new managedFields; mutates `merged` to drop fields the
 * manager no longer applies. Throws 409 Conflict on fields owned by others unless `force`.
 */
export function applyOwnership(
  existing: StoredObject | undefined,
  merged: StoredObject,
  applied: StoredObject,
  opts: {
    manager: string;
    force: boolean;
    custom: boolean;
    apiVersion: string;
    now: string;
    subresource?: string;
  },
): ManagedFieldsEntry[] {
  const newSet = fieldSetOf(applied, opts.custom, opts.subresource === 'status');
  const owners = existing ? entrySets(existing) : [];
  const conflicts: { message: string; field: string }[] = [];
  for (const { entry, set } of owners) {
    if (entry.manager === opts.manager && entry.operation === 'Apply') continue;
    for (const p of newSet) {
      if (p.endsWith('"."]')) continue;
      if (set.has(p) && existing && !deepEqual(valueAt(existing, p), valueAt(applied, p)))
        conflicts.push({
          message: `conflict with "${entry.manager}"${entry.operation === 'Update' ? ' using ' + entry.apiVersion : ''}: ${humanPath(p)}`,
          field: humanPath(p),
        });
    }
  }
  if (conflicts.length > 0 && !opts.force) {
    throw new SimError(
      409,
      'Conflict',
      `Apply failed with ${conflicts.length} conflict${conflicts.length > 1 ? 's' : ''}: ${conflicts.map((c) => c.message).join('\n')}`,
      {
        // Each cause names the field it is about, as the real server's do (`.data.a`).
        causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', ...c })),
      },
    );
  }
  const mine = owners.find((o) => o.entry.manager === opts.manager && o.entry.operation === 'Apply');
  const others = owners.filter((o) => o !== mine);
  if (mine) {
    const othersOwn = new Set(others.flatMap((o) => [...o.set]));
    // A field applied empty (`podSelector: {}`) is a leaf; applied again with content it is the
    // parent of the new leaves, and still there: only fields no longer under any owned one go.
    const ancestors = new Set<string>();
    for (const p of [...newSet, ...othersOwn]) {
      const segs = JSON.parse(p) as string[];
      for (let i = 1; i < segs.length; i++) ancestors.add(JSON.stringify(segs.slice(0, i)));
    }
    const gone = [...mine.set].filter((p) => !newSet.has(p) && !othersOwn.has(p) && !ancestors.has(p));
    // Whole list items first (their key fields identify them), then deepest fields first.
    const isItem = (p: string) => p.endsWith('"."]');
    gone.sort((a, b) => Number(isItem(b)) - Number(isItem(a)) || b.length - a.length);
    for (const p of gone) removePath(merged, p);
  }
  const result: ManagedFieldsEntry[] = [];
  for (const { entry, set } of others) {
    if (opts.force) for (const p of newSet) set.delete(p);
    if (set.size > 0) result.push({ ...entry, fieldsV1: toFieldsV1(set) });
  }
  const sameAsBefore = mine && mine.set.size === newSet.size && [...newSet].every((p) => mine.set.has(p));
  result.push({
    manager: opts.manager,
    operation: 'Apply',
    apiVersion: opts.apiVersion,
    time: sameAsBefore && mine ? mine.entry.time : opts.now,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(newSet),
    ...(opts.subresource ? { subresource: opts.subresource } : {}),
  });
  return result;
}

/** Record an ordinary write (create, update, patch) by `manager`: it takes the fields it changed. */
export function updateOwnership(
  existing: StoredObject | undefined,
  updated: StoredObject,
  opts: { manager: string; custom: boolean; apiVersion: string; now: string; subresource?: string },
): ManagedFieldsEntry[] {
  const status = opts.subresource === 'status';
  const after = fieldSetOf(updated, opts.custom, status);
  const before = existing ? fieldSetOf(existing, opts.custom, status) : new Set<string>();
  const changed = new Set(
    [...after].filter((p) => !before.has(p) || !deepEqual(valueAt(existing, p), valueAt(updated, p))),
  );
  const owners = existing ? entrySets(existing) : [];
  const result: ManagedFieldsEntry[] = [];
  let mine: { entry: ManagedFieldsEntry; set: FieldSet } | undefined;
  for (const o of owners) {
    for (const p of [...o.set]) if (!after.has(p)) o.set.delete(p);
    if (
      o.entry.manager === opts.manager &&
      o.entry.operation === 'Update' &&
      (o.entry.subresource ?? '') === (opts.subresource ?? '')
    ) {
      mine = o;
      continue;
    }
    for (const p of changed) o.set.delete(p);
    if (o.set.size > 0) result.push({ ...o.entry, fieldsV1: toFieldsV1(o.set) });
  }
  const set = new Set([...(mine?.set ?? []), ...changed]);
  if (set.size > 0) {
    result.push({
      manager: opts.manager,
      operation: 'Update',
      apiVersion: opts.apiVersion,
      time: changed.size === 0 && mine ? mine.entry.time : opts.now,
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(set),
      ...(opts.subresource ? { subresource: opts.subresource } : {}),
    });
  }
  return result;
}
