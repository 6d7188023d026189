// Custom resources against their CRD's structural schema, as kube-apiserver's apiextensions
// handler treats them: metadata decoded as ObjectMeta, unknown fields pruned (reported for
// fieldValidation), nulls of non-nullable fields dropped, defaults applied, then the value checked
// against the schema (type, enum, required, bounds, lengths, pattern, format; with Ajv) and the
// CEL rules of x-kubernetes-validations, every failure a cause of a 422 in the real wording.
import { evaluate, parse } from '@marcbachmann/cel-js';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { StatusCause } from '../errors.ts';
import type { OpenApiSchema } from './builtin-schemas.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

// --- Pruning and defaulting (structural) -----------------------------------------------------------

const preserves = (s: OpenApiSchema) => s['x-kubernetes-preserve-unknown-fields'] === true;
const EMBEDDED_TOP = new Set(['apiVersion', 'kind', 'metadata']);

/** Remove what the schema does not declare (collecting the paths) and non-nullable nulls. */
export function prune(value: unknown, s: OpenApiSchema, path: string, unknown: string[]): unknown {
  if (Array.isArray(value)) {
    if (s.items) value.forEach((x, i) => prune(x, s.items as OpenApiSchema, `${path}[${i}]`, unknown));
    return value;
  }
  if (!isObj(value)) return value;
  const props = s.properties;
  const additional = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  for (const k of Object.keys(value).sort()) {
    const x = value[k];
    const here = path ? `${path}.${k}` : k;
    const p = props?.[k] ?? additional;
    if (x === null && !(p?.nullable === true)) {
      if (p || preserves(s) || additional || (embedded && EMBEDDED_TOP.has(k))) delete value[k];
      else {
        unknown.push(here);
        delete value[k];
      }
      continue;
    }
    if (p) prune(x, p, additional && !props?.[k] ? `${path}[${k}]` : here, unknown);
    else if (!preserves(s) && !(embedded && EMBEDDED_TOP.has(k)) && s.additionalProperties !== true) {
      unknown.push(here);
      delete value[k];
    }
  }
  return value;
}

const defaulted = new WeakMap<OpenApiSchema, [string, unknown][]>();

/** The properties of an object schema that have a default. */
function defaultsOf(s: OpenApiSchema): [string, unknown][] {
  let d = defaulted.get(s);
  if (!d) {
    d = Object.entries(s.properties ?? {})
      .filter(([, p]) => p.default !== undefined)
      .map(([k, p]) => [k, p.default]);
    defaulted.set(s, d);
  }
  return d;
}

/** Apply `default`s where a property is missing, top-down (defaults inside defaults apply too). */
export function applyDefaults(value: unknown, s: OpenApiSchema): void {
  if (Array.isArray(value)) {
    if (s.items) for (const x of value) applyDefaults(x, s.items);
    return;
  }
  if (!isObj(value)) return;
  for (const [k, d] of defaultsOf(s)) if (value[k] === undefined) value[k] = structuredClone(d);
  const additional = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
  for (const [k, x] of Object.entries(value)) {
    const p = s.properties?.[k] ?? additional;
    if (p) applyDefaults(x, p);
  }
}

// --- Value validation ---------------------------------------------------------------------------------

const FORMATS: Record<string, (v: string) => boolean> = {
  cidr: (v) => {
    const [ip, bits, ...rest] = v.split('/');
    const fam = isIP(ip ?? '');
    return (
      rest.length === 0 && fam !== 0 && /^\d+$/.test(bits ?? '') && Number(bits) <= (fam === 4 ? 32 : 128)
    );
  },
  'date-time': (v) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?$/.test(v),
  date: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v),
  byte: (v) => /^[A-Za-z0-9+/]*={0,2}$/.test(v) && v.length % 4 === 0,
  ipv4: (v) => isIP(v) === 4,
  ipv6: (v) => isIP(v) === 6,
  uuid: (v) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(v),
  hostname: (v) =>
    /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*$/.test(v),
};
// Formats kube-openapi does not check (or that the Go types enforce elsewhere).
const IGNORED_FORMATS = [
  'int32',
  'int64',
  'float',
  'double',
  'idn-hostname',
  'password',
  'uri',
  'email',
  'quantity',
];

/**
 * CRD patterns are RE2 (Go): `\pL`, `\PC` are JavaScript's `\p{L}`, `\P{C}`. A pattern JavaScript
 * cannot compile is not checked.
 */
function re2(pattern: string, flags: string): { test: (s: string) => boolean } {
  const js = pattern.replace(/\\([pP])([A-Z])/g, '\\$1{$2}');
  for (const f of [flags, flags.replace('u', '')]) {
    try {
      return new RegExp(js, f);
    } catch {
      // try the next flags
    }
  }
  return { test: () => true };
}
re2.code = 're2';

let ajv: Ajv | undefined;
function ajvInstance(): Ajv {
  if (ajv) return ajv;
  ajv = new Ajv({
    allErrors: true,
    verbose: true,
    messages: false,
    strict: false,
    logger: false,
    validateSchema: false,
    code: { optimize: false, regExp: re2 },
  });
  for (const [name, fn] of Object.entries(FORMATS)) ajv.addFormat(name, { type: 'string', validate: fn });
  for (const name of IGNORED_FORMATS) ajv.addFormat(name, () => true);
  return ajv;
}

interface Rule {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
  reason?: string;
}

interface CompiledRule {
  /** Where the rule sits: schema path from the root as data keys, '*' for array items / map values. */
  at: string[];
  rule: Rule;
  run: (vars: Obj) => unknown;
  transition: boolean;
}

export interface CompiledSchema {
  schema: OpenApiSchema;
  /** One validator per top-level field (spec, status, …), compiled when first needed. */
  validators: Map<string, ValidateFunction | undefined>;
  rules: CompiledRule[];
}

function validatorFor(c: CompiledSchema, key: string): ValidateFunction | undefined {
  if (c.validators.has(key)) return c.validators.get(key);
  const p = c.schema.properties?.[key];
  const v = p && key !== 'metadata' ? ajvInstance().compile(forAjv(p)) : undefined;
  c.validators.set(key, v);
  return v;
}

const compiled = new Map<string, CompiledSchema>();

/** Ajv's copy: int-or-string as such, no descriptions, defaults or extensions. */
function forAjv(s: OpenApiSchema): OpenApiSchema {
  const out: OpenApiSchema = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'description' || k === 'default' || k.startsWith('x-kubernetes-')) continue;
    if (k === 'properties') {
      const props: Record<string, OpenApiSchema> = {};
      for (const [pk, pv] of Object.entries(v as Record<string, OpenApiSchema>)) props[pk] = forAjv(pv);
      out.properties = props;
    } else if (k === 'items' || k === 'additionalProperties' || k === 'not')
      (out as Record<string, unknown>)[k] =
        typeof v === 'object' && v !== null ? forAjv(v as OpenApiSchema) : v;
    else if (k === 'allOf' || k === 'anyOf' || k === 'oneOf')
      out[k] = (v as OpenApiSchema[]).map((x) => forAjv(x));
    else out[k] = v;
  }
  if (s['x-kubernetes-int-or-string'] === true) {
    delete out.anyOf;
    out.type = ['integer', 'string'] as unknown as string;
  }
  return out;
}

function collectRules(s: OpenApiSchema, at: string[], out: CompiledRule[]): void {
  for (const rule of (s['x-kubernetes-validations'] as Rule[] | undefined) ?? []) {
    try {
      const run = parse(rule.rule);
      out.push({ at, rule, run: (vars) => run(vars), transition: /\boldSelf\b/.test(rule.rule) });
    } catch {
      // A rule this CEL implementation cannot parse is not checked.
    }
  }
  for (const [k, p] of Object.entries(s.properties ?? {})) collectRules(p, [...at, k], out);
  if (s.items) collectRules(s.items, [...at, '*'], out);
  if (typeof s.additionalProperties === 'object') collectRules(s.additionalProperties, [...at, '*'], out);
}

const bySchema = new WeakMap<OpenApiSchema, CompiledSchema>();

/** The compiled validator of a CRD version's openAPIV3Schema (once per process per schema). */
export function compileCustomSchema(schema: OpenApiSchema): CompiledSchema {
  const known = bySchema.get(schema);
  if (known) return known;
  // The same schema arrives as a new object with every write of its CRD, and in every simulator.
  const key = createHash('sha1').update(JSON.stringify(schema)).digest('hex');
  let c = compiled.get(key);
  if (!c) {
    const rules: CompiledRule[] = [];
    collectRules(schema, [], rules);
    c = { schema, validators: new Map(), rules };
    compiled.set(key, c);
  }
  bySchema.set(schema, c);
  return c;
}

/** Compile the validator of one top-level field ahead of its first use; false when done already. */
export function warmCustomSchema(schema: OpenApiSchema, key: string): boolean {
  const c = compileCustomSchema(schema);
  if (c.validators.has(key)) return false;
  validatorFor(c, key);
  return true;
}

/** JSON pointer of the data → the API server's field path ("spec.ports[0].port"). */
function fieldOf(data: unknown, pointer: string): string {
  let path = '';
  let cur: unknown = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      path += `[${key}]`;
      cur = cur[Number(key)];
    } else {
      path = path ? `${path}.${key}` : key;
      cur = isObj(cur) ? cur[key] : undefined;
    }
  }
  return path;
}

const typeName = (v: unknown): string =>
  Array.isArray(v)
    ? 'array'
    : v === null
      ? 'null'
      : typeof v === 'number'
        ? Number.isInteger(v)
          ? 'integer'
          : 'number'
        : typeof v === 'object'
          ? 'object'
          : typeof v;

const show = (v: unknown) => JSON.stringify(v) ?? 'null';

function causeOf(e: ErrorObject, data: unknown): StatusCause | undefined {
  const field = fieldOf(data, e.instancePath);
  const v = e.data;
  const p = e.params as Record<string, unknown>;
  const body = `${field} in body`;
  switch (e.keyword) {
    case 'type': {
      const t = typeName(v);
      const want = Array.isArray(p.type) ? (p.type as string[]).join(',') : String(p.type);
      return {
        reason: 'FieldValueTypeInvalid',
        field,
        message: `Invalid value: "${t}": ${body} must be of type ${want}: "${t}"`,
      };
    }
    case 'enum':
      return {
        reason: 'FieldValueNotSupported',
        field,
        message: `Unsupported value: ${show(v)}: supported values: ${(p.allowedValues as unknown[]).map(show).join(', ')}`,
      };
    case 'required': {
      const f = field ? `${field}.${String(p.missingProperty)}` : String(p.missingProperty);
      return { reason: 'FieldValueRequired', field: f, message: 'Required value' };
    }
    case 'minimum':
      return {
        field,
        message: `Invalid value: ${show(v)}: ${body} should be greater than or equal to ${String(p.limit)}`,
      };
    case 'exclusiveMinimum':
      return {
        field,
        message: `Invalid value: ${show(v)}: ${body} should be greater than ${String(p.limit)}`,
      };
    case 'maximum':
      return {
        field,
        message: `Invalid value: ${show(v)}: ${body} should be less than or equal to ${String(p.limit)}`,
      };
    case 'exclusiveMaximum':
      return { field, message: `Invalid value: ${show(v)}: ${body} should be less than ${String(p.limit)}` };
    case 'minLength':
      return {
        field,
        message: `Invalid value: ${show(v)}: ${body} should be at least ${String(p.limit)} chars long`,
      };
    case 'maxLength':
      return {
        reason: 'FieldValueTooLong',
        field,
        message: `Too long: may not be more than ${String(p.limit)} bytes`,
      };
    case 'minItems':
      return {
        field,
        message: `Invalid value: ${(v as unknown[]).length}: ${body} should have at least ${String(p.limit)} items`,
      };
    case 'maxItems':
      return {
        reason: 'FieldValueTooMany',
        field,
        message: `Too many: ${(v as unknown[]).length}: must have at most ${String(p.limit)} items`,
      };
    case 'pattern':
      return { field, message: `Invalid value: ${show(v)}: ${body} should match '${String(p.pattern)}'` };
    case 'format':
      return {
        reason: 'FieldValueTypeInvalid',
        field,
        message: `Invalid value: ${show(v)}: ${body} must be of type ${String(p.format)}: ${show(v)}`,
      };
    case 'anyOf':
      return {
        field,
        message: `Invalid value: ${show(v)}: ${body} must validate at least one schema (anyOf)`,
      };
    case 'oneOf':
      return {
        field,
        message: `Invalid value: ${show(v)}: ${body} must validate one and only one schema (oneOf)`,
      };
    case 'not':
      return { field, message: `Invalid value: ${show(v)}: ${body} must not validate the schema (not)` };
    default:
      return { field, message: `Invalid value: ${show(v)}: ${e.message ?? e.keyword}` };
  }
}

/** Values a rule applies to: [field path, value, old value] for each match of its location. */
function targets(root: unknown, old: unknown, at: string[]): [string, unknown, unknown][] {
  let cur: [string, unknown, unknown][] = [['', root, old]];
  for (const seg of at) {
    const next: [string, unknown, unknown][] = [];
    for (const [path, v, o] of cur) {
      if (seg === '*') {
        if (Array.isArray(v)) v.forEach((x, i) => next.push([`${path}[${i}]`, x, undefined]));
        else if (isObj(v))
          for (const [k, x] of Object.entries(v))
            next.push([`${path}[${k}]`, x, isObj(o) ? o[k] : undefined]);
      } else if (isObj(v) && v[seg] !== undefined)
        next.push([path ? `${path}.${seg}` : seg, v[seg], isObj(o) ? o[seg] : undefined]);
    }
    cur = next;
  }
  return cur;
}

// CEL's reserved words, which a property name is escaped from as `__word__` (apiextensions'
// CEL property-name escaping, as `self.__namespace__` in external-snapshotter's CRDs).
const CEL_RESERVED = new Set(
  'true false null in as break const continue else for function if import let loop package namespace return var void while'.split(
    ' ',
  ),
);

/**
 * A property's name as CEL expressions spell it: a reserved word is escaped (apiserver/pkg/cel). The
 * other escapes (`__dot__`, `__dash__`, …) are left out, because this conversion cannot tell a
 * schema's property from a map's key, and map keys (labels) are read by index with their own names.
 */
function celPropertyName(name: string): string {
  return CEL_RESERVED.has(name) ? `__${name}__` : name;
}

/** CEL sees integers as int (BigInt in this implementation), and property names escaped. */
function celValue(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(celValue);
  if (isObj(v))
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [celPropertyName(k), celValue(x)]));
  return v;
}

function runRules(c: CompiledSchema, obj: Obj, old: Obj | undefined): StatusCause[] {
  const causes: StatusCause[] = [];
  // Rules at the same place see the same converted value.
  const converted = new Map<unknown, unknown>();
  const cel = (v: unknown) => {
    if (typeof v !== 'object' || v === null) return celValue(v);
    if (!converted.has(v)) converted.set(v, celValue(v));
    return converted.get(v);
  };
  for (const r of c.rules) {
    for (const [path, v, o] of targets(obj, old, r.at)) {
      if (r.transition && o === undefined) continue;
      let ok: unknown;
      try {
        ok = r.run({ self: cel(v), ...(o !== undefined ? { oldSelf: cel(o) } : {}) });
      } catch {
        continue;
      }
      if (ok === true) continue;
      let message = r.rule.message ?? `failed rule: ${r.rule.rule}`;
      if (r.rule.messageExpression) {
        try {
          const m = evaluate(r.rule.messageExpression, { self: cel(v) });
          if (typeof m === 'string' && m) message = m;
        } catch {
          // keep the static message
        }
      }
      const field = r.rule.fieldPath ? `${path}${r.rule.fieldPath}`.replace(/^\./, '') : path || '<nil>';
      causes.push({
        reason: r.rule.reason ?? 'FieldValueInvalid',
        field,
        message: `Invalid value: ${message}`,
      });
    }
  }
  return causes;
}

/** x-kubernetes-list-type `set` and `map` lists may not repeat an item or a key. */
function listSetsAndMaps(value: unknown, s: OpenApiSchema, path: string, causes: StatusCause[]): void {
  if (Array.isArray(value)) {
    const type = s['x-kubernetes-list-type'];
    const keys = s['x-kubernetes-list-map-keys'] as string[] | undefined;
    if (type === 'set' || (type === 'map' && keys)) {
      const seen = new Set<string>();
      value.forEach((x, i) => {
        const id =
          type === 'set' || !isObj(x)
            ? JSON.stringify(x)
            : JSON.stringify(
                Object.fromEntries((keys ?? []).filter((k) => x[k] !== undefined).map((k) => [k, x[k]])),
              );
        if (seen.has(id))
          causes.push({
            reason: 'FieldValueDuplicate',
            field: `${path}[${i}]`,
            message: `Duplicate value: ${id}`,
          });
        seen.add(id);
      });
    }
    if (s.items)
      value.forEach((x, i) => listSetsAndMaps(x, s.items as OpenApiSchema, `${path}[${i}]`, causes));
    return;
  }
  if (!isObj(value)) return;
  const additional = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
  for (const [k, x] of Object.entries(value)) {
    const p = s.properties?.[k];
    if (p) listSetsAndMaps(x, p, path ? `${path}.${k}` : k, causes);
    else if (additional) listSetsAndMaps(x, additional, `${path}[${k}]`, causes);
  }
}

const BLOCKING = new Set([
  'FieldValueNotSupported',
  'FieldValueRequired',
  'FieldValueTooLong',
  'FieldValueTooMany',
  'FieldValueTypeInvalid',
]);

/** Causes of a 422 for a pruned, defaulted custom resource (metadata aside). */
export function validateCustom(c: CompiledSchema, obj: Obj, old?: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  for (const [key, value] of Object.entries(obj)) {
    if (value === undefined) continue;
    const validate = validatorFor(c, key);
    if (!validate || validate(value)) continue;
    const errors = (validate.errors ?? []).filter(
      (e) => !/\/(anyOf|oneOf|not)\//.test(e.schemaPath.replace(/\/(anyOf|oneOf)$/, '')),
    );
    for (const e of errors) {
      const cause = causeOf({ ...e, instancePath: `/${key}${e.instancePath}` }, obj);
      if (!cause) continue;
      const id = `${cause.field}|${cause.message}`;
      if (seen.has(id)) continue;
      seen.add(id);
      causes.push(cause);
    }
  }
  for (const r of (c.schema.required ?? []).filter((k) => k !== 'metadata' && obj[k] === undefined))
    causes.push({ reason: 'FieldValueRequired', field: r, message: 'Required value' });
  const { metadata: _m, ...rest } = obj;
  listSetsAndMaps(rest, c.schema, '', causes);
  if (c.rules.length > 0) {
    // Type, enum, required, too long and too many block the CEL rules; other failures do not.
    if (causes.some((x) => x.reason && BLOCKING.has(x.reason)))
      causes.push({
        field: '<nil>',
        message:
          'Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
      });
    else causes.push(...runRules(c, obj, old));
  }
  return causes;
}
