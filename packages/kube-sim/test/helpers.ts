// Test helpers: a simulated cluster on a random port with clients from its own kubeconfig.
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

export interface TestCluster {
  sim: SimCluster;
  info: SimClusterInfo;
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  net: NetworkingV1Api;
  ext: ApiextensionsV1Api;
  custom: CustomObjectsApi;
  objects: KubernetesObjectApi;
  stop: () => Promise<void>;
}

export async function startSim(options: SimClusterOptions = {}): Promise<TestCluster> {
  const sim = createSimCluster({ controllerDelayMs: 0, ...options });
  const info = await sim.start();
  const kc = new KubeConfig();
  kc.loadFromFile(info.kubeconfigPath);
  return {
    sim,
    info,
    kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    net: kc.makeApiClient(NetworkingV1Api),
    ext: kc.makeApiClient(ApiextensionsV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    objects: KubernetesObjectApi.makeApiClient(kc),
    stop: () => sim.stop(),
  };
}

/** Poll until `check` returns a truthy value (or stops throwing); fail after the deadline. */
export async function waitFor<T>(
  check: () => Promise<T> | T,
  opts: { timeout?: number; interval?: number } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + (opts.timeout ?? 10_000);
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
      last = new Error(`condition returned ${String(v)}`);
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw last instanceof Error ? last : new Error(String(last));
    await new Promise((r) => setTimeout(r, opts.interval ?? 20));
  }
}

/** The ApiException a call fails with (the test fails if it succeeds). */
export async function apiError(p: Promise<unknown>): Promise<{
  code: number;
  body: {
    kind: string;
    reason: string;
    message: string;
    code: number;
    details?: { causes?: { field?: string; reason?: string }[] };
  };
}> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiException) {
      const body = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
      return { code: e.code, body };
    }
    throw e;
  }
  throw new Error('expected the call to fail');
}

export async function createNamespace(t: TestCluster, name: string): Promise<void> {
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
