import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { namespaceName } from '@uncloud/kube';
import type { Fleet } from './sync-fleet.ts';
import type { BenchStack } from './stack.ts';

export interface ReadPathRun {
  name: string;
  requestsPerSecond: number;
  /** Objects per answer (must be the page size on both sides). */
  items: number;
  errors: number;
}

export interface ReadPathFigures {
  /** VirtualMachines in the namespace read, and droplets in the project: the same objects. */
  objects: number;
  pageSize: number;
  concurrency: number;
  durationSeconds: number;
  uncloud: ReadPathRun;
  kubernetes: ReadPathRun;
  /** Uncloud's rate over the rate of listing the same objects straight from Kubernetes. */
  ratio: number;
}

/** `concurrency` callers in a closed loop for `durationSeconds`: completed calls per second. */
const drive = async (
  name: string,
  concurrency: number,
  durationSeconds: number,
  call: (worker: number) => Promise<number>,
): Promise<ReadPathRun> => {
  const deadline = performance.now() + durationSeconds * 1000;
  let done = 0;
  let errors = 0;
  let items = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < deadline) {
        try {
          items = await call(worker);
          done++;
        } catch {
          errors++;
        }
      }
    }),
  );
  return { name, requestsPerSecond: done / ((performance.now() - started) / 1000), items, errors };
};

/**
 * The read path: a page of droplets through Uncloud (auth, tRPC, SQLite) against the same page of
 * VirtualMachines listed straight from the cluster with `@kubernetes/client-node`, with the same
 * number of callers, in the same process, one after the other.
 */
export const benchReadPath = async (
  stack: BenchStack,
  fleet: Fleet,
  {
    concurrency,
    durationSeconds,
    pageSize,
  }: { concurrency: number; durationSeconds: number; pageSize: number },
): Promise<ReadPathFigures> => {
  const project = [...fleet.projects].sort((a, b) => b.droplets - a.droplets)[0]!;
  const kc = new KubeConfig();
  kc.loadFromFile(stack.kubeconfigPath);
  const kube = kc.makeApiClient(CustomObjectsApi);
  const listVms = async () => {
    const answer = (await kube.listNamespacedCustomObject({
      group: 'kubevirt.io',
      version: 'v1',
      namespace: namespaceName(project.id as never),
      plural: 'virtualmachines',
      limit: pageSize,
    })) as { items: unknown[] };
    return answer.items.length;
  };
  // One client per caller: calls of one client in the same tick would be batched into one request.
  const clients = Array.from({ length: concurrency }, () => stack.newClient());
  const listDroplets = async (worker: number) =>
    (await clients[worker]!.droplets.list.query({ projectId: project.id, limit: pageSize })).items.length;

  const expected = Math.min(pageSize, project.droplets);
  if ((await listVms()) !== expected || (await listDroplets(0)) !== expected)
    throw new Error(`both sides must answer ${expected} objects`);
  await drive('warm-up', concurrency, 1, listDroplets);
  await drive('warm-up', concurrency, 1, listVms);
  const uncloud = await drive(
    'Uncloud droplets.list (SDK → API → SQLite)',
    concurrency,
    durationSeconds,
    listDroplets,
  );
  const kubernetes = await drive(
    'Kubernetes list VirtualMachines (client-node → cluster)',
    concurrency,
    durationSeconds,
    listVms,
  );
  return {
    objects: project.droplets,
    pageSize,
    concurrency,
    durationSeconds,
    uncloud,
    kubernetes,
    ratio: uncloud.requestsPerSecond / kubernetes.requestsPerSecond,
  };
};
