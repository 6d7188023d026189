// The PATCH formats the API server accepts: JSON merge patch (RFC 7386), JSON
// patch (RFC 6902, fast-json-patch) and strategic merge patch (lists of built-in kinds merged as
// their schemas' x-kubernetes-patch-strategy and x-kubernetes-patch-merge-key say).
import fastJsonPatch, { type Operation } from 'fast-json-patch';
import { SimError } from './errors.ts';
import { builtinSchemaName, namedSchema, refName, type OpenApiSchema } from './schema/builtin-schemas.ts';
import type { ResourceType } from './types.ts';
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

/** Sets `key` as an own property, whatever its name (`__proto__` is a valid ConfigMap key). */
function setOwn(obj: Obj, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

const own = (obj: Obj, key: string): unknown => (Object.hasOwn(obj, key) ? obj[key] : undefined);

/**
 * JSON merge patch (RFC 7386); the target is not changed. Not json-merge-patch: that library
 * silently skips keys named `__proto__`, `constructor` or `prototype`, which are valid keys of a
 * ConfigMap's or Secret's data that the real server patches like any other.
 */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const out: Obj = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else setOwn(out, k, mergePatch(own(out, k), v));
  }
  return out;
}

/**
 * The real server's answer when a JSON patch does not apply (a failed `test`, a missing path, an
 * index out of range): 422 with the generic message and empty details, as kube-apiserver gives.
 */
function notApplicable(): SimError {
  return new SimError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
}

/** JSON patch (RFC 6902), by fast-json-patch; the target is not changed. */
export function jsonPatch(target: Json, ops: Json): Json {
  if (!Array.isArray(ops))
    throw new SimError(
      400,
      'BadRequest',
      `json: cannot unmarshal ${ops === null ? 'null' : typeof ops === 'object' ? 'object' : typeof ops} into Go value of type jsonpatch.Patch`,
    );
  try {
    return fastJsonPatch.applyPatch(clone(target), ops as Operation[], true, true).newDocument;
  } catch (e) {
    if (e instanceof fastJsonPatch.JsonPatchError) throw notApplicable();
    throw e;
  }
}

/**
 * Keys of built-in kinds' keyed lists, by field name, for server-side apply's field ownership
 * (managed-fields.ts), which has no schema at hand. Patches read the keys from the schemas.
 */
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

/** The key that identifies items of a built-in list field, when it is merged item by item. */
export function listMergeKey(field: string, item: unknown): string | undefined {
  return isObject(item) && MERGE_KEYS[field] ? keyOf(field, item) : undefined;
}

function keyOf(field: string, item: Obj): string | undefined {
  const k = MERGE_KEYS[field];
  return typeof k === 'function' ? k(item) : k;
}

/** A schema node with its `$ref` (or `allOf: [{$ref}]`) followed. */
function resolve(node: OpenApiSchema | undefined): OpenApiSchema | undefined {
  if (!node) return undefined;
  if (node.$ref) return namedSchema(refName(node.$ref));
  const [first] = node.allOf ?? [];
  return first ? resolve(first) : node;
}

/** The real server's schema of a built-in kind: its lists' patch strategies and merge keys. */
export function patchSchemaOf(
  type: Pick<ResourceType, 'group' | 'version' | 'kind'>,
): OpenApiSchema | undefined {
  const name = builtinSchemaName(type);
  return name ? namedSchema(name) : undefined;
}

function fieldSchema(schema: OpenApiSchema | undefined, key: string): OpenApiSchema | undefined {
  const s = resolve(schema);
  if (!s) return undefined;
  if (s.properties) return resolve(s.properties[key]);
  return typeof s.additionalProperties === 'object' ? resolve(s.additionalProperties) : undefined;
}

/**
 * The order the real server gives a merged list (normalizeElementOrder in apimachinery's
 * strategicpatch): the patch's items in the patch's order, with the items only the server had
 * inserted before the first patch item that comes after them in the server's order.
 */
function mergedOrder(merged: Json[], patch: Json[], server: Json[], id: (v: Json) => unknown): Json[] {
  const inPatch = new Set(patch.map(id));
  const patchOrder = patch.map(id);
  const serverOrder = server.map(id);
  const right = merged
    .filter((v) => inPatch.has(id(v)))
    .sort((a, b) => patchOrder.indexOf(id(a)) - patchOrder.indexOf(id(b)));
  const left = merged.filter((v) => !inPatch.has(id(v)));
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length) out.push(left[i++]);
    else if (i >= left.length) out.push(right[j++]);
    else {
      const li = serverOrder.indexOf(id(left[i]));
      const ri = serverOrder.indexOf(id(right[j]));
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function mergeList(target: Json, patch: Json[], schema: OpenApiSchema | undefined): Json[] {
  const server = Array.isArray(target) ? target : [];
  const current = [...server];
  const strategy = String(schema?.['x-kubernetes-patch-strategy'] ?? '').split(',');
  const key = schema?.['x-kubernetes-patch-merge-key'] as string | undefined;
  const replaced = () => patch.filter((p) => !(isObject(p) && '$patch' in p)).map((p) => clone(p));
  // Without the merge strategy a list is replaced whole, as JSON merge patch does.
  if (!strategy.includes('merge')) return replaced();
  if (!key) {
    // A list of scalars merged as a set (finalizers).
    for (const v of patch) if (!current.some((c) => deepEqual(c, v))) current.push(clone(v));
    return mergedOrder(current, patch, server, (v) => JSON.stringify(v));
  }
  if (patch.some((p) => isObject(p) && p.$patch === 'replace')) return replaced();
  const items = resolve(schema?.items);
  for (const item of patch) {
    if (!isObject(item)) continue;
    const idx = current.findIndex((c) => isObject(c) && c[key] === item[key]);
    if (item.$patch === 'delete') {
      if (idx >= 0) current.splice(idx, 1);
    } else if (idx >= 0) current[idx] = strategicMerge(current[idx], item, items);
    else current.push(strategicMerge({}, item, items));
  }
  const kept = patch.filter((p) => !(isObject(p) && p.$patch === 'delete'));
  return mergedOrder(current, kept, server, (v) => (isObject(v) ? v[key] : v));
}

/**
 * Strategic merge patch: like a merge patch, but a list whose schema says
 * `x-kubernetes-patch-strategy: merge` is merged item by item on its `x-kubernetes-patch-merge-key`
 * (a list of scalars as a set). `schema` is the real server's schema of the patched object
 * (patchSchemaOf); without one, lists are replaced.
 */
export function strategicMerge(target: Json, patch: Json, schema?: OpenApiSchema): Json {
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
    else if (Array.isArray(v)) setOwn(out, k, mergeList(own(out, k), v, fieldSchema(schema, k)));
    else setOwn(out, k, strategicMerge(own(out, k), v, fieldSchema(schema, k)));
  }
  if (retain) for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  return out;
}
