import { BatchV1Api, DiscoveryV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, startClusterUnderTest, waitFor, type ClusterClients } from './helpers.ts';

// Endpoints and EndpointSlices kept for Services, and batch/v1 Jobs run to completion: on the
// simulated cluster and (real tier) on kube-real, whose KWOK node agent runs pods the same way.

let t: ClusterClients;
let batch: BatchV1Api;
let discovery: DiscoveryV1Api;
const ns = 'endpoints-jobs';

beforeAll(async () => {
  t = await startClusterUnderTest({ controllerDelayMs: 5 });
  batch = t.kc.makeApiClient(BatchV1Api);
  discovery = t.kc.makeApiClient(DiscoveryV1Api);
  await createNamespace(t, ns);
  await waitFor(() => t.core.readNamespacedServiceAccount({ name: 'default', namespace: ns }));
});
afterAll(() => t?.stop());

const pod = (name: string, app: string) => ({
  metadata: { name, labels: { app } },
  spec: {
    containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 8080 }] }],
  },
});

describe('endpoints', () => {
  it("lists a Service's ready pods in its Endpoints and EndpointSlice, with the target port resolved", async () => {
    await t.core.createNamespacedService({
      namespace: ns,
      body: {
        metadata: { name: 'web' },
        spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
      },
    });
    await t.core.createNamespacedPod({ namespace: ns, body: pod('web-1', 'web') });
    await t.core.createNamespacedPod({ namespace: ns, body: pod('other', 'other') });
    const running = await waitFor(async () => {
      const p = await t.core.readNamespacedPod({ name: 'web-1', namespace: ns });
      return p.status?.podIP && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')
        ? p
        : undefined;
    });
    const endpoints = await waitFor(async () => {
      const ep = await t.core.readNamespacedEndpoints({ name: 'web', namespace: ns }).catch(() => undefined);
      return ep?.subsets?.[0]?.addresses?.length ? ep : undefined;
    });
    expect(endpoints.subsets).toEqual([
      {
        addresses: [
          expect.objectContaining({
            ip: running.status?.podIP,
            targetRef: expect.objectContaining({ kind: 'Pod', name: 'web-1' }),
          }),
        ],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
    const slices = await waitFor(async () => {
      const list = await discovery.listNamespacedEndpointSlice({
        namespace: ns,
        labelSelector: 'kubernetes.io/service-name=web',
      });
      return list.items[0]?.endpoints?.length ? list.items : undefined;
    });
    expect(slices).toHaveLength(1);
    expect(slices[0]?.addressType).toBe('IPv4');
    expect(slices[0]?.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'Service',
      name: 'web',
      controller: true,
    });
    expect(slices[0]?.endpoints.map((e) => [e.addresses, e.conditions?.ready, e.targetRef?.name])).toEqual([
      [[running.status?.podIP], true, 'web-1'],
    ]);
    expect(slices[0]?.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);

    await t.core.deleteNamespacedPod({ name: 'web-1', namespace: ns, gracePeriodSeconds: 0 });
    await waitFor(async () => {
      const ep = await t.core.readNamespacedEndpoints({ name: 'web', namespace: ns });
      return ep.subsets === undefined || ep.subsets.length === 0;
    });
  });
});

describe('jobs', () => {
  it("runs a Job's pods to completion and reports it Complete with the succeeded count", async () => {
    await batch.createNamespacedJob({
      namespace: ns,
      body: {
        metadata: { name: 'once' },
        spec: {
          completions: 2,
          parallelism: 1,
          template: {
            spec: {
              restartPolicy: 'Never',
              containers: [{ name: 'run', image: 'busybox:1.36', command: ['true'] }],
            },
          },
        },
      },
    });
    const job = await waitFor(
      async () => {
        const j = await batch.readNamespacedJob({ name: 'once', namespace: ns });
        return j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True')
          ? j
          : undefined;
      },
      { timeout: 30_000 },
    );
    expect(job.status?.succeeded).toBe(2);
    expect(job.status?.completionTime).toBeDefined();
    const pods = await t.core.listNamespacedPod({ namespace: ns, labelSelector: 'job-name=once' });
    expect(pods.items.map((p) => p.status?.phase)).toEqual(['Succeeded', 'Succeeded']);
    expect(pods.items[0]?.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'Job',
      name: 'once',
      controller: true,
    });
  }, 40_000);
});
