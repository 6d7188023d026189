// Where a write meets the schemas: decoding (400 for what Go cannot decode), unknown fields per
// fieldValidation (Strict refuses, Warn warns, Ignore drops), CRD pruning and defaults, and the
// schema causes of a 422. The wording of each failure depends on how the object arrived: a body
// (create, update), a patch (merge, JSON, strategic) or a server-side apply configuration.
import { SimError, badRequest, type StatusCause } from '../errors.ts';
import { apiVersionOf, type ResourceType, type StoredObject } from '../types.ts';
import { builtinSchemaName, OBJECT_META, type OpenApiSchema } from './builtin-schemas.ts';
import { applyDefaults, compileCustomSchema, prune, validateCustom, warmCustomSchema } from './custom.ts';
import { decodeAs } from './decode.ts';

export type Arrival =
  | { via: 'body' }
  | { via: 'patch'; /** What the real server prints as the patch's invalid value. */ shown: () => string }
  | { via: 'apply'; name: string };

export interface SchemaOptions {
  fieldValidation?: string;
  /** Warnings for the response's `Warning` headers. */
  warnings?: string[];
  /** Keys the request body repeats (`data.key`), found before it was parsed. */
  duplicateFields?: string[];
}

/** Causes found while decoding (enum values), raised with the kind's other validation causes. */
const pending = new WeakMap<object, StatusCause[]>();

export function takeSchemaCauses(obj: object): StatusCause[] {
  const c = pending.get(obj) ?? [];
  pending.delete(obj);
  return c;
}

/** A header value: `299 - "unknown field \"spec.foo\""`. */
export function warningHeader(text: string): string {
  return `299 - "${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function cannotHandle(type: ResourceType, why: string): string {
  return `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: ${why}`;
}

function failDecode(type: ResourceType, why: string, arrival: Arrival, firstPath?: string): never {
  if (arrival.via === 'patch') {
    const message = `Invalid value: ${JSON.stringify(arrival.shown())}: ${why}`;
    throw new SimError(422, 'Invalid', ` "" is invalid: patch: ${message}`, {
      causes: [{ reason: 'FieldValueInvalid', message, field: 'patch' }],
    });
  }
  if (arrival.via === 'apply') {
    throw new SimError(
      500,
      '',
      `failed to create typed patch object (/${arrival.name}; ${apiVersionOf(type)}, Kind=${type.kind}): ${firstPath ?? why}`,
    );
  }
  throw badRequest(cannotHandle(type, why));
}

function unknownFields(type: ResourceType, paths: string[], arrival: Arrival, opts: SchemaOptions): void {
  const duplicates = arrival.via === 'body' ? (opts.duplicateFields ?? []) : [];
  if (paths.length === 0 && duplicates.length === 0) return;
  if (arrival.via === 'apply') {
    const first = [...paths].sort()[0] as string;
    failDecode(type, '', arrival, `.${first}: field not declared in schema`);
  }
  const mode = opts.fieldValidation ?? 'Warn';
  const problems = [
    ...paths.map((p) => `unknown field "${p}"`),
    ...duplicates.map((p) => `duplicate field "${p}"`),
  ];
  if (mode === 'Strict') failDecode(type, `strict decoding error: ${problems.join(', ')}`, arrival);
  if (mode === 'Warn') for (const p of problems) opts.warnings?.push(warningHeader(p));
}

/** Whether decoding builds a new object (else the caller must pass one it may change). */
export function decodesIntoNew(type: ResourceType): boolean {
  return !type.custom && builtinSchemaName(type) !== undefined;
}

/**
 * The object as the API server keeps it after decoding: for built-in kinds the Go types' view
 * (unknown fields and nulls gone, quantities canonical); for custom resources pruned and defaulted.
 */
export function decodeObject(
  type: ResourceType,
  obj: StoredObject,
  arrival: Arrival,
  opts: SchemaOptions,
): StoredObject {
  if (type.custom) return decodeCustom(type, obj, arrival, opts);
  const name = builtinSchemaName(type);
  if (!name) return obj;
  const r = decodeAs(name, obj, { sorted: arrival.via !== 'body' });
  if (r.typeError) failDecode(type, r.typeError, arrival, r.typeErrorPath);
  unknownFields(type, r.unknown, arrival, opts);
  const out = r.value as StoredObject;
  if (r.causes.length > 0) pending.set(out, r.causes);
  return out;
}

function decodeCustom(
  type: ResourceType,
  obj: StoredObject,
  arrival: Arrival,
  opts: SchemaOptions,
): StoredObject {
  const schema = type.openAPIV3Schema as OpenApiSchema | undefined;
  const meta = decodeAs(OBJECT_META, (obj.metadata ?? {}) as Record<string, unknown>, {
    path: 'metadata',
    sorted: true,
  });
  if (meta.typeError) failDecode(type, meta.typeError, arrival, meta.typeErrorPath);
  const { apiVersion, kind, metadata: _m, ...rest } = obj;
  const unknown = [...meta.unknown];
  if (schema) prune(rest, { ...schema, properties: { ...schema.properties, metadata: {} } }, '', unknown);
  unknownFields(type, unknown, arrival, opts);
  if (schema) applyDefaults(rest, schema);
  return { apiVersion, kind, metadata: meta.value as StoredObject['metadata'], ...rest };
}

/** Schema causes of a custom resource (422); built-in kinds' come from decoding. */
export function customCauses(type: ResourceType, obj: StoredObject, old?: StoredObject): StatusCause[] {
  const schema = type.openAPIV3Schema as OpenApiSchema | undefined;
  if (!type.custom || !schema) return [];
  return validateCustom(compileCustomSchema(schema), obj, old);
}

/** Go's `%v` of a decoded JSON value: how the real server shows a strategic merge patch. */
export function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (typeof v === 'object')
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goFormat((v as Record<string, unknown>)[k])}`)
      .join(' ')}]`;
  return String(v);
}

/**
 * Compile the `spec`, then `status` validators of the served custom resources in the background, one per turn of
 * the event loop, so that the first VirtualMachine or Cluster written does not wait ~0.1–0.3 s for
 * Ajv. Returns a function that stops it.
 */
export function warmCustomSchemas(types: () => ResourceType[]): () => void {
  let timer: NodeJS.Timeout | undefined;
  const next = () => {
    for (const key of ['spec', 'status'])
      for (const t of types()) {
        const schema = t.openAPIV3Schema as OpenApiSchema | undefined;
        if (t.custom && schema && warmCustomSchema(schema, key)) {
          timer = setTimeout(next, 0);
          return;
        }
      }
  };
  timer = setTimeout(next, 50);
  return () => clearTimeout(timer);
}
