// Deletion as the API server and its controllers do it: pods terminate for their grace period
// until the node agent confirms, foreground deletion empties every level before the one above,
// orphaning and immediate deletion answer as the real registry does, and a terminating namespace
// reports its conditions. Runs on the real control plane too (KWOK stands in for kubelets there).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createNamespace,
  deployment,
  startClusterUnderTest,
  startSim,
  waitFor,
  type ClusterClients,
  type TestCluster,
} from './helpers.ts';

type Meta = {
  name?: string;
  resourceVersion?: string;
  uid?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  finalizers?: string[];
  ownerReferences?: unknown[];
};
type Obj = { kind?: string; metadata: Meta; status?: Record<string, unknown>; details?: unknown };

const HOLD = 'example.com/hold';
let t: ClusterClients;
const ns = 'del-both';

beforeAll(async () => {
  t = await startClusterUnderTest();
  await createNamespace(t, ns);
});
afterAll(() => t?.stop());

const path = (kind: 'pods' | 'configmaps' | 'deployments' | 'replicasets', name = '') =>
  `/${kind === 'deployments' || kind === 'replicasets' ? 'apis/apps/v1' : 'api/v1'}/namespaces/${ns}/${kind}${name ? `/${name}` : ''}`;

const gone = (p: string) => waitFor(async () => (await t.request(p)).status === 404);

/** The watch events of one object from `rv` on, as `TYPE` or `TYPE (deletionTimestamp set)`. */
async function eventsSince(kind: 'pods', name: string, rv: string): Promise<string[]> {
  const res = await t.request(
    `${path(kind)}?watch=true&resourceVersion=${rv}&timeoutSeconds=1&fieldSelector=metadata.name%3D${name}`,
  );
  const lines =
    typeof res.body === 'string'
      ? res.body
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l))
      : [res.body];
  return (lines as { type: string; object: Obj }[])
    .map((e) => (e.object.metadata.deletionTimestamp ? `${e.type} (deletionTimestamp set)` : e.type))
    .filter((e, i, all) => e !== all[i - 1]);
}

async function runningPod(name: string): Promise<Obj> {
  await t.core.createNamespacedPod({
    namespace: ns,
    body: { metadata: { name }, spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] } },
  });
  return (await waitFor(async () => {
    const p = await t.core.readNamespacedPod({ name, namespace: ns });
    return p.status?.phase === 'Running' ? p : undefined;
  })) as unknown as Obj;
}

/** DELETE with the options as query parameters (the API server takes them there too). */
const del = (p: string, options: Record<string, string | number> = {}) =>
  t.request(
    `${p}?${new URLSearchParams(Object.entries(options).map(([k, v]): [string, string] => [k, String(v)]))}`,
    {
      method: 'DELETE',
    },
  ) as Promise<{ status: number; body: Obj }>;

describe('pods terminate gracefully', () => {
  it('marks a running pod for deletion with its grace period, then it goes once its node confirms', async () => {
    const pod = await runningPod('graceful');
    const before = Date.now();
    const res = await del(path('pods', 'graceful'));
    expect(res.status).toBe(200);
    expect(res.body.kind).toBe('Pod');
    expect(res.body.metadata.deletionGracePeriodSeconds).toBe(30);
    // deletionTimestamp is when the grace period ends (whole seconds).
    const ends = Date.parse(res.body.metadata.deletionTimestamp ?? '');
    expect(ends).toBeGreaterThanOrEqual(before + 29_000);
    expect(ends).toBeLessThanOrEqual(Date.now() + 31_000);
    await gone(path('pods', 'graceful'));
    expect(await eventsSince('pods', 'graceful', String(pod.metadata.resourceVersion))).toEqual([
      'MODIFIED (deletionTimestamp set)',
      'DELETED (deletionTimestamp set)',
    ]);
  });

  it('with gracePeriodSeconds=0 still marks a bound pod (MODIFIED) before it is removed (DELETED)', async () => {
    const pod = await runningPod('at-once');
    const res = await del(path('pods', 'at-once'), { gracePeriodSeconds: 0 });
    expect(res.status).toBe(200);
    expect(res.body.metadata.deletionGracePeriodSeconds).toBe(0);
    expect(res.body.metadata.deletionTimestamp).toBeDefined();
    await gone(path('pods', 'at-once'));
    expect(await eventsSince('pods', 'at-once', String(pod.metadata.resourceVersion))).toEqual([
      'MODIFIED (deletionTimestamp set)',
      'DELETED (deletionTimestamp set)',
    ]);
  });

  it('deletes a pod that no node took at once', async () => {
    await t.core.createNamespacedPod({
      namespace: ns,
      body: {
        metadata: { name: 'unbound' },
        spec: {
          nodeSelector: { 'uncloud.dev/no-such-node': 'x' },
          containers: [{ name: 'm', image: 'nginx' }],
        },
      },
    });
    const res = await del(path('pods', 'unbound'));
    expect(res.status).toBe(200);
    expect(res.body.metadata.deletionGracePeriodSeconds).toBe(0);
    expect((await t.request(path('pods', 'unbound'))).status).toBe(404);
  });
});

describe('delete options', () => {
  it('refuses a grace period that is not a number, in the words of Go that parses it', async () => {
    const res = await del(path('configmaps', 'any'), { gracePeriodSeconds: 'soon' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      kind: 'Status',
      reason: 'BadRequest',
      message: 'strconv.ParseInt: parsing "soon": invalid syntax',
    });
  });
});

describe('propagation', () => {
  const rolledOut = (name: string) =>
    waitFor(async () => {
      const d = await t.apps.readNamespacedDeployment({ name, namespace: ns });
      return d.status?.availableReplicas === 1 ? d : undefined;
    });

  it('answers an immediate delete of a Deployment with a Success Status, not the object', async () => {
    await t.apps.createNamespacedDeployment({ namespace: ns, body: deployment('bg') });
    const d = await rolledOut('bg');
    const res = await del(path('deployments', 'bg'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Success',
      details: { name: 'bg', group: 'apps', kind: 'deployments', uid: d.metadata?.uid },
    });
  });

  it('orphans: the answer carries the orphan finalizer, and the ReplicaSet outlives its owner', async () => {
    await t.apps.createNamespacedDeployment({ namespace: ns, body: deployment('orphaner') });
    await rolledOut('orphaner');
    const res = await del(path('deployments', 'orphaner'), { propagationPolicy: 'Orphan' });
    expect(res.status).toBe(200);
    expect(res.body.kind).toBe('Deployment');
    expect(res.body.metadata.finalizers).toEqual(['orphan']);
    expect(res.body.metadata.deletionTimestamp).toBeDefined();
    await gone(path('deployments', 'orphaner'));
    const rs = await waitFor(async () => {
      const items = (await t.apps.listNamespacedReplicaSet({ namespace: ns, labelSelector: 'app=orphaner' }))
        .items;
      return items.length === 1 && !items[0]?.metadata?.ownerReferences?.length ? items : undefined;
    });
    expect(rs).toHaveLength(1);
  });

  it('foreground: every level is emptied before the one above it goes', async () => {
    await t.apps.createNamespacedDeployment({ namespace: ns, body: deployment('fg') });
    await rolledOut('fg');
    const [rs] = (await t.apps.listNamespacedReplicaSet({ namespace: ns, labelSelector: 'app=fg' })).items;
    const rsName = rs?.metadata?.name ?? '';
    // Hold the middle level, so that what happens above and below it can be seen.
    await t.apps.patchNamespacedReplicaSet({
      name: rsName,
      namespace: ns,
      body: [{ op: 'add', path: '/metadata/finalizers', value: [HOLD] }],
    });
    const res = await del(path('deployments', 'fg'), { propagationPolicy: 'Foreground' });
    expect(res.body.metadata.finalizers).toEqual(['foregroundDeletion']);
    // The pods go first; the ReplicaSet, deleted in the foreground too, then waits only on HOLD.
    await waitFor(
      async () =>
        (await t.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=fg' })).items.length === 0,
    );
    const held = await waitFor(async () => {
      const r = (await t.request(path('replicasets', rsName))).body as Obj;
      return r.metadata.finalizers?.join() === HOLD ? r : undefined;
    });
    expect(held.metadata.deletionTimestamp).toBeDefined();
    const owner = (await t.request(path('deployments', 'fg'))).body as Obj;
    expect(owner.metadata.finalizers).toEqual(['foregroundDeletion']);
    await t.apps.patchNamespacedReplicaSet({
      name: rsName,
      namespace: ns,
      body: [{ op: 'remove', path: '/metadata/finalizers' }],
    });
    await gone(path('replicasets', rsName));
    await gone(path('deployments', 'fg'));
  });
});

describe('namespace termination', () => {
  it('reports why a terminating namespace is still there, in the namespace controller words', async () => {
    const doomed = 'del-doomed';
    await createNamespace(t, doomed);
    await t.core.createNamespacedConfigMap({
      namespace: doomed,
      body: { metadata: { name: 'held', finalizers: [HOLD] } },
    });
    await t.core.deleteNamespace({ name: doomed });
    const want = 'Some resources are remaining: configmaps. has 1 resource instances';
    const nsNow = await waitFor(async () => {
      const n = await t.core.readNamespace({ name: doomed });
      return n.status?.conditions?.some((c) => c.message === want) ? n : undefined;
    });
    expect(nsNow.status?.phase).toBe('Terminating');
    const conditions = Object.fromEntries(
      (nsNow.status?.conditions ?? []).map((c) => [c.type, `${c.status} ${c.reason}: ${c.message}`]),
    );
    expect(conditions).toEqual({
      NamespaceDeletionDiscoveryFailure: 'False ResourcesDiscovered: All resources successfully discovered',
      NamespaceDeletionGroupVersionParsingFailure:
        'False ParsedGroupVersions: All legacy kube types successfully parsed',
      NamespaceDeletionContentFailure:
        'False ContentDeleted: All content successfully deleted, may be waiting on finalization',
      NamespaceContentRemaining: `True SomeResourcesRemain: ${want}`,
      NamespaceFinalizersRemaining: `True SomeFinalizersRemain: Some content in the namespace has finalizers remaining: ${HOLD} in 1 resource instances`,
    });
    await t.core.patchNamespacedConfigMap({
      name: 'held',
      namespace: doomed,
      body: [{ op: 'remove', path: '/metadata/finalizers' }],
    });
    await waitFor(async () => (await t.request(`/api/v1/namespaces/${doomed}`)).status === 404);
  });
});

// KubeVirt has no controller on the real control plane: this is the simulator's, checked against
// KubeVirt's sources (virt-controller's vm.go and vmi lifecycle.go, virt-api's VMI mutator).
describe('KubeVirt finalizers (simulated KubeVirt)', () => {
  let sim: TestCluster;
  const vns = 'del-kubevirt';
  const api = { group: 'kubevirt.io', version: 'v1', namespace: vns };
  type Vm = { metadata: Meta; status?: { phase?: string; printableStatus?: string } };
  const read = async (plural: string, name: string) => {
    const res = await sim.request(`/apis/kubevirt.io/v1/namespaces/${vns}/${plural}/${name}`);
    return res.status === 200 ? (res.body as Vm) : undefined;
  };
  beforeAll(async () => {
    sim = await startSim();
    await createNamespace(sim, vns);
  });
  afterAll(() => sim?.stop());

  it("carries KubeVirt's finalizers, and lets the VM go only after its instance and launcher pod", async () => {
    await sim.custom.createNamespacedCustomObject({
      ...api,
      plural: 'virtualmachines',
      body: {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachine',
        metadata: { name: 'vm' },
        spec: {
          runStrategy: 'Always',
          template: { spec: { domain: { cpu: { cores: 1 }, memory: { guest: '1Gi' }, devices: {} } } },
        },
      },
    });
    await waitFor(async () => (await read('virtualmachines', 'vm'))?.status?.printableStatus === 'Running');
    expect((await read('virtualmachines', 'vm'))?.metadata.finalizers).toEqual([
      'kubevirt.io/virtualMachineControllerFinalize',
    ]);
    expect((await read('virtualmachineinstances', 'vm'))?.metadata.finalizers).toEqual([
      'kubevirt.io/virtualMachineControllerFinalize',
      'kubevirt.io/foregroundDeleteVirtualMachine',
    ]);
    const [launcher] = (
      await sim.core.listNamespacedPod({ namespace: vns, labelSelector: 'kubevirt.io=virt-launcher' })
    ).items;
    const ref = { resource: '/pods', namespace: vns, name: launcher?.metadata?.name ?? '' };
    // The launcher pod does not stop until released: what waits on it can be seen waiting.
    sim.sim.holdObject(ref);
    await sim.custom.deleteNamespacedCustomObject({ ...api, plural: 'virtualmachines', name: 'vm' });
    const vmi = await waitFor(async () => {
      const i = await read('virtualmachineinstances', 'vm');
      return i?.metadata.deletionTimestamp && i.status?.phase === 'Succeeded' ? i : undefined;
    });
    expect(vmi.metadata.finalizers).toContain('kubevirt.io/foregroundDeleteVirtualMachine');
    const vm = await read('virtualmachines', 'vm');
    expect(vm?.metadata.deletionTimestamp).toBeDefined();
    expect(vm?.status?.printableStatus).toBe('Terminating');
    sim.sim.releaseObject(ref);
    await waitFor(async () => (await read('virtualmachineinstances', 'vm')) === undefined);
    await waitFor(async () => (await read('virtualmachines', 'vm')) === undefined);
    expect((await sim.core.listNamespacedPod({ namespace: vns })).items).toHaveLength(0);
  });
});
