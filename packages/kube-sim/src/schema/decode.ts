// Decoding a built-in kind's JSON as kube-apiserver does, into its Go types, driven by the real
// OpenAPI schema: the first type mismatch is the error Go's encoding/json reports (a 400), every
// field the type does not have is an "unknown field" (dropped; Strict refuses, Warn warns), nulls
// leave a field unset, quantities and byte strings must parse. Enum values are checked as the
// API server's validation does (422 "Unsupported value").
import type { StatusCause } from '../errors.ts';
import { parseQuantity } from '../quantity.ts';
import { namedSchema, refName, type OpenApiSchema } from './builtin-schemas.ts';

type Shape =
  | { k: 'struct'; goType: string; struct: string; props: Record<string, OpenApiSchema> }
  | { k: 'map'; goType: string; values: OpenApiSchema }
  | { k: 'array'; goType: string; items: OpenApiSchema }
  | { k: 'string' | 'bool' | 'float64' | 'bytes'; goType: string; enum?: unknown[] }
  | { k: 'int'; goType: string; min: number; max: number }
  | { k: 'quantity' | 'intorstring' | 'time' | 'any'; goType: string };

const SPECIAL: Record<string, Shape> = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { k: 'quantity', goType: 'resource.Quantity' },
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { k: 'intorstring', goType: 'int32' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': { k: 'time', goType: 'v1.Time' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': { k: 'time', goType: 'v1.MicroTime' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': { k: 'any', goType: 'v1.FieldsV1' },
};

const INT_RANGE: Record<string, [number, number]> = {
  int32: [-2147483648, 2147483647],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

const shapes = new WeakMap<OpenApiSchema, Shape>();

function namedShape(name: string): Shape {
  const special = SPECIAL[name];
  if (special) return special;
  const s = namedSchema(name);
  const cached = shapes.get(s);
  if (cached) return cached;
  const parts = name.split('.');
  const struct = parts[parts.length - 1] as string;
  const goType = `${parts[parts.length - 2]}.${struct}`;
  const shape: Shape =
    s.properties || (s.type === 'object' && !s.additionalProperties)
      ? s.properties
        ? { k: 'struct', goType, struct, props: s.properties }
        : { k: 'any', goType }
      : inlineShape(s, goType);
  shapes.set(s, shape);
  return shape;
}

function inlineShape(s: OpenApiSchema, named?: string): Shape {
  switch (s.type) {
    case 'string':
      if (s.format === 'byte') return { k: 'bytes', goType: '[]uint8' };
      return { k: 'string', goType: 'string', ...(s.enum ? { enum: s.enum } : {}) };
    case 'boolean':
      return { k: 'bool', goType: 'bool' };
    case 'number':
      return { k: 'float64', goType: 'float64' };
    case 'integer': {
      const f = s.format === 'int32' || s.format === 'int64' ? s.format : 'int';
      const [min, max] = INT_RANGE[f] ?? (INT_RANGE.int64 as [number, number]);
      return { k: 'int', goType: f, min, max };
    }
    case 'array':
      return { k: 'array', goType: `[]${shapeOf(s.items ?? {}).goType}`, items: s.items ?? {} };
    case 'object':
      if (s.additionalProperties && typeof s.additionalProperties === 'object')
        return {
          k: 'map',
          goType: `map[string]${shapeOf(s.additionalProperties).goType}`,
          values: s.additionalProperties,
        };
      return { k: 'any', goType: named ?? 'map[string]interface {}' };
    default:
      return { k: 'any', goType: named ?? 'interface {}' };
  }
}

/** The Go shape a schema decodes into ($ref and single allOf resolved). */
export function shapeOf(s: OpenApiSchema): Shape {
  const cached = shapes.get(s);
  if (cached) return cached;
  const ref = s.$ref ?? (s.allOf?.length === 1 ? s.allOf[0]?.$ref : undefined);
  const shape = ref ? namedShape(refName(ref)) : inlineShape(s);
  shapes.set(s, shape);
  return shape;
}

export function namedShapeOf(name: string): Shape {
  return namedShape(name);
}

export interface DecodeResult {
  /** The value as Go would re-encode it: unknown fields and nulls gone. */
  value: unknown;
  /** The first decoding error, in Go's words (then the request is a 400). */
  typeError?: string;
  /** The same, as server-side apply words it (`.spec.replicas: expected …, got string`). */
  typeErrorPath?: string;
  /** Unknown fields, document order, as paths like `spec.template.spec.containers[0].foo`. */
  unknown: string[];
  /** Where a value is not one of the schema's enum (422 Unsupported value). */
  causes: StatusCause[];
}

interface Ctx {
  /** Walk keys in sorted order (a patched object is re-encoded from a Go map). */
  sorted: boolean;
  typeError?: string;
  typeErrorPath?: string;
  unknown: string[];
  causes: StatusCause[];
}

const jsonKind = (v: unknown): string =>
  Array.isArray(v)
    ? 'array'
    : v === null
      ? 'null'
      : typeof v === 'object'
        ? 'object'
        : typeof v === 'boolean'
          ? 'bool'
          : typeof v;

const QUANTITY_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const QUANTITY_RE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Go's base64.StdEncoding: the offset of the first bad byte, or -1 when `s` decodes. */
export function base64ErrorOffset(s: string): number {
  const clean = s.replace(/[\r\n]/g, '');
  for (let i = 0; i < clean.length; i++) {
    const c = clean[i] as string;
    if (c === '=') {
      const rest = clean.slice(i);
      const q = i % 4;
      if (q < 2 || !/^=+$/.test(rest) || rest.length !== 4 - q) return i;
      return -1;
    }
    if (!/[A-Za-z0-9+/]/.test(c)) return i;
  }
  return clean.length % 4 === 0 ? -1 : clean.length - (clean.length % 4);
}

const SSA_WANT: Record<string, string> = {
  int: 'numeric (int or float)',
  float64: 'numeric (int or float)',
  intorstring: 'numeric (int or float) or string',
  string: 'string',
  bytes: 'string',
  bool: 'boolean',
  struct: 'map',
  map: 'map',
  array: 'list',
};

function fail(
  ctx: Ctx,
  struct: string,
  goPath: string,
  what: string,
  goType: string,
  path = '',
  k = '',
): void {
  if (ctx.typeError) return;
  ctx.typeError = `json: cannot unmarshal ${what} into Go struct field ${struct}.${goPath} of type ${goType}`;
  ctx.typeErrorPath = `.${path}: expected ${SSA_WANT[k] ?? k}, got ${what.split(' ')[0] === 'bool' ? 'boolean' : what.split(' ')[0]}`;
}

function decodeValue(
  v: unknown,
  s: OpenApiSchema,
  ctx: Ctx,
  struct: string,
  goPath: string,
  path: string,
): unknown {
  if (v === null || v === undefined) return undefined;
  const shape = shapeOf(s);
  const kind = jsonKind(v);
  switch (shape.k) {
    case 'any':
      return v;
    case 'struct': {
      if (kind !== 'object') return (fail(ctx, struct, goPath, kind, shape.goType, path, shape.k), undefined);
      return decodeStruct(v as Record<string, unknown>, shape.struct, shape.props, ctx, goPath, path);
    }
    case 'map': {
      if (kind !== 'object') return (fail(ctx, struct, goPath, kind, shape.goType, path, shape.k), undefined);
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const d = decodeValue(x, shape.values, ctx, struct, goPath, `${path}[${k}]`);
        // A null map value decodes to the zero value of the element type.
        out[k] = d === undefined ? zeroOf(shape.values) : d;
      }
      return out;
    }
    case 'array': {
      if (kind !== 'array') return (fail(ctx, struct, goPath, kind, shape.goType, path, shape.k), undefined);
      // A bad value of a list of enum strings is reported on the list, as validation does.
      const itemPath = (i: number) => (shapeOf(shape.items).k === 'string' ? path : `${path}[${i}]`);
      return (v as unknown[]).map((x, i) => {
        const d = decodeValue(x, shape.items, ctx, struct, goPath, itemPath(i));
        return d === undefined ? zeroOf(shape.items) : d;
      });
    }
    case 'string':
      if (kind !== 'string') return (fail(ctx, struct, goPath, kind, 'string', path, shape.k), undefined);
      if (shape.enum && !shape.enum.includes(v))
        ctx.causes.push({
          reason: 'FieldValueNotSupported',
          field: path,
          message: `Unsupported value: ${JSON.stringify(v)}: supported values: ${shape.enum.map((e) => JSON.stringify(e)).join(', ')}`,
        });
      return v;
    case 'bool':
      if (kind !== 'bool') return (fail(ctx, struct, goPath, kind, 'bool', path, shape.k), undefined);
      return v;
    case 'float64':
      if (kind !== 'number') return (fail(ctx, struct, goPath, kind, 'float64', path, shape.k), undefined);
      return v;
    case 'int': {
      if (kind !== 'number') return (fail(ctx, struct, goPath, kind, shape.goType, path, shape.k), undefined);
      const n = v as number;
      if (!Number.isInteger(n) || n < shape.min || n > shape.max)
        return (fail(ctx, struct, goPath, `number ${String(n)}`, shape.goType, path, shape.k), undefined);
      return n;
    }
    case 'intorstring': {
      if (kind === 'string') return v;
      if (kind !== 'number') return (fail(ctx, struct, goPath, kind, 'int32', path, shape.k), undefined);
      const n = v as number;
      if (!Number.isInteger(n) || n < -2147483648 || n > 2147483647)
        return (fail(ctx, struct, goPath, `number ${String(n)}`, 'int32', path, shape.k), undefined);
      return n;
    }
    case 'quantity': {
      const text = kind === 'number' ? String(v) : kind === 'string' ? (v as string).trim() : undefined;
      if (text === undefined || !QUANTITY_RE.test(text) || parseQuantity(text) === undefined) {
        ctx.typeError ??= QUANTITY_ERROR;
        return undefined;
      }
      return canonicalQuantity(text);
    }
    case 'time': {
      if (kind !== 'string') {
        ctx.typeError ??= `json: cannot unmarshal ${kind} into Go value of type string`;
        return undefined;
      }
      if (v === '') return undefined;
      if (!RFC3339.test(v as string) || Number.isNaN(Date.parse(v as string))) {
        ctx.typeError ??= `parsing time ${JSON.stringify(v)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(v)} as "2006"`;
        return undefined;
      }
      return v;
    }
    case 'bytes': {
      if (kind !== 'string') return (fail(ctx, struct, goPath, kind, '[]uint8', path, shape.k), undefined);
      const at = base64ErrorOffset(v as string);
      if (at >= 0) {
        ctx.typeError ??= `illegal base64 data at input byte ${at}`;
        return undefined;
      }
      return v;
    }
  }
}

function zeroOf(s: OpenApiSchema): unknown {
  const shape = shapeOf(s);
  switch (shape.k) {
    case 'struct':
      return {};
    case 'string':
    case 'bytes':
      return '';
    case 'bool':
      return false;
    case 'int':
    case 'float64':
    case 'intorstring':
      return 0;
    default:
      return null;
  }
}

function decodeStruct(
  obj: Record<string, unknown>,
  struct: string,
  props: Record<string, OpenApiSchema>,
  ctx: Ctx,
  goPath: string,
  path: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = ctx.sorted ? Object.keys(obj).sort() : Object.keys(obj);
  for (const k of keys) {
    const x = obj[k];
    const here = path ? `${path}.${k}` : k;
    const p = props[k];
    if (!p) {
      ctx.unknown.push(here);
      continue;
    }
    const d = decodeValue(x, p, ctx, struct, goPath ? `${goPath}.${k}` : k, here);
    if (d !== undefined) out[k] = d;
  }
  return out;
}

/**
 * Decode `obj` as the named struct schema. `goPrefix` is where Go's field paths start (custom
 * resources decode their metadata on its own, so its errors say `ObjectMeta.labels`); `path` is
 * the prefix of unknown-field and cause paths.
 */
export function decodeAs(
  schemaName: string,
  obj: Record<string, unknown>,
  opts: { goPrefix?: string; path?: string; sorted?: boolean } = {},
): DecodeResult {
  const ctx: Ctx = { unknown: [], causes: [], sorted: opts.sorted === true };
  const shape = namedShape(schemaName);
  if (shape.k !== 'struct') return { value: obj, unknown: [], causes: [] };
  const value = decodeStruct(obj, shape.struct, shape.props, ctx, opts.goPrefix ?? '', opts.path ?? '');
  return {
    value,
    unknown: ctx.unknown,
    causes: ctx.causes,
    ...(ctx.typeError ? { typeError: ctx.typeError, typeErrorPath: ctx.typeErrorPath ?? ctx.typeError } : {}),
  };
}

// --- Quantities, re-encoded in the API server's canonical form -----------------------------------

const DECIMAL: [string, number][] = [
  ['E', 18],
  ['P', 15],
  ['T', 12],
  ['G', 9],
  ['M', 6],
  ['k', 3],
  ['', 0],
  ['m', -3],
  ['u', -6],
  ['n', -9],
];
const BINARY: [string, bigint][] = [
  ['Ei', 60n],
  ['Pi', 50n],
  ['Ti', 40n],
  ['Gi', 30n],
  ['Mi', 20n],
  ['Ki', 10n],
];
const BIN_EXP: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DEC_EXP: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/**
 * resource.Quantity's String(): the value rounded up to nano units, printed in the format it was
 * written in (binary SI, decimal SI or exponent) with the largest suffix that keeps it whole.
 */
export function canonicalQuantity(text: string): string {
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/.exec(text);
  if (!m) return text;
  const [, sign, whole = '', frac = '', suffix = ''] = m;
  let format: 'binary' | 'decimal' | 'exponent' = 'decimal';
  let exp10 = 0;
  let exp2 = 0;
  if (suffix in BIN_EXP) {
    format = 'binary';
    exp2 = BIN_EXP[suffix] as number;
  } else if (suffix in DEC_EXP) exp10 = DEC_EXP[suffix] as number;
  else if (/^[eE][+-]?\d+$/.test(suffix)) {
    format = 'exponent';
    exp10 = Number(suffix.slice(1));
  } else return text;
  // value = (whole.frac) * 10^exp10 * 2^exp2, as an integer count of nano units (rounded up).
  const digits = `${whole}${frac}`.replace(/^0+/, '') || '0';
  let scale = exp10 - frac.length + 9;
  let n = BigInt(digits) * 2n ** BigInt(exp2);
  if (scale >= 0) n *= 10n ** BigInt(scale);
  else {
    const d = 10n ** BigInt(-scale);
    n = n % d === 0n ? n / d : n / d + 1n;
  }
  scale = 0;
  const neg = sign === '-' && n !== 0n;
  if (n === 0n) return '0';
  const s = neg ? '-' : '';
  if (format === 'binary' && n % 1_000_000_000n === 0n) {
    const units = n / 1_000_000_000n;
    for (const [suf, e] of BINARY) {
      const f = 2n ** e;
      if (units % f === 0n && units >= f) return `${s}${units / f}${suf}`;
    }
    if (units % 1024n !== 0n || units < 1024n) return `${s}${units}`;
  }
  // Decimal: the largest power of 1000 (down to nano) that divides the value.
  let mant = n;
  let exp = -9;
  while (mant % 10n === 0n && exp < 18) {
    mant /= 10n;
    exp += 1;
  }
  if (format === 'exponent') {
    if (exp === 0) return `${s}${mant}`;
    return `${s}${mant}e${exp}`;
  }
  for (const [suf, e] of DECIMAL) {
    if (exp >= e) return `${s}${mant * 10n ** BigInt(exp - e)}${suf}`;
  }
  return `${s}${mant}n`;
}
