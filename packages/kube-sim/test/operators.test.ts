// What KubeVirt and CloudNativePG, installed, would refuse and report, checked against their
// sources (kube-real runs neither operator, so these run on the simulator only): their validating
// webhooks, no guest OS without a guest agent, and no healthy database short of its instances.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, createNamespace, startSim, waitFor, type TestCluster } from './helpers.ts';

let t: TestCluster;
const ns = 'operators';
beforeAll(async () => {
  t = await startSim({ controllerDelayMs: 5 });
  await createNamespace(t, ns);
});
afterAll(() => t?.stop());

interface Obj {
  metadata: { name: string };
  spec?: Record<string, unknown>;
  status?: {
    phase?: string;
    guestOSInfo?: unknown;
    conditions?: { type: string; status?: string; reason?: string }[];
    interfaces?: { infoSource?: string; ipAddress?: string }[];
  };
}
const vms = { group: 'kubevirt.io', version: 'v1', namespace: ns, plural: 'virtualmachines' };
const clusters = { group: 'postgresql.cnpg.io', version: 'v1', namespace: ns, plural: 'clusters' };

const vm = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'kubevirt.io/v1',
  kind: 'VirtualMachine',
  metadata: { name },
  spec: {
    ...spec,
    template: { spec: { domain: { cpu: { cores: 1 }, memory: { guest: '1Gi' }, devices: {} } } },
  },
});
const cluster = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Cluster',
  metadata: { name },
  spec: { instances: 1, ...spec },
});
const KUBEVIRT = 'admission webhook "virtualmachine-validator.kubevirt.io" denied the request: ';

describe("KubeVirt's VirtualMachine webhook", () => {
  it.each([
    [
      'running together with runStrategy',
      { running: true, runStrategy: 'Always' },
      'Running and RunStrategy are mutually exclusive. Note that Running is deprecated, please use RunStrategy instead',
      'spec.running',
    ],
    ['neither running nor runStrategy', {}, 'RunStrategy must be specified', 'spec.running'],
    // The CRD has no enum here (a bare kube-apiserver stores it: fidelity probe
    // vm-runstrategy-free-string); KubeVirt's webhook is what refuses it.
    [
      'a runStrategy outside its enum',
      { runStrategy: 'Sometimes' },
      'Invalid RunStrategy (Sometimes)',
      'spec.runStrategy',
    ],
  ])('refuses %s with its own message', async (_what, spec, message, field) => {
    const err = await apiError(t.custom.createNamespacedCustomObject({ ...vms, body: vm('refused', spec) }));
    expect(err.code).toBe(422);
    expect(err.body).toMatchObject({ reason: 'Invalid', message: `${KUBEVIRT}${message}` });
    expect(err.body.details?.causes).toEqual([{ reason: 'FieldValueInvalid', message, field }]);
  });

  it('refuses an update that adds running to a VM with a runStrategy, and takes runStrategy alone', async () => {
    await t.custom.createNamespacedCustomObject({ ...vms, body: vm('updated', { runStrategy: 'Halted' }) });
    const err = await apiError(
      t.custom.patchNamespacedCustomObject({
        ...vms,
        name: 'updated',
        body: [{ op: 'add', path: '/spec/running', value: false }],
      }),
    );
    expect(err.code).toBe(422);
    expect(err.body.message).toBe(
      `${KUBEVIRT}Running and RunStrategy are mutually exclusive. Note that Running is deprecated, please use RunStrategy instead`,
    );
    const ok = (await t.custom.patchNamespacedCustomObject({
      ...vms,
      name: 'updated',
      body: [{ op: 'replace', path: '/spec/runStrategy', value: 'Manual' }],
    })) as Obj;
    expect(ok.spec?.runStrategy).toBe('Manual');
  });
});

describe('a running VirtualMachineInstance', () => {
  it('reports no guest OS and no agent connection, as a guest without a guest agent', async () => {
    await t.custom.createNamespacedCustomObject({ ...vms, body: vm('guest', { runStrategy: 'Always' }) });
    const vmi = (await waitFor(async () => {
      const v = (await t.custom.getNamespacedCustomObject({
        ...vms,
        plural: 'virtualmachineinstances',
        name: 'guest',
      })) as Obj;
      return v.status?.phase === 'Running' ? v : undefined;
    })) as Obj;
    expect(vmi.status?.guestOSInfo).toEqual({});
    expect((vmi.status?.conditions ?? []).map((c) => c.type)).not.toContain('AgentConnected');
    expect(vmi.status?.interfaces?.[0]).toMatchObject({
      infoSource: 'domain',
      ipAddress: expect.stringMatching(/^10\.42\./),
    });
  });
});

describe("CloudNativePG's Cluster webhook and status", () => {
  it('refuses a storage size that is not a quantity, and a missing one', async () => {
    const bad = await apiError(
      t.custom.createNamespacedCustomObject({
        ...clusters,
        body: cluster('lots', { storage: { size: 'lots' } }),
      }),
    );
    expect(bad.code).toBe(422);
    expect(bad.body.message).toBe(
      'admission webhook "vcluster.cnpg.io" denied the request: Cluster.postgresql.cnpg.io "lots" is invalid: spec.storage.size: Invalid value: "lots": Size value isn\'t valid',
    );
    expect(bad.body.details?.causes?.[0]).toMatchObject({
      field: 'spec.storage.size',
      reason: 'FieldValueInvalid',
    });
    const missing = await apiError(
      t.custom.createNamespacedCustomObject({ ...clusters, body: cluster('none', {}) }),
    );
    expect(missing.body.message).toBe(
      'admission webhook "vcluster.cnpg.io" denied the request: Cluster.postgresql.cnpg.io "none" is invalid: spec.storage.size: Invalid value: "": Size not configured. Please add it, or a storage request in the pvcTemplate.',
    );
  });

  it('names the group cluster.cnpg.io when it refuses an update, as the operator does', async () => {
    await t.custom.createNamespacedCustomObject({
      ...clusters,
      body: cluster('resized', { storage: { size: '1Gi' } }),
    });
    const err = await apiError(
      t.custom.patchNamespacedCustomObject({
        ...clusters,
        name: 'resized',
        body: [{ op: 'replace', path: '/spec/storage/size', value: 'much' }],
      }),
    );
    expect(err.body.message).toBe(
      'admission webhook "vcluster.cnpg.io" denied the request: Cluster.cluster.cnpg.io "resized" is invalid: spec.storage.size: Invalid value: "much": Size value isn\'t valid',
    );
  });

  it('is not healthy while its volume cannot be created, and becomes healthy once it can', async () => {
    const quotaNs = 'operators-quota';
    await createNamespace(t, quotaNs);
    await t.core.createNamespacedResourceQuota({
      namespace: quotaNs,
      body: { metadata: { name: 'no-volumes' }, spec: { hard: { persistentvolumeclaims: '0' } } },
    });
    const api = { ...clusters, namespace: quotaNs };
    await t.custom.createNamespacedCustomObject({
      ...api,
      body: cluster('db', { storage: { size: '1Gi' } }),
    });
    const stuck = (await waitFor(async () => {
      const c = (await t.custom.getNamespacedCustomObject({ ...api, name: 'db' })) as Obj;
      return c.status?.phase ? c : undefined;
    })) as Obj;
    expect(stuck.status).toMatchObject({ phase: 'Setting up primary', instances: 0, readyInstances: 0 });
    expect(stuck.status?.conditions?.[0]).toMatchObject({
      type: 'Ready',
      status: 'False',
      reason: 'ClusterIsNotReady',
    });
    await t.core.deleteNamespacedResourceQuota({ name: 'no-volumes', namespace: quotaNs });
    const healthy = (await waitFor(async () => {
      const c = (await t.custom.getNamespacedCustomObject({ ...api, name: 'db' })) as Obj;
      return c.status?.phase === 'Cluster in healthy state' ? c : undefined;
    })) as Obj;
    expect(healthy.status).toMatchObject({ instances: 1, readyInstances: 1 });
  });
});
