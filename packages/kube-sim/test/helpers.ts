// Test helpers: the cluster under test (the run's real control plane in the real tier, otherwise a
// simulated cluster on a random port) with clients from its kubeconfig.
import https from 'node:https';
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  NetworkingV1Api,
  ApiextensionsV1Api,
} from '@kubernetes/client-node';
import {
  createSimCluster,
  type SimCluster,
  type SimClusterInfo,
  type SimClusterOptions,
} from '../src/index.ts';
import { waitFor as sharedWaitFor } from '@uncloud/testing';
import { clusterUnderTest } from '../src/testing/cluster-under-test.ts';

/** A cluster reached through its kubeconfig, simulated or real. */
export interface ClusterClients {
  kind: 'sim' | 'real';
  /** The simulated cluster, when that is what runs. */
  sim: SimCluster | undefined;
  kubeconfigPath: string;
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  net: NetworkingV1Api;
  ext: ApiextensionsV1Api;
  custom: CustomObjectsApi;
  objects: KubernetesObjectApi;
  /** One HTTPS request with the kubeconfig's CA and token (`anonymous`: without the token). */
  request(
    path: string,
    options?: { method?: string; body?: string; anonymous?: boolean; contentType?: string },
  ): Promise<{ status: number; body: unknown }>;
  stop: () => Promise<void>;
}

/** A simulated cluster, with its powers (faults, controllers, store) and its plain-HTTP address. */
export interface TestCluster extends ClusterClients {
  kind: 'sim';
  sim: SimCluster;
  info: SimClusterInfo;
}

const clientsOf = (
  kind: 'sim' | 'real',
  sim: SimCluster | undefined,
  kubeconfigPath: string,
  stop: () => Promise<void>,
): ClusterClients => {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  // One keep-alive agent (client-node makes a new one, and a TLS handshake, per call).
  let agent: https.Agent | undefined;
  const request: ClusterClients['request'] = async (path, options = {}) => {
    const url = new URL(path, kc.getCurrentCluster()!.server);
    const opts: https.RequestOptions = { method: options.method ?? 'GET', headers: {} };
    await kc.applyToHTTPSOptions(opts);
    agent ??= new https.Agent({
      keepAlive: true,
      maxSockets: 16,
      ca: opts.ca,
      cert: opts.cert,
      key: opts.key,
    });
    opts.agent = agent;
    if (options.body !== undefined)
      (opts.headers as Record<string, string>)['content-type'] = options.contentType ?? 'application/json';
    if (options.anonymous) {
      const headers = opts.headers as Record<string, unknown>;
      for (const name of Object.keys(headers))
        if (name.toLowerCase() === 'authorization') delete headers[name];
    }
    return new Promise((resolve, reject) => {
      const req = https.request(url, { ...opts, signal: AbortSignal.timeout(10_000) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(options.body);
    });
  };
  return {
    kind,
    sim,
    kubeconfigPath,
    kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    net: kc.makeApiClient(NetworkingV1Api),
    ext: kc.makeApiClient(ApiextensionsV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    objects: KubernetesObjectApi.makeApiClient(kc),
    request,
    stop: async () => {
      agent?.destroy();
      await stop();
    },
  };
};

/**
 * Where the simulator departs from kube-apiserver, found by running the same suite on both: each
 * cluster's own answer, asserted as it is. The real server is right; the simulator's answer stays
 * asserted so that fixing it is a visible change (then the two collapse into one expectation).
 */
export const knownDifference = <T>(t: { kind: 'sim' | 'real' }, answers: { sim: T; real: T }): T =>
  answers[t.kind];

/** A simulated cluster of the test's own, whatever the tier (for tests of the simulator's powers). */
export async function startSim(options: SimClusterOptions = {}): Promise<TestCluster> {
  const sim = createSimCluster({ controllerDelayMs: 0, ...options });
  const info = await sim.start();
  return { ...clientsOf('sim', sim, info.kubeconfigPath, () => sim.stop()), kind: 'sim', sim, info };
}

/** The run's real control plane in the real tier, otherwise a simulated cluster started with `options`. */
export async function startClusterUnderTest(options: SimClusterOptions = {}): Promise<ClusterClients> {
  const cluster = await clusterUnderTest(options);
  return clientsOf(cluster.kind, cluster.sim, cluster.kubeconfigPath, () => cluster.close());
}

/** The workspace's one poll helper, with room for a cluster's controllers (10 s by default). */
export const waitFor = <T>(check: () => Promise<T> | T, opts: Parameters<typeof sharedWaitFor>[1] = {}) =>
  sharedWaitFor(check, { timeout: 10_000, ...opts });

/** A Kubernetes `Status` body, as a failed call answers it. */
export interface StatusBody {
  kind: string;
  reason: string;
  message: string;
  code: number;
  details?: { causes?: { field?: string; reason?: string }[] };
}

/** The body of a failure; a plain-text answer (kube-apiserver's `404 page not found`) as its message. */
const statusBody = (body: unknown): StatusBody => {
  if (typeof body !== 'string') return body as StatusBody;
  try {
    return JSON.parse(body) as StatusBody;
  } catch {
    return { kind: 'Status', reason: '', message: body, code: 0 };
  }
};

/** The ApiException a call fails with (the test fails if it succeeds). */
export async function apiError(p: Promise<unknown>): Promise<{ code: number; body: StatusBody }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiException) return { code: e.code, body: statusBody(e.body) };
    throw e;
  }
  throw new Error('expected the call to fail');
}

export async function createNamespace(t: ClusterClients, name: string): Promise<void> {
  await t.core.createNamespace({ body: { metadata: { name } } });
}

export function deployment(
  name: string,
  opts: { replicas?: number; image?: string; labels?: Record<string, string> } = {},
) {
  const labels = { app: name, ...(opts.labels ?? {}) };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas: opts.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name: 'web', image: opts.image ?? 'nginx:1.27', ports: [{ containerPort: 80 }] }],
        },
      },
    },
  };
}

/** What a raw request answered: the status, the `Warning` headers (one per warning) and the body. */
export interface RawAnswer<B = Record<string, unknown>> {
  status: number;
  warnings: string[];
  body: B;
}

/**
 * One request with a body of the caller's choosing, past the clients' own encoding: JSON of `body`,
 * or `raw` as it is, sent as `contentType`.
 */
export async function sendRaw<B = Record<string, unknown>>(
  kc: KubeConfig,
  method: string,
  path: string,
  body?: unknown,
  { contentType = 'application/json', raw }: { contentType?: string; raw?: string } = {},
): Promise<RawAnswer<B>> {
  const opts: https.RequestOptions = { method, headers: { 'content-type': contentType } };
  await kc.applyToHTTPSOptions(opts);
  const url = new URL(path, kc.getCurrentCluster()?.server);
  return new Promise((resolve, reject) => {
    const req = https.request(url, opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const header = res.headers.warning;
        const warnings = (Array.isArray(header) ? header : header ? [header] : []).flatMap((w) =>
          w.split(/, (?=299 )/),
        );
        resolve({
          status: res.statusCode ?? 0,
          warnings,
          body: JSON.parse(Buffer.concat(chunks).toString()) as B,
        });
      });
    });
    req.on('error', reject);
    req.end(raw ?? (body === undefined ? undefined : JSON.stringify(body)));
  });
}
