// What the simulated controllers do with the quota, as the real ones do: a virt-launcher pod asks
// for KubeVirt's overhead, a StatefulSet whose pod is refused reports a FailedCreate warning, and
// CloudNativePG records which version of a role's password Secret it applied.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, startSim, waitFor, type TestCluster } from './helpers.ts';

let t: TestCluster;
const ns = 'quota-ctl';
beforeAll(async () => {
  t = await startSim({ controllerDelayMs: 5 });
  await createNamespace(t, ns);
});
afterAll(() => t?.stop());

const MI = 2 ** 20;

describe('controllers under a quota', () => {
  it("gives a VM's launcher pod its guest memory plus KubeVirt's overhead", async () => {
    await t.custom.createNamespacedCustomObject({
      group: 'kubevirt.io',
      version: 'v1',
      namespace: ns,
      plural: 'virtualmachines',
      body: {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachine',
        metadata: { name: 'vm' },
        spec: {
          runStrategy: 'Always',
          template: {
            spec: {
              domain: {
                cpu: { cores: 2 },
                memory: { guest: '4Gi' },
                resources: { requests: { cpu: '2', memory: '4Gi' } },
                devices: { disks: [{ name: 'root', disk: { bus: 'virtio' } }] },
              },
              volumes: [{ name: 'root', containerDisk: { image: 'quay.io/containerdisks/fedora:41' } }],
            },
          },
        },
      },
    });
    const pod = await waitFor(async () =>
      (
        await t.core.listNamespacedPod({ namespace: ns, labelSelector: 'kubevirt.io=virt-launcher' })
      ).items.at(0),
    );
    const compute = pod.spec?.containers.find((c) => c.name === 'compute');
    // 4 GiB guest: 8 388 kB of page tables, 220 Mi of KubeVirt's processes, 2 × 8 Mi per vCPU,
    // 8 Mi for the IO thread, 16 Mi of video memory.
    expect(Number(compute?.resources?.requests?.memory)).toBe(4 * 1024 * MI + 8_388_000 + 260 * MI);
    expect(compute?.resources?.requests?.cpu).toBe('2');
    expect(pod.spec?.containers.map((c) => c.name)).toEqual(['compute', 'volumeroot']);
    expect(pod.spec?.initContainers?.map((c) => c.name)).toEqual(['container-disk-binary']);
  });

  it("reports a StatefulSet pod the quota refused as the controller's FailedCreate warning", async () => {
    await t.core.createNamespacedResourceQuota({
      namespace: ns,
      body: { metadata: { name: 'small' }, spec: { hard: { 'requests.cpu': '100' } } },
    });
    await t.apps.createNamespacedStatefulSet({
      namespace: ns,
      body: {
        metadata: { name: 'big' },
        spec: {
          serviceName: 'big',
          selector: { matchLabels: { app: 'big' } },
          template: {
            metadata: { labels: { app: 'big' } },
            spec: {
              containers: [
                { name: 'c', image: 'nginx', resources: { requests: { cpu: '200', memory: '1Mi' } } },
              ],
            },
          },
        },
      },
    });
    const event = await waitFor(async () =>
      (await t.core.listNamespacedEvent({ namespace: ns, fieldSelector: 'reason=FailedCreate' })).items.find(
        (e) => e.involvedObject.name === 'big',
      ),
    );
    expect(event.type).toBe('Warning');
    expect(event.message).toMatch(
      /^create Pod big-0 in StatefulSet big failed error: pods "big-0" is forbidden: exceeded quota: small/,
    );
  });

  it('records the password Secret version CloudNativePG applied to a managed role', async () => {
    // A namespace without the quota above, whose pods state no requests.
    const pgNs = 'quota-ctl-pg';
    await createNamespace(t, pgNs);
    await t.core.createNamespacedSecret({
      namespace: pgNs,
      body: {
        metadata: { name: 'pg-credentials', labels: { 'cnpg.io/reload': 'true' } },
        stringData: { username: 'app', password: 'one' },
      },
    });
    await t.custom.createNamespacedCustomObject({
      group: 'postgresql.cnpg.io',
      version: 'v1',
      namespace: pgNs,
      plural: 'clusters',
      body: {
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'Cluster',
        metadata: { name: 'pg' },
        spec: {
          instances: 1,
          storage: { size: '1Gi' },
          bootstrap: { initdb: { database: 'app', owner: 'app', secret: { name: 'pg-credentials' } } },
          managed: {
            roles: [
              { name: 'app', ensure: 'present', login: true, passwordSecret: { name: 'pg-credentials' } },
            ],
          },
        },
      },
    });
    type Cluster = {
      status?: { managedRolesStatus?: { passwordStatus?: Record<string, { resourceVersion?: string }> } };
    };
    const applied = async () =>
      (
        (await t.custom.getNamespacedCustomObject({
          group: 'postgresql.cnpg.io',
          version: 'v1',
          namespace: pgNs,
          plural: 'clusters',
          name: 'pg',
        })) as Cluster
      ).status?.managedRolesStatus?.passwordStatus?.app?.resourceVersion;
    const first = (await t.core.readNamespacedSecret({ name: 'pg-credentials', namespace: pgNs })).metadata
      ?.resourceVersion;
    await waitFor(async () => (await applied()) === first);
    const changed = await t.core.replaceNamespacedSecret({
      name: 'pg-credentials',
      namespace: pgNs,
      body: {
        metadata: { name: 'pg-credentials', labels: { 'cnpg.io/reload': 'true' } },
        stringData: { username: 'app', password: 'two' },
      },
    });
    await waitFor(async () => (await applied()) === changed.metadata?.resourceVersion);
  });
});
