import { describe, expect, it } from 'vitest';
import type { AppIntent } from './app.ts';
import type { DatabaseIntent } from './database.ts';
import type { DropletIntent } from './droplet.ts';
import { ids, projectId } from './fixtures.test-data.ts';
import {
  appQuotaCost,
  databaseQuotaCost,
  dropletQuotaCost,
  kubevirtMemoryOverheadBytes,
  podRequests,
  rolloutSurge,
  virtLauncherPodSpec,
  volumeQuotaCost,
} from './quota-cost.ts';
import { virtualMachineManifest } from './droplet.ts';

const MI = 2 ** 20;
const GI = 2 ** 30;

const droplet = (size: DropletIntent['size'], poweredOn = true): DropletIntent => ({
  id: ids.droplet as never,
  projectId: projectId as never,
  name: 'web-1',
  size,
  image: 'ubuntu-24-04',
  userData: null,
  sshPublicKeys: [],
  volumes: [],
  poweredOn,
});

const app = (replicas: number): AppIntent => ({
  id: ids.app as never,
  projectId: projectId as never,
  name: 'api',
  image: 'nginx:1.27',
  port: 80,
  replicas,
  domains: [],
  healthCheckPath: null,
  env: {},
});

const database = (
  engine: DatabaseIntent['engine'],
  size: DatabaseIntent['size'],
  nodes: number,
): DatabaseIntent => ({
  id: ids.database as never,
  projectId: projectId as never,
  name: 'main',
  engine,
  version: engine === 'postgres' ? '16' : engine === 'mysql' ? '8.4' : '8.0',
  size,
  nodes,
  storageGiB: 10,
});

describe('podRequests, as Kubernetes counts a pod', () => {
  it.each([
    [
      'sums containers',
      {
        containers: [
          { resources: { requests: { cpu: '100m', memory: '64Mi' } } },
          { resources: { requests: { cpu: '1', memory: '1Gi' } } },
        ],
      },
      1100,
      1088 * MI,
    ],
    [
      'takes a limit where no request is stated',
      { containers: [{ resources: { limits: { cpu: '250m', memory: '1M' } } }] },
      250,
      1_000_000,
    ],
    [
      'takes the largest init container when it is more',
      {
        containers: [{ resources: { requests: { cpu: '100m', memory: '1Mi' } } }],
        initContainers: [{ resources: { requests: { cpu: '2', memory: '1Ki' } } }],
      },
      2000,
      MI,
    ],
    [
      'adds the pod overhead',
      { containers: [{ resources: { requests: { cpu: '1' } } }], overhead: { cpu: '250m', memory: '120Mi' } },
      1250,
      120 * MI,
    ],
    [
      'rounds fractions of a millicore up',
      { containers: [{ resources: { requests: { cpu: '0.0001' } } }] },
      1,
      0,
    ],
  ])('%s', (_name, spec, cpuMillis, memoryBytes) => {
    expect(podRequests(spec)).toEqual({ cpuMillis, memoryBytes });
  });
});

describe('a droplet costs its VM launcher pod, with KubeVirt overhead', () => {
  it('adds page tables, KubeVirt processes, per-vCPU tables, the IO thread and video memory', () => {
    // 4 GiB guest, 2 vCPUs: 8 388 kB of page tables (4 294 968 kB / 512) + 220 Mi + 16 Mi + 8 Mi + 16 Mi.
    expect(kubevirtMemoryOverheadBytes(4 * GI, 2)).toBe(8_388_000 + 260 * MI);
  });

  it.each([
    ['s-1vcpu-1gb', 1000, GI + kubevirtMemoryOverheadBytes(GI, 1), 25],
    ['s-2vcpu-4gb', 2000, 4 * GI + kubevirtMemoryOverheadBytes(4 * GI, 2), 80],
    ['s-8vcpu-16gb', 8000, 16 * GI + kubevirtMemoryOverheadBytes(16 * GI, 8), 320],
  ] as const)('%s, with its root disk’s claim', (size, cpuMillis, memoryBytes, diskGiB) => {
    expect(dropletQuotaCost(droplet(size))).toEqual({
      droplets: 1,
      apps: 0,
      databases: 0,
      loadBalancers: 0,
      reservedIps: 0,
      cpuMillis,
      memoryBytes,
      storageBytes: diskGiB * GI,
    });
  });

  it('keeps a powered-off droplet reserved, so powering it on fits', () => {
    expect(dropletQuotaCost(droplet('s-2vcpu-4gb', false))).toEqual(dropletQuotaCost(droplet('s-2vcpu-4gb')));
  });

  it('builds the launcher pod from the VM Uncloud writes: compute alone, the root disk being a claim', () => {
    const pod = virtLauncherPodSpec(virtualMachineManifest(droplet('s-1vcpu-1gb')));
    expect(pod.containers?.map((c) => c.name)).toEqual(['compute']);
    expect(pod.initContainers).toEqual([]);
  });
});

describe('an app costs its replicas and the rollout surge', () => {
  it.each([
    [0, 0],
    [1, 2],
    [2, 3],
    [4, 5],
    [5, 7],
  ])('%i replicas take %i pods at the peak of a rollout', (replicas, pods) => {
    expect(appQuotaCost(app(replicas))).toMatchObject({
      apps: 1,
      cpuMillis: pods * 100,
      memoryBytes: pods * 128 * MI,
    });
  });

  it.each([
    [4, '25%', 1],
    [10, '50%', 5],
    [3, 2, 2],
    [3, '1', 1],
  ] as const)('surge of %i replicas at %s is %i', (replicas, maxSurge, surge) => {
    expect(rolloutSurge(replicas, maxSurge)).toBe(surge);
  });
});

describe('a database costs its pods and disks, every engine', () => {
  it.each([
    ['postgres', 'db-s-4vcpu-8gb', 1, 4000, 8 * GI, 10 * GI],
    ['postgres', 'db-s-1vcpu-1gb', 3, 3000, 3 * GI, 30 * GI],
    ['mysql', 'db-s-2vcpu-4gb', 1, 2000, 4 * GI, 10 * GI],
    ['valkey', 'db-s-1vcpu-2gb', 1, 1000, 2 * GI, 10 * GI],
    // A row stored with more nodes than MySQL runs costs the one server it runs.
    ['mysql', 'db-s-1vcpu-1gb', 3, 1000, GI, 10 * GI],
  ] as const)('%s %s × %i', (engine, size, nodes, cpuMillis, memoryBytes, storageBytes) => {
    expect(databaseQuotaCost(database(engine, size, nodes))).toEqual({
      droplets: 0,
      apps: 0,
      databases: 1,
      loadBalancers: 0,
      reservedIps: 0,
      cpuMillis,
      memoryBytes,
      storageBytes,
    });
  });
});

it('a volume costs its claim', () => {
  expect(
    volumeQuotaCost({
      id: ids.volume as never,
      projectId: projectId as never,
      name: 'data',
      sizeGiB: 25,
      filesystem: 'ext4',
    }),
  ).toMatchObject({ storageBytes: 25 * GI, cpuMillis: 0 });
});
