// Turning answers into observations, and the manifests probes send.
import { ApiException } from '@kubernetes/client-node';
import type { HttpResult, Json, KubectlResult, Observation, ProbeCluster } from './types.ts';

interface StatusLike {
  kind?: string;
  reason?: string;
  message?: string;
  code?: number;
  details?: { causes?: { reason?: string; field?: string; message?: string }[] };
}

const isStatus = (b: unknown): b is StatusLike =>
  typeof b === 'object' && b !== null && (b as { kind?: unknown }).kind === 'Status';

/** `FieldValueInvalid spec.replicas` for each cause of a Status (what clients map to form fields). */
export function causesOf(body: unknown): string[] | undefined {
  if (!isStatus(body)) return undefined;
  const causes = body.details?.causes;
  if (!causes || causes.length === 0) return undefined;
  return causes.map((c) => `${c.reason ?? ''} ${c.field ?? ''}`.trim());
}

/** An HTTP answer: status code, Status reason/message/causes when it is one, Warning headers. */
export function fromHttp(res: HttpResult, fields: Record<string, Json | undefined> = {}): Observation {
  const obs: Observation = { status: res.status, warnings: res.warnings };
  if (isStatus(res.body)) {
    if (res.body.reason !== undefined) obs.reason = res.body.reason;
    if (res.body.message !== undefined) obs.message = res.body.message;
    const causes = causesOf(res.body);
    if (causes) fields = { causes, ...fields };
  }
  obs.fields = fields as Record<string, Json>;
  return obs;
}

/** A kubectl run: exit code, stderr as the message, stdout as a field. */
export function fromKubectl(r: KubectlResult, fields: Record<string, Json | undefined> = {}): Observation {
  return {
    status: r.code,
    message: r.timedOut ? 'kubectl timed out' : r.stderr.trim(),
    fields: { stdout: r.stdout.trim(), ...fields } as Record<string, Json>,
  };
}

export type ApiOutcome<T> =
  { ok: true; status: number; data: T } | { ok: false; status: number; body: StatusLike };

/** A typed client-node call: its HttpInfo, or the ApiException it throws (other errors propagate). */
export async function viaClient<T>(
  call: () => Promise<{ httpStatusCode: number; data: T }>,
): Promise<ApiOutcome<T>> {
  try {
    const info = await call();
    return { ok: true, status: info.httpStatusCode, data: info.data };
  } catch (e) {
    if (!(e instanceof ApiException)) throw e;
    let body: unknown = e.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        body = { message: body };
      }
    }
    return { ok: false, status: e.code, body: (body ?? {}) as StatusLike };
  }
}

/** The observation of a typed client-node call (what a client reads from ApiException or the data). */
export function fromClient<T>(
  outcome: ApiOutcome<T>,
  pick: (data: T) => Record<string, Json | undefined> = () => ({}),
): Observation {
  if (outcome.ok) return { status: outcome.status, fields: pick(outcome.data) as Record<string, Json> };
  const obs: Observation = { status: outcome.status };
  if (outcome.body.reason !== undefined) obs.reason = outcome.body.reason;
  if (outcome.body.message !== undefined) obs.message = outcome.body.message;
  const causes = causesOf({ kind: 'Status', ...outcome.body });
  if (causes) obs.fields = { causes };
  return obs;
}

/** Read a dotted path (`spec.template.spec.containers.0.image`) out of a JSON answer. */
export function at(value: unknown, path: string): Json | undefined {
  let v: unknown = value;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v as Json | undefined;
}

/** Items of a list answer. */
export function itemsOf(res: HttpResult): Record<string, unknown>[] {
  const items = (res.body as { items?: unknown } | undefined)?.items;
  return Array.isArray(items) ? (items as Record<string, unknown>[]) : [];
}

export const nameOf = (o: unknown) => String(at(o, 'metadata.name') ?? '');

// Paths -----------------------------------------------------------------------------------------

export const paths = {
  core: (c: ProbeCluster, plural: string, name?: string) =>
    `/api/v1/namespaces/${c.namespace}/${plural}${name ? `/${name}` : ''}`,
  apps: (c: ProbeCluster, plural: string, name?: string) =>
    `/apis/apps/v1/namespaces/${c.namespace}/${plural}${name ? `/${name}` : ''}`,
  group: (c: ProbeCluster, groupVersion: string, plural: string, name?: string) =>
    `/apis/${groupVersion}/namespaces/${c.namespace}/${plural}${name ? `/${name}` : ''}`,
};

// Manifests -------------------------------------------------------------------------------------

export function deployment(
  name: string,
  opts: { replicas?: number; image?: string; container?: Record<string, unknown> } = {},
): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas: opts.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: 'web', image: opts.image ?? 'nginx:1.27', ...(opts.container ?? {}) }],
        },
      },
    },
  };
}

export function pod(
  name: string,
  container: Record<string, unknown> = {},
  spec: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name } },
    spec: { containers: [{ name: 'main', image: 'nginx:1.27', ...container }], ...spec },
  };
}

export function configMap(name: string, data: Record<string, unknown> = { key: 'value' }, metadata = {}) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...metadata }, data };
}

/** A VirtualMachine that the real KubeVirt schema accepts. */
export function virtualMachine(name: string, spec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name },
    spec: {
      runStrategy: 'Halted',
      template: {
        metadata: { labels: { 'kubevirt.io/vm': name } },
        spec: {
          domain: {
            cpu: { cores: 1 },
            memory: { guest: '1Gi' },
            devices: { disks: [{ name: 'root', disk: { bus: 'virtio' } }] },
          },
          volumes: [{ name: 'root', containerDisk: { image: 'quay.io/containerdisks/fedora:41' } }],
        },
      },
      ...spec,
    },
  };
}

/** A CloudNativePG Cluster that the real schema accepts. */
export function cnpgCluster(name: string, spec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name },
    spec: { instances: 1, storage: { size: '1Gi' }, ...spec },
  };
}

/** A watch answer's events (newline-delimited JSON), each rendered by `render`; ERROR events as `ERROR code reason: message`. */
export function watchEvents(
  text: unknown,
  render: (type: string, object: Record<string, unknown> | undefined) => string = (t, o) =>
    `${t} ${nameOf(o)}`,
): string[] {
  if (typeof text !== 'string') return [`<not a stream: ${JSON.stringify(text).slice(0, 200)}>`];
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let e: { type?: string; object?: Record<string, unknown> };
    try {
      e = JSON.parse(line) as typeof e;
    } catch {
      out.push(`<unparsable: ${line.slice(0, 100)}>`);
      continue;
    }
    out.push(
      e.type === 'ERROR'
        ? `ERROR ${String(e.object?.code)} ${String(e.object?.reason)}: ${String(e.object?.message)}`
        : render(String(e.type), e.object),
    );
  }
  return out;
}

/** Watch a collection from `resourceVersion` for `timeoutSeconds` (the server ends the stream). */
export async function watchFrom(
  c: ProbeCluster,
  collection: string,
  resourceVersion: string,
  opts: { timeoutSeconds?: number; fieldSelector?: string } = {},
) {
  return c.request('GET', collection, {
    query: {
      watch: 'true',
      resourceVersion,
      timeoutSeconds: opts.timeoutSeconds ?? 2,
      fieldSelector: opts.fieldSelector,
    },
    timeoutMs: ((opts.timeoutSeconds ?? 2) + 15) * 1000,
  });
}

/** The name of the cluster's default StorageClass or IngressClass (environments name them differently). */
export async function defaultClass(
  c: ProbeCluster,
  kind: 'storage' | 'ingress',
): Promise<string | undefined> {
  const path =
    kind === 'storage'
      ? '/apis/storage.k8s.io/v1/storageclasses'
      : '/apis/networking.k8s.io/v1/ingressclasses';
  const annotation = `${kind}class.kubernetes.io/is-default-class`;
  const found = itemsOf(await c.request('GET', path)).find(
    (o) => ((at(o, 'metadata.annotations') ?? {}) as Record<string, string>)[annotation] === 'true',
  );
  return found ? nameOf(found) : undefined;
}

/** Whether a GET finds the object (200), is gone (404), or something else (the code). */
export async function presence(c: ProbeCluster, path: string): Promise<'present' | 'gone' | number> {
  const res = await c.request('GET', path);
  return res.status === 200 ? 'present' : res.status === 404 ? 'gone' : res.status;
}
