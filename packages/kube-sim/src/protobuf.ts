// Decoding of Kubernetes protobuf request bodies (what kubectl sends for the built-in kinds it
// builds itself: `kubectl create ingress|deployment|…`, `kubectl run`): the `k8s\0` runtime.Unknown
// envelope, then the object with the descriptors of Kubernetes' own generated.proto files
// (schemas/protobuf.json, made by scripts/generate-protobuf.ts), turned into the JSON the real API
// server would store for it.
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { badRequest, unsupportedMediaType } from './errors.ts';
import type { StoredObject } from './types.ts';

interface Descriptors {
  root: protobuf.Root;
  /** Per message (full name, no leading dot): fields whose zero value is kept (Go pointers, no omitempty). */
  keepZero: Map<string, Set<string>>;
  /** Per message: embedded structs whose fields JSON puts in the enclosing object. */
  inline: Map<string, Set<string>>;
}

let loaded: Descriptors | undefined;

function descriptors(): Descriptors {
  if (loaded) return loaded;
  const file = JSON.parse(readFileSync(new URL('./schemas/protobuf.json', import.meta.url), 'utf8')) as {
    descriptor: protobuf.INamespace;
    keepZero: Record<string, string[]>;
    inline: Record<string, string[]>;
  };
  loaded = {
    root: protobuf.Root.fromJSON(file.descriptor),
    keepZero: new Map(Object.entries(file.keepZero).map(([k, v]) => [k, new Set(v)])),
    inline: new Map(Object.entries(file.inline).map(([k, v]) => [k, new Set(v)])),
  };
  return loaded;
}

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
const APIEXT = 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1';

/** The proto package of an API group version (`networking.k8s.io/v1` → k8s.io.api.networking.v1). */
function protoPackage(apiVersion: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === '') return `k8s.io.api.core.${version}`;
  if (group === 'apiextensions.k8s.io')
    return `k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.${version}`;
  if (group === 'internal.apiserver.k8s.io') return `k8s.io.api.apiserverinternal.${version}`;
  return `k8s.io.api.${group?.split('.')[0] ?? ''}.${version}`;
}

/** An int64 (a Long from protobufjs, or a number) as a number. */
const num = (v: unknown): number =>
  typeof v === 'object' && v !== null && 'toNumber' in v
    ? (v as { toNumber(): number }).toNumber()
    : Number(v ?? 0);

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function timeOf(m: Message, micro: boolean): string | undefined {
  const seconds = num(m.seconds);
  const nanos = num(m.nanos);
  if (seconds === 0 && nanos === 0) return undefined;
  const iso = new Date(seconds * 1000).toISOString().slice(0, 19);
  return micro ? `${iso}.${pad(Math.floor(nanos / 1000), 6)}Z` : `${iso}Z`;
}

function goDuration(nanos: number): string {
  if (nanos === 0) return '0s';
  let rest = nanos / 1e9;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  rest -= m * 60;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${rest}s`;
}

const rawJson = (raw: Uint8Array | undefined): unknown =>
  raw && raw.length > 0 ? (JSON.parse(Buffer.from(raw).toString('utf8')) as unknown) : undefined;

type Message = Record<string, unknown>;

/** A message as JSON, with apimachinery's special types in their JSON forms. */
function messageToJson(type: protobuf.Type, m: Message): unknown {
  const name = type.fullName.slice(1);
  switch (name) {
    case 'k8s.io.apimachinery.pkg.api.resource.Quantity':
      return m.string ?? '';
    case 'k8s.io.apimachinery.pkg.util.intstr.IntOrString':
      return num(m.type) === 1 ? (m.strVal ?? '') : num(m.intVal);
    case `${META}.Time`:
      return timeOf(m, false);
    case `${META}.MicroTime`:
      return timeOf(m, true);
    case `${META}.Duration`:
      return goDuration(num(m.duration));
    case `${META}.FieldsV1`:
      return rawJson(m.Raw as Uint8Array | undefined);
    case 'k8s.io.apimachinery.pkg.runtime.RawExtension':
      return rawJson(m.raw as Uint8Array | undefined);
    case `${APIEXT}.JSON`:
      return rawJson(m.raw as Uint8Array | undefined);
    case `${APIEXT}.JSONSchemaPropsOrBool`:
      return m.schema ? fieldValue(type.fields.schema as protobuf.Field, m.schema) : Boolean(m.allows);
    case `${APIEXT}.JSONSchemaPropsOrArray`:
      return m.schema
        ? fieldValue(type.fields.schema as protobuf.Field, m.schema)
        : ((m.jSONSchemas as unknown[] | undefined) ?? []).map((s) =>
            fieldValue(type.fields.jSONSchemas as protobuf.Field, s),
          );
    case `${APIEXT}.JSONSchemaPropsOrStringArray`:
      return m.schema ? fieldValue(type.fields.schema as protobuf.Field, m.schema) : (m.property ?? []);
    default:
  }
  // A named list type (`ExtraValue`: `repeated string items`) is the list itself in JSON.
  const fields = type.fieldsArray;
  if (fields.length === 1 && fields[0]?.name === 'items' && fields[0].repeated && !name.endsWith('List'))
    return ((m.items as unknown[] | undefined) ?? []).map((v) => fieldValue(fields[0] as protobuf.Field, v));
  const keep = descriptors().keepZero.get(name);
  const inline = descriptors().inline.get(name);
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (!Object.prototype.hasOwnProperty.call(m, field.name)) continue;
    const value = m[field.name];
    let json: unknown;
    if (field.map) {
      const entries = Object.entries((value ?? {}) as Record<string, unknown>);
      if (entries.length === 0) continue;
      json = Object.fromEntries(entries.map(([k, v]) => [k, fieldValue(field, v)]));
    } else if (field.repeated) {
      const items = (value ?? []) as unknown[];
      if (items.length === 0) continue;
      json = items.map((v) => fieldValue(field, v));
    } else {
      json = fieldValue(field, value);
      const zero = json === '' || json === 0 || json === false;
      if (json === undefined || (zero && !keep?.has(field.name))) continue;
    }
    if (inline?.has(field.name) && json && typeof json === 'object') Object.assign(out, json);
    else out[jsonName(field.name)] = json;
  }
  return out;
}

/** apiextensions' JSONSchemaProps names `$ref`, `$schema` and `x-kubernetes-…` differently in proto. */
function jsonName(protoName: string): string {
  if (protoName === 'ref') return '$ref';
  if (protoName === 'schema') return '$schema';
  if (protoName.startsWith('x_kubernetes_')) return protoName.replaceAll('_', '-');
  return protoName;
}

function fieldValue(field: protobuf.Field, value: unknown): unknown {
  field.resolve();
  if (field.resolvedType instanceof protobuf.Type) return messageToJson(field.resolvedType, value as Message);
  if (field.resolvedType instanceof protobuf.Enum) return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'object' && value !== null && 'toNumber' in value) return num(value);
  return value;
}

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Decode a `k8s\0`-prefixed runtime.Unknown envelope into a JSON object, or refuse with 415. */
export function decodeKubeProtobuf(body: Buffer, contentType: string): StoredObject {
  if (!body.subarray(0, 4).equals(MAGIC)) throw unsupportedMediaType(contentType);
  const { root } = descriptors();
  const unknown = root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
  let envelope: Message;
  try {
    envelope = unknown.decode(body.subarray(4)) as unknown as Message;
  } catch (e) {
    throw badRequest(`unable to decode the protobuf body: ${(e as Error).message}`);
  }
  const typeMeta = (envelope.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const apiVersion = typeMeta.apiVersion ?? '';
  const kind = typeMeta.kind ?? '';
  const type = root.lookup(`${protoPackage(apiVersion)}.${kind}`);
  if (!(type instanceof protobuf.Type)) throw unsupportedMediaType(contentType);
  let message: Message;
  try {
    message = type.decode((envelope.raw as Uint8Array | undefined) ?? new Uint8Array()) as unknown as Message;
  } catch (e) {
    throw badRequest(`unable to decode the protobuf ${kind}: ${(e as Error).message}`);
  }
  const json = messageToJson(type, message) as Record<string, unknown>;
  return { apiVersion, kind, metadata: {}, ...json } as StoredObject;
}
