// Scheduling: a pod is bound only to a node where it fits (capacity, nodeSelector, node affinity,
// taints); one that fits nowhere stays Pending in the real scheduler's words, and is scheduled
// once room frees up. The first tests run on the real control plane too (KWOK nodes there).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimCluster } from '../src/index.ts';
import {
  createNamespace,
  startClusterUnderTest,
  startSim,
  waitFor,
  type ClusterClients,
  type TestCluster,
} from './helpers.ts';

const pod = (name: string, spec: Partial<NonNullable<V1Pod['spec']>> = {}, cpu?: string): V1Pod => ({
  metadata: { name },
  spec: {
    containers: [{ name: 'main', image: 'nginx:1.27', ...(cpu ? { resources: { requests: { cpu } } } : {}) }],
    ...spec,
  },
});

const scheduled = (p: V1Pod) => p.status?.conditions?.find((c) => c.type === 'PodScheduled');

/** The pod once the scheduler decided about it (bound, or PodScheduled=False). */
const decided = (t: ClusterClients, namespace: string, name: string) =>
  waitFor(async () => {
    const p = await t.core.readNamespacedPod({ name, namespace });
    return p.spec?.nodeName || scheduled(p)?.status === 'False' ? p : undefined;
  });

const failedScheduling = (t: ClusterClients, namespace: string, name: string) =>
  waitFor(async () =>
    (await t.core.listNamespacedEvent({ namespace })).items.find(
      (e) => e.involvedObject.name === name && e.reason === 'FailedScheduling',
    ),
  );

/** kube-scheduler's message when every node rejects the pod for one reason. */
const noNode = (nodes: number, reason: string, preemption: string) =>
  `0/${nodes} nodes are available: ${nodes} ${reason}. no new claims to deallocate, preemption: 0/${nodes} nodes are available: ${nodes} ${preemption}.`;

describe('scheduling (both tiers)', () => {
  let t: ClusterClients;
  let nodes: string[];
  const ns = 'sched-both';
  beforeAll(async () => {
    t = await startClusterUnderTest();
    await createNamespace(t, ns);
    nodes = (await t.core.listNode()).items.map((n) => n.metadata?.name ?? '').sort();
  });
  afterAll(() => t?.stop());

  it('leaves a pod larger than any node Pending, PodScheduled=False Unschedulable, with a FailedScheduling event', async () => {
    await t.core.createNamespacedPod({ namespace: ns, body: pod('hog', {}, '100') });
    const p = await decided(t, ns, 'hog');
    const message = noNode(nodes.length, 'Insufficient cpu', 'Preemption is not helpful for scheduling');
    expect(p.spec?.nodeName).toBeUndefined();
    expect(p.status?.phase).toBe('Pending');
    expect(scheduled(p)).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
    const event = await failedScheduling(t, ns, 'hog');
    expect(event).toMatchObject({ type: 'Warning', message });
  });

  it('shows kubectl users the pod Pending, and why (get, describe)', async () => {
    const kubectl = async (...args: string[]) =>
      (await promisify(execFile)('kubectl', ['--kubeconfig', t.kubeconfigPath, '-n', ns, ...args])).stdout;
    expect(await kubectl('get', 'pod', 'hog')).toMatch(/^hog\s+0\/1\s+Pending\s+0\s+/m);
    const described = await kubectl('describe', 'pod', 'hog');
    expect(described).toMatch(/^Status:\s+Pending$/m);
    expect(described).toMatch(
      /Warning\s+FailedScheduling\s+.*default-scheduler\s+0\/\d+ nodes are available: \d+ Insufficient cpu\./,
    );
  });

  it('says no node matches a nodeSelector no node has, and honours one that a node has', async () => {
    await t.core.createNamespacedPod({
      namespace: ns,
      body: pod('nowhere', { nodeSelector: { 'uncloud.dev/no-such-label': 'x' } }),
    });
    const p = await decided(t, ns, 'nowhere');
    expect(scheduled(p)?.message).toBe(
      noNode(
        nodes.length,
        "node(s) didn't match Pod's node affinity/selector",
        'Preemption is not helpful for scheduling',
      ),
    );
    const target = nodes[nodes.length - 1] ?? '';
    await t.core.createNamespacedPod({
      namespace: ns,
      body: pod('pinned', {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [target] }] },
              ],
            },
          },
        },
      }),
    });
    expect((await decided(t, ns, 'pinned')).spec?.nodeName).toBe(target);
  });

  it('leaves a pod that asks for another scheduler to it', async () => {
    await t.core.createNamespacedPod({
      namespace: ns,
      body: pod('elsewhere', { schedulerName: 'my-scheduler' }),
    });
    // A pod the default scheduler does take, created after it, is decided first.
    await t.core.createNamespacedPod({ namespace: ns, body: pod('marker') });
    expect((await decided(t, ns, 'marker')).spec?.nodeName).toBeTruthy();
    const p = await t.core.readNamespacedPod({ name: 'elsewhere', namespace: ns });
    expect(p.spec?.nodeName).toBeUndefined();
    expect(scheduled(p)).toBeUndefined();
    expect(p.status?.phase).toBe('Pending');
  });

  it('counts the requests of pods already bound, and schedules a waiting pod once one of them goes', async () => {
    // One 5-CPU pod per 8-CPU node: a second one fits nowhere until a first one is deleted.
    for (const [i] of nodes.entries())
      await t.core.createNamespacedPod({ namespace: ns, body: pod(`filler-${i}`, {}, '5') });
    const fillers = await Promise.all(nodes.map((_, i) => decided(t, ns, `filler-${i}`)));
    expect(new Set(fillers.map((f) => f.spec?.nodeName))).toEqual(new Set(nodes));
    await t.core.createNamespacedPod({ namespace: ns, body: pod('late', {}, '5') });
    const late = await decided(t, ns, 'late');
    expect(scheduled(late)?.message).toBe(
      noNode(nodes.length, 'Insufficient cpu', 'No preemption victims found for incoming pod'),
    );
    await t.core.deleteNamespacedPod({ name: 'filler-0', namespace: ns });
    const running = await waitFor(async () => {
      const p = await t.core.readNamespacedPod({ name: 'late', namespace: ns });
      return p.status?.phase === 'Running' ? p : undefined;
    });
    expect(running.spec?.nodeName).toBe(fillers[0]?.spec?.nodeName);
    expect(scheduled(running)?.status).toBe('True');
  });
});

describe('scheduling on the simulated nodes', () => {
  let t: TestCluster;
  const ns = 'sched-sim';
  beforeAll(async () => {
    t = await startSim({ nodes: { count: 2, cpu: '2', memory: '4Gi', pods: 3 } });
    await createNamespace(t, ns);
  });
  afterAll(() => t?.stop());

  it('creates the configured nodes with their capacity', async () => {
    const nodes = (await t.core.listNode()).items;
    expect(nodes.map((n) => n.metadata?.name)).toEqual(['uncloud-sim-1', 'uncloud-sim-2']);
    for (const n of nodes)
      expect(n.status?.allocatable).toMatchObject({ cpu: '2', memory: '4Gi', pods: '3' });
  });

  it('gives a cluster restarted from its data file the nodes it is now configured with', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-nodes-'));
    const dataFile = join(dir, 'cluster.db');
    try {
      const first = createSimCluster({ controllerDelayMs: 0, dataFile });
      await first.start();
      await first.stop();
      const again = createSimCluster({ controllerDelayMs: 0, dataFile, nodes: { count: 2, cpu: '16' } });
      await again.start();
      const nodes = again.store.list('/nodes');
      await again.stop();
      expect(nodes.map((n) => [n.metadata.name, n.status?.allocatable?.cpu])).toEqual([
        ['uncloud-sim-1', '16'],
        ['uncloud-sim-2', '16'],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses node options that make no sense, naming the option', () => {
    expect(() => createSimCluster({ nodes: { count: 0 } })).toThrow(/nodes\.count/);
    expect(() => createSimCluster({ nodes: { cpu: 'lots' } })).toThrow(/nodes\.cpu/);
    expect(() => createSimCluster({ nodes: { memory: '-1Gi' } })).toThrow(/nodes\.memory/);
  });

  it('keeps pods off a node whose taint they do not tolerate', async () => {
    await t.core.patchNode({
      name: 'uncloud-sim-2',
      body: [
        { op: 'add', path: '/spec/taints', value: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] },
      ],
    });
    await t.core.createNamespacedPod({ namespace: ns, body: pod('plain', {}, '1500m') });
    expect((await decided(t, ns, 'plain')).spec?.nodeName).toBe('uncloud-sim-1');
    await t.core.createNamespacedPod({ namespace: ns, body: pod('plain-2', {}, '1500m') });
    expect(scheduled(await decided(t, ns, 'plain-2'))?.message).toBe(
      '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint(s). no new claims to deallocate, preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
    );
    await t.core.createNamespacedPod({
      namespace: ns,
      body: pod(
        'tolerant',
        { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] },
        '1500m',
      ),
    });
    expect((await decided(t, ns, 'tolerant')).spec?.nodeName).toBe('uncloud-sim-2');
    await t.core.patchNode({ name: 'uncloud-sim-2', body: [{ op: 'remove', path: '/spec/taints' }] });
    // The node changed: the waiting pod is tried again, and fits nowhere for other reasons now.
    await waitFor(async () =>
      scheduled(await t.core.readNamespacedPod({ name: 'plain-2', namespace: ns }))?.message?.startsWith(
        '0/2 nodes are available: 2 Insufficient cpu.',
      ),
    );
  });

  it('leaves a VirtualMachine too large for any node Scheduling, and the VM reports ErrorUnschedulable', async () => {
    const api = { group: 'kubevirt.io', version: 'v1', namespace: ns };
    await t.custom.createNamespacedCustomObject({
      ...api,
      plural: 'virtualmachines',
      body: {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachine',
        metadata: { name: 'huge' },
        spec: {
          runStrategy: 'Always',
          template: {
            spec: {
              domain: {
                cpu: { cores: 16 },
                memory: { guest: '1Gi' },
                resources: { requests: { cpu: '16', memory: '1Gi' } },
                devices: {},
              },
            },
          },
        },
      },
    });
    type Status = { status?: { phase?: string; printableStatus?: string; conditions?: { type: string }[] } };
    const get = async (plural: string) =>
      (await t.custom.getNamespacedCustomObject({ ...api, plural, name: 'huge' })) as Status;
    const vm = await waitFor(async () => {
      const v = await get('virtualmachines');
      return v.status?.printableStatus === 'ErrorUnschedulable' ? v : undefined;
    });
    const message = noNode(2, 'Insufficient cpu', 'Preemption is not helpful for scheduling');
    const podScheduled = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message };
    expect(vm.status?.conditions).toContainEqual(expect.objectContaining(podScheduled));
    const vmi = await get('virtualmachineinstances');
    expect(vmi.status?.phase).toBe('Scheduling');
    expect(vmi.status?.conditions).toContainEqual(expect.objectContaining(podScheduled));
  });

  it('counts pods against the node pod limit (Too many pods)', async () => {
    // Two pods run already (one on each node), and each node takes three.
    for (const name of ['a', 'b', 'c', 'd', 'e'])
      await t.core.createNamespacedPod({ namespace: ns, body: pod(`small-${name}`) });
    const last = await decided(t, ns, 'small-e');
    expect(scheduled(last)?.message).toBe(
      noNode(2, 'Too many pods', 'No preemption victims found for incoming pod'),
    );
  });
});
