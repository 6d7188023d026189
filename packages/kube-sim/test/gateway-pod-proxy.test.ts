// pods/proxy through the gateway against the simulated cluster: a health checker outside the pod
// network reaches a VM's port through the API server, and gets the guest's status, or the API
// server's dial error (refused, timed out) in its words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeGateway, isKubeError, loadKubeConfig, type KubeGateway } from '@uncloud/kube';
import { createNamespace, startSim, waitFor, type TestCluster } from './helpers.ts';

let t: TestCluster;
let gateway: KubeGateway;
let pod: string;
const ns = 'gateway-proxy';

beforeAll(async () => {
  t = await startSim({ controllerDelayMs: 2 });
  gateway = createKubeGateway(loadKubeConfig({ kubeconfigPath: t.kubeconfigPath }), { timeoutMs: 5000 });
  await createNamespace(t, ns);
  await t.custom.createNamespacedCustomObject({
    group: 'kubevirt.io',
    version: 'v1',
    plural: 'virtualmachines',
    namespace: ns,
    body: {
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachine',
      metadata: { name: 'web' },
      spec: {
        runStrategy: 'Always',
        template: {
          spec: {
            domain: {
              devices: { disks: [{ name: 'root', disk: { bus: 'virtio' } }] },
              memory: { guest: '512Mi' },
            },
            volumes: [{ name: 'root', containerDisk: { image: 'quay.io/containerdisks/debian:12' } }],
          },
        },
      },
    },
  });
  pod = await waitFor(
    async () => {
      const pods = await gateway.list('Pod', { namespace: ns, labelSelector: 'vm.kubevirt.io/name=web' });
      const running = pods.find((p) => (p as { status?: { phase?: string } }).status?.phase === 'Running');
      // The guest answers once its instance runs with the pod's address.
      if (!running) return undefined;
      return t.sim.network.probe({
        ip: (running as { status?: { podIP?: string } }).status?.podIP ?? '',
        port: 1,
        protocol: 'tcp',
      }).ok
        ? running.metadata.name
        : undefined;
    },
    { timeout: 10_000, message: 'the launcher pod of web running' },
  );
});
afterAll(async () => {
  gateway?.close();
  await t?.stop();
});

describe('pods/proxy', () => {
  it('answers with the guest’s HTTP status on the port, over http and https', async () => {
    expect(await gateway.proxyPodGet(ns, pod, { port: 8080, path: '/healthz', scheme: 'http' })).toEqual({
      status: 200,
    });
    t.sim.network.serve(ns, 'web', 8443, { kind: 'http', status: 503 });
    expect(await gateway.proxyPodGet(ns, pod, { port: 8443, path: '/', scheme: 'https' })).toEqual({
      status: 503,
    });
  });

  it('reports a closed or silent port as the API server’s dial error', async () => {
    t.sim.network.serve(ns, 'web', 9000, { kind: 'closed' });
    const refused = await gateway
      .proxyPodGet(ns, pod, { port: 9000, path: '/', scheme: 'http' })
      .catch((e: unknown) => e);
    expect(isKubeError(refused) && refused.status).toBe(503);
    expect((refused as Error).message).toMatch(/connection refused/);
    t.sim.network.serve(ns, 'web', 9001, { kind: 'silent' });
    const silent = await gateway
      .proxyPodGet(ns, pod, { port: 9001, path: '/', scheme: 'http' })
      .catch((e: unknown) => e);
    expect((silent as Error).message).toMatch(/i\/o timeout/);
  });

  it('refuses a pod that does not exist', async () => {
    const missing = await gateway
      .proxyPodGet(ns, 'nothing', { port: 80, path: '/', scheme: 'http' })
      .catch((e: unknown) => e);
    expect(isKubeError(missing, 'NotFound')).toBe(true);
  });
});
