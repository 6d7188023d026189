import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKubeGateway,
  deploymentManifest,
  managedSelector,
  namespaceName,
  ownerLabels,
  parseQuantity,
  RESOURCE_ID,
  virtualMachineManifest,
  type AppIntent,
  type DropletIntent,
  type KubeGateway,
} from '@uncloud/kube';
import { createNamespace, startSim, waitFor, type TestCluster } from './helpers.ts';

// The usage charts find a droplet's or an app's pods by Uncloud's labels alone: a real cluster
// copies them from the VM template (KubeVirt: VM → VMI → virt-launcher pod) and from the pod
// template (Deployment → ReplicaSet → Pod), and metrics-server copies pod labels to PodMetrics.
let t: TestCluster;
let gateway: KubeGateway;
const projectId = 'proj_metrics0000000000000';
const droplet: DropletIntent = {
  id: 'dpl_metrics0000000000000' as never,
  projectId: projectId as never,
  name: 'web-1',
  size: 's-1vcpu-1gb',
  image: 'ubuntu-24-04',
  userData: null,
  sshPublicKeys: [],
  volumes: [],
  poweredOn: true,
};
const app: AppIntent = {
  id: 'app_metrics0000000000000' as never,
  projectId: projectId as never,
  name: 'api',
  image: 'nginx:1.27',
  port: 80,
  replicas: 2,
  env: {},
  domains: [],
  healthCheckPath: null,
};

beforeAll(async () => {
  t = await startSim({ controllerDelayMs: 0 });
  gateway = createKubeGateway(t.kc);
  await createNamespace(t, namespaceName(projectId));
  await gateway.create(virtualMachineManifest(droplet));
  await gateway.create(deploymentManifest(app));
});
afterAll(async () => {
  gateway?.close();
  await t?.stop();
});

const metricsOf = (id: string) =>
  gateway.list('PodMetrics', { labelSelector: `${managedSelector()},${RESOURCE_ID}=${id}` });

describe('PodMetrics of managed workloads', () => {
  it("carries the droplet's labels on its virt-launcher pod, and serves its usage within the VM's size", async () => {
    const [metrics] = await waitFor(async () => {
      const items = await metricsOf(droplet.id);
      return items.length === 1 ? items : undefined;
    });
    expect(metrics?.metadata.labels).toMatchObject({
      ...ownerLabels({ kind: 'droplet', id: droplet.id, projectId, name: droplet.name }),
      'kubevirt.io': 'virt-launcher',
    });
    const pods = await gateway.list('Pod', { labelSelector: `${RESOURCE_ID}=${droplet.id}` });
    expect(pods.map((p) => p.metadata.name)).toEqual([metrics?.metadata.name]);
    const [compute] = metrics?.containers as { name: string; usage: { cpu: string; memory: string } }[];
    expect(compute?.name).toBe('compute');
    expect(parseQuantity(compute?.usage.cpu)).toBeGreaterThan(0);
    expect(parseQuantity(compute?.usage.memory)).toBeLessThanOrEqual(1024 * 2 ** 20);
  });

  it("carries the app's labels on each replica's pod", async () => {
    const items = await waitFor(async () => {
      const all = await metricsOf(app.id);
      return all.length === 2 ? all : undefined;
    });
    for (const item of items) {
      expect(item.metadata.labels).toMatchObject(
        ownerLabels({ kind: 'app', id: app.id, projectId, name: app.name }),
      );
    }
  });
});
