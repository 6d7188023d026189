// Decoding of the Kubernetes protobuf request bodies kubectl sends for built-in kinds it builds
// itself (`kubectl create namespace|configmap|secret|deployment|service|quota|serviceaccount`,
// `kubectl run`). Only the fields those commands set are mapped; unknown fields are skipped.
import { unsupportedMediaType } from './errors.ts';
import type { StoredObject } from './types.ts';

type Kind = 's' | 'i' | 'b' | 'y' | 'q' | 'ios' | 'ms' | 'my' | 'mq' | Schema | ['rep', Kind];
type Schema = Record<number, [string, Kind]>;

const QUANTITY_MAP: Kind = 'mq';
const objectMeta: Schema = {
  1: ['name', 's'],
  2: ['generateName', 's'],
  3: ['namespace', 's'],
  11: ['labels', 'ms'],
  12: ['annotations', 'ms'],
  14: ['finalizers', ['rep', 's']],
};
const labelSelector: Schema = { 1: ['matchLabels', 'ms'] };
const resources: Schema = { 1: ['limits', QUANTITY_MAP], 2: ['requests', QUANTITY_MAP] };
const container: Schema = {
  1: ['name', 's'],
  2: ['image', 's'],
  3: ['command', ['rep', 's']],
  4: ['args', ['rep', 's']],
  5: ['workingDir', 's'],
  6: [
    'ports',
    ['rep', { 1: ['name', 's'], 2: ['hostPort', 'i'], 3: ['containerPort', 'i'], 4: ['protocol', 's'] }],
  ],
  7: ['env', ['rep', { 1: ['name', 's'], 2: ['value', 's'] }]],
  8: ['resources', resources],
  13: ['terminationMessagePath', 's'],
  14: ['imagePullPolicy', 's'],
  16: ['stdin', 'b'],
  18: ['tty', 'b'],
  20: ['terminationMessagePolicy', 's'],
};
const podSpec: Schema = {
  2: ['containers', ['rep', container]],
  3: ['restartPolicy', 's'],
  4: ['terminationGracePeriodSeconds', 'i'],
  6: ['dnsPolicy', 's'],
  7: ['nodeSelector', 'ms'],
  8: ['serviceAccountName', 's'],
  19: ['schedulerName', 's'],
  20: ['initContainers', ['rep', container]],
};
const podTemplate: Schema = { 1: ['metadata', objectMeta], 2: ['spec', podSpec] };

const SCHEMAS: Record<string, Schema> = {
  'v1/Namespace': { 1: ['metadata', objectMeta], 2: ['spec', { 1: ['finalizers', ['rep', 's']] }] },
  'v1/ConfigMap': {
    1: ['metadata', objectMeta],
    2: ['data', 'ms'],
    3: ['binaryData', 'my'],
    4: ['immutable', 'b'],
  },
  'v1/Secret': {
    1: ['metadata', objectMeta],
    2: ['data', 'my'],
    3: ['type', 's'],
    4: ['stringData', 'ms'],
    5: ['immutable', 'b'],
  },
  'v1/ServiceAccount': { 1: ['metadata', objectMeta], 4: ['automountServiceAccountToken', 'b'] },
  'v1/Pod': { 1: ['metadata', objectMeta], 2: ['spec', podSpec] },
  'v1/ResourceQuota': {
    1: ['metadata', objectMeta],
    2: ['spec', { 1: ['hard', QUANTITY_MAP], 2: ['scopes', ['rep', 's']] }],
  },
  'v1/Service': {
    1: ['metadata', objectMeta],
    2: [
      'spec',
      {
        1: [
          'ports',
          [
            'rep',
            {
              1: ['name', 's'],
              2: ['protocol', 's'],
              3: ['port', 'i'],
              4: ['targetPort', 'ios'],
              5: ['nodePort', 'i'],
            },
          ],
        ],
        2: ['selector', 'ms'],
        3: ['clusterIP', 's'],
        4: ['type', 's'],
        7: ['sessionAffinity', 's'],
        16: ['externalName', 's'],
      },
    ],
  },
  'apps/v1/Deployment': {
    1: ['metadata', objectMeta],
    2: [
      'spec',
      {
        1: ['replicas', 'i'],
        2: ['selector', labelSelector],
        3: ['template', podTemplate],
        4: ['strategy', { 1: ['type', 's'] }],
        5: ['minReadySeconds', 'i'],
        6: ['revisionHistoryLimit', 'i'],
        9: ['progressDeadlineSeconds', 'i'],
      },
    ],
  },
};

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): number {
    let result = 0;
    let shift = 1;
    for (;;) {
      const b = this.buf[this.pos++];
      if (b === undefined) throw new Error('truncated varint');
      result += (b & 0x7f) * shift;
      if (b < 0x80) return result;
      shift *= 128;
    }
  }
  bytes(): Buffer {
    const n = this.varint();
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

function mapEntry(buf: Buffer, value: 's' | 'y' | 'q'): [string, string] {
  const r = new Reader(buf);
  let k = '';
  let v = '';
  while (!r.done) {
    const tag = r.varint();
    if (tag >> 3 === 1 && (tag & 7) === 2) k = r.bytes().toString('utf8');
    else if (tag >> 3 === 2 && (tag & 7) === 2) {
      const raw = r.bytes();
      v =
        value === 'y'
          ? raw.toString('base64')
          : value === 'q'
            ? String(decode(raw, { 1: ['string', 's'] }).string ?? '')
            : raw.toString('utf8');
    } else r.skip(tag & 7);
  }
  return [k, v];
}

function decode(buf: Buffer, schema: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const r = new Reader(buf);
  while (!r.done) {
    const tag = r.varint();
    const field = schema[tag >> 3];
    if (!field) {
      r.skip(tag & 7);
      continue;
    }
    const [name, kind] = field;
    const repeated = Array.isArray(kind);
    const k = repeated ? kind[1] : kind;
    let value: unknown;
    if (k === 'i') value = r.varint();
    else if (k === 'b') value = r.varint() !== 0;
    else {
      const raw = r.bytes();
      if (k === 's') value = raw.toString('utf8');
      else if (k === 'y') value = raw.toString('base64');
      else if (k === 'q') value = String(decode(raw, { 1: ['string', 's'] }).string ?? '');
      else if (k === 'ios') {
        const v = decode(raw, { 1: ['type', 'i'], 2: ['intVal', 'i'], 3: ['strVal', 's'] });
        value = v.type === 1 ? (v.strVal ?? '') : (v.intVal ?? 0);
      } else if (k === 'ms' || k === 'my' || k === 'mq') {
        const [mk, mv] = mapEntry(raw, k === 'ms' ? 's' : k === 'my' ? 'y' : 'q');
        out[name] = { ...(out[name] as Record<string, string> | undefined), [mk]: mv };
        continue;
      } else value = decode(raw, k as Schema);
    }
    if (repeated) out[name] = [...((out[name] as unknown[] | undefined) ?? []), value];
    else if (value !== '' && ((value !== 0 && value !== false) || POINTERS.has(name))) out[name] = value;
  }
  return out;
}

/** Fields that are pointers in the Go types: a zero on the wire was set on purpose (others are omitted, as JSON omits them). */
const POINTERS = new Set([
  'replicas',
  'terminationGracePeriodSeconds',
  'revisionHistoryLimit',
  'progressDeadlineSeconds',
  'automountServiceAccountToken',
  'immutable',
]);

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Decode a `k8s\0`-prefixed runtime.Unknown envelope into a JSON object, or refuse with 415. */
export function decodeKubeProtobuf(body: Buffer, contentType: string): StoredObject {
  if (!body.subarray(0, 4).equals(MAGIC)) throw unsupportedMediaType(contentType);
  const envelope = decode(body.subarray(4), {
    1: ['typeMeta', { 1: ['apiVersion', 's'], 2: ['kind', 's'] }],
    2: ['raw', 'y'],
  });
  const typeMeta = (envelope.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const schema = SCHEMAS[`${typeMeta.apiVersion}/${typeMeta.kind}`];
  if (!schema) throw unsupportedMediaType(contentType);
  const obj = decode(Buffer.from(String(envelope.raw ?? ''), 'base64'), schema);
  return {
    apiVersion: typeMeta.apiVersion ?? '',
    kind: typeMeta.kind ?? '',
    metadata: {},
    ...obj,
  } as StoredObject;
}
