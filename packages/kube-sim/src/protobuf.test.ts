import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { decodeKubeProtobuf } from './protobuf.ts';
import { BUILTIN_TYPES } from './registry.ts';
import { apiVersionOf } from './types.ts';

const root = protobuf.Root.fromJSON(
  (
    JSON.parse(readFileSync(new URL('./schemas/protobuf.json', import.meta.url), 'utf8')) as {
      descriptor: protobuf.INamespace;
    }
  ).descriptor,
);

/** A body as kubectl sends it: `k8s\0` and a runtime.Unknown holding the encoded object. */
function envelope(
  apiVersion: string,
  kind: string,
  message: string,
  object: Record<string, unknown>,
): Buffer {
  const type = root.lookupType(message);
  const raw = type.encode(type.fromObject(object)).finish();
  const unknown = root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
  const body = unknown.encode(unknown.fromObject({ typeMeta: { apiVersion, kind }, raw })).finish();
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), body]);
}

const CT = 'application/vnd.kubernetes.protobuf';

describe('protobuf request bodies', () => {
  it('decodes every built-in kind the simulator serves', () => {
    const builtins = BUILTIN_TYPES.filter((t) => !t.readOnly && !t.group.endsWith('metrics.k8s.io'));
    expect(builtins.length).toBeGreaterThan(15);
    for (const t of builtins) {
      const apiVersion = apiVersionOf(t);
      const pkg =
        t.group === ''
          ? 'k8s.io.api.core'
          : t.group === 'apiextensions.k8s.io'
            ? 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions'
            : `k8s.io.api.${t.group.split('.')[0]}`;
      const body = envelope(apiVersion, t.kind, `${pkg}.${t.version}.${t.kind}`, { metadata: { name: 'x' } });
      expect(decodeKubeProtobuf(body, CT)).toMatchObject({
        apiVersion,
        kind: t.kind,
        metadata: { name: 'x' },
      });
    }
  });

  it('turns quantities, int-or-strings, times, inline structs, bytes and pointer zeros into their JSON forms', () => {
    const pod = decodeKubeProtobuf(
      envelope('v1', 'Pod', 'k8s.io.api.core.v1.Pod', {
        metadata: { name: 'p', creationTimestamp: { seconds: 0 }, labels: { a: 'b' } },
        spec: {
          terminationGracePeriodSeconds: 0,
          restartPolicy: '',
          volumes: [{ name: 'data', volumeSource: { emptyDir: { sizeLimit: { string: '1Gi' } } } }],
          containers: [
            {
              name: 'web',
              image: 'nginx',
              ports: [{ containerPort: 80, hostPort: 0 }],
              resources: { limits: { cpu: { string: '500m' } } },
              readinessProbe: { handler: { httpGet: { port: { type: 1, strVal: 'http' } } } },
            },
          ],
        },
      }),
      CT,
    );
    expect(pod.metadata).toEqual({ name: 'p', labels: { a: 'b' } });
    expect(pod.spec).toEqual({
      terminationGracePeriodSeconds: 0,
      volumes: [{ name: 'data', emptyDir: { sizeLimit: '1Gi' } }],
      containers: [
        {
          name: 'web',
          image: 'nginx',
          ports: [{ containerPort: 80 }],
          resources: { limits: { cpu: '500m' } },
          readinessProbe: { httpGet: { port: 'http' } },
        },
      ],
    });
    const secret = decodeKubeProtobuf(
      envelope('v1', 'Secret', 'k8s.io.api.core.v1.Secret', {
        metadata: { name: 's' },
        data: { k: Buffer.from('hi') },
      }),
      CT,
    );
    expect(secret.data).toEqual({ k: Buffer.from('hi').toString('base64') });
    const event = decodeKubeProtobuf(
      envelope('v1', 'Event', 'k8s.io.api.core.v1.Event', {
        metadata: { name: 'e' },
        eventTime: { seconds: 1_700_000_000, nanos: 123_456_000 },
        firstTimestamp: { seconds: 1_700_000_000 },
      }),
      CT,
    );
    expect(event).toMatchObject({
      eventTime: '2023-11-14T22:13:20.123456Z',
      firstTimestamp: '2023-11-14T22:13:20Z',
    });
  });

  it('answers 415 to a kind it has no descriptor for, and to a body without the k8s envelope', () => {
    expect(() =>
      decodeKubeProtobuf(envelope('example.com/v1', 'Widget', 'k8s.io.api.core.v1.Pod', {}), CT),
    ).toThrow(/unknown format/);
    expect(() => decodeKubeProtobuf(Buffer.from('{}'), CT)).toThrow(/unknown format/);
  });
});
