// The PATCH formats the API server accepts: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and
// strategic merge patch (lists of built-in kinds merged by their patch-merge key).
import { SimError } from './errors.ts';
import { clone } from './meta.ts';

type Json = unknown;
type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const out: Obj = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function decodePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/'))
    throw new SimError(
      422,
      'Invalid',
      `the server rejected our request due to an error in our request: invalid JSON pointer "${path}"`,
    );
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function fail(message: string): SimError {
  return new SimError(422, 'Invalid', message);
}

interface Op {
  op: string;
  path: string;
  from?: string;
  value?: Json;
}

function getAt(doc: Json, parts: string[]): Json {
  let cur = doc;
  for (const p of parts) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (isObject(cur)) cur = cur[p];
    else return undefined;
  }
  return cur;
}

function apply1(doc: Json, op: Op): Json {
  const parts = decodePointer(op.path);
  if (op.op === 'test') {
    if (!deepEqual(getAt(doc, parts), op.value)) throw fail(`testing value ${op.path} failed`);
    return doc;
  }
  if (op.op === 'move' || op.op === 'copy') {
    const value = clone(getAt(doc, decodePointer(op.from ?? '')));
    if (value === undefined) throw fail(`doc is missing from path: ${op.from}`);
    const removed = op.op === 'move' ? apply1(doc, { op: 'remove', path: op.from ?? '' }) : doc;
    return apply1(removed, { op: 'add', path: op.path, value });
  }
  if (parts.length === 0) {
    if (op.op === 'remove') return undefined;
    return clone(op.value);
  }
  const parent = getAt(doc, parts.slice(0, -1));
  const last = parts[parts.length - 1] as string;
  if (Array.isArray(parent)) {
    const idx = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(idx) || idx < 0 || idx > parent.length)
      throw fail(`unable to ${op.op} at ${op.path}: index out of range`);
    if (op.op === 'add') parent.splice(idx, 0, clone(op.value));
    else if (op.op === 'remove') {
      if (idx >= parent.length) throw fail(`unable to remove nonexistent key: ${last}: missing value`);
      parent.splice(idx, 1);
    } else if (op.op === 'replace') {
      if (idx >= parent.length) throw fail(`unable to replace nonexistent key: ${last}: missing value`);
      parent[idx] = clone(op.value);
    } else throw fail(`Unexpected kind: ${op.op}`);
    return doc;
  }
  if (!isObject(parent)) throw fail(`doc is missing path: "${op.path}": missing value`);
  if (op.op === 'add') parent[last] = clone(op.value);
  else if (op.op === 'remove' || op.op === 'replace') {
    if (!(last in parent)) throw fail(`doc is missing path: "${op.path}": missing value`);
    if (op.op === 'remove') delete parent[last];
    else parent[last] = clone(op.value);
  } else throw fail(`Unexpected kind: ${op.op}`);
  return doc;
}

export function jsonPatch(target: Json, ops: Json): Json {
  if (!Array.isArray(ops))
    throw new SimError(
      400,
      'BadRequest',
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    );
  let doc = clone(target);
  for (const op of ops as Op[]) doc = apply1(doc, op);
  return doc;
}

/** Patch-merge keys of built-in kinds' lists, by field name. */
const MERGE_KEYS: Record<string, string | ((item: Obj) => string)> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  conditions: 'type',
  ownerReferences: 'uid',
  hostAliases: 'ip',
  ports: (item) => ('containerPort' in item ? 'containerPort' : 'port'),
};

/** Lists of scalars merged as sets. */
const SET_LISTS = new Set(['finalizers']);

/** The key that identifies items of a built-in list field, when it is merged item by item. */
export function listMergeKey(field: string, item: unknown): string | undefined {
  return isObject(item) && MERGE_KEYS[field] ? keyOf(field, item) : undefined;
}

function keyOf(field: string, item: Obj): string | undefined {
  const k = MERGE_KEYS[field];
  return typeof k === 'function' ? k(item) : k;
}

function mergeList(field: string, target: Json, patch: Json[]): Json[] {
  const current = Array.isArray(target) ? [...target] : [];
  if (SET_LISTS.has(field)) {
    for (const v of patch) if (!current.some((c) => deepEqual(c, v))) current.push(clone(v));
    return current;
  }
  const first = patch.find(isObject);
  const key = first ? keyOf(field, first) : undefined;
  if (!key || !MERGE_KEYS[field])
    return patch.filter((p) => !(isObject(p) && '$patch' in p)).map((p) => clone(p));
  if (patch.some((p) => isObject(p) && p.$patch === 'replace'))
    return patch.filter((p) => !(isObject(p) && '$patch' in p)).map((p) => clone(p));
  for (const item of patch) {
    if (!isObject(item)) continue;
    const idx = current.findIndex((c) => isObject(c) && c[key] === item[key]);
    if (item.$patch === 'delete') {
      if (idx >= 0) current.splice(idx, 1);
    } else if (idx >= 0) current[idx] = strategicMerge(current[idx], item);
    else current.push(strategicMerge({}, item));
  }
  return current;
}

/** Strategic merge patch: like a merge patch, but keyed lists are merged item by item. */
export function strategicMerge(target: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _ignored, ...rest } = patch;
    return clone(rest);
  }
  const out: Obj = isObject(target) ? { ...target } : {};
  const retain = Array.isArray(patch.$retainKeys) ? (patch.$retainKeys as string[]) : undefined;
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$setElementOrder/') || k === '$retainKeys' || k === '$patch') continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      const list = Array.isArray(out[field]) ? (out[field] as Json[]) : [];
      out[field] = list.filter((x) => !(v as Json[]).some((d) => deepEqual(d, x)));
      continue;
    }
    if (v === null) delete out[k];
    else if (Array.isArray(v)) out[k] = mergeList(k, out[k], v);
    else out[k] = strategicMerge(out[k], v);
  }
  if (retain) for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  return out;
}
