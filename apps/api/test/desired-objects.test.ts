import { KubernetesObjectApi, PatchStrategy, ApiException } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@uncloud/db';
import {
  createKubeGateway,
  loadKubeConfig,
  namespaceName,
  RESOURCE_NAME,
  virtualMachineRestoreManifest,
  type KindName,
  type KubeGateway,
  type KubeObject,
} from '@uncloud/kube';
import { clusterUnderTest, type ClusterUnderTest } from '@uncloud/kube-sim/testing';
import { dropletImages, dropletSizes, type IntentKind } from '@uncloud/sdk';
import { contains, reconcilers, type SyncSettings } from '@uncloud/sync';
import {
  appRow,
  backupBucket,
  backupBucketId,
  databaseBackupRow,
  databaseRow,
  dropletRow,
  fakeLookup,
  firewallRow,
  ids,
  loadBalancerRow,
  projectRow,
  quotaRow,
  settings,
  snapshotRow,
  volumeRow,
} from '@uncloud/sync/testing';
import { sshPublicKeys, waitFor } from '@uncloud/testing';

// Every kind's desired objects, exactly as the sync engine computes them (`reconcilers[kind]
// .desired`), written to a live API server through the gateway: created, changed, contested by a
// second field manager, deleted. On the simulated cluster in `npm test`; in the real tier on
// kube-real, whose API server checks them against the real schemas (built-in kinds with strict
// field validation, the KubeVirt, CloudNativePG and Cilium CRDs). An object it refuses is a bug in
// packages/kube/src/manifests.

let cluster: ClusterUnderTest;
let gateway: KubeGateway;
let rival: KubernetesObjectApi;

beforeAll(async () => {
  cluster = await clusterUnderTest();
  const config = loadKubeConfig({ kubeconfigPath: cluster.kubeconfigPath });
  gateway = createKubeGateway(config);
  rival = KubernetesObjectApi.makeApiClient(config);
});
afterAll(async () => {
  gateway?.close();
  await cluster?.close();
});

type Row = Parameters<(typeof reconcilers)[IntentKind]['desired']>[1];
type Lookup = Parameters<(typeof reconcilers)[IntentKind]['desired']>[0];

const lookup = fakeLookup({
  keys: { [ids.sshKey]: sshPublicKeys.ed25519.line },
  volumes: { [ids.droplet]: [ids.volume] },
  tags: { web: [ids.droplet, ids.app] },
  quota: quotaRow(),
});
const cilium: SyncSettings = { ...settings, policyFlavour: 'cilium' };

interface Scenario {
  kind: IntentKind;
  row: Row;
  /** The same resource after a change of intent. */
  changed: Row;
  settings?: SyncSettings;
  lookup?: Lookup;
  changedLookup?: Lookup;
}

const firewallRules = {
  inbound: [
    { protocol: 'tcp' as const, ports: '8000-9000', sources: ['10.0.0.0/8', 'tag:web'] },
    { protocol: 'udp' as const, ports: 'all', sources: ['192.168.1.7', '2001:db8::/32'] },
    { protocol: 'icmp' as const, ports: 'all', sources: ['0.0.0.0/0', '::/0'] },
    { protocol: 'tcp' as const, ports: '22', sources: [ids.app] },
  ],
  outbound: [
    { protocol: 'tcp' as const, ports: '443', destinations: ['0.0.0.0/0'] },
    { protocol: 'udp' as const, ports: '53', destinations: ['tag:web'] },
  ],
  targets: ['tag:web', ids.app],
};
/** The restored volume keeps its id when changed, so the change reaches the same claim. */
const restoredVolumeId = newId('volume');

const changedRules = {
  inbound: [{ protocol: 'tcp' as const, ports: '443', sources: ['203.0.113.0/24'] }],
  outbound: [],
  targets: [ids.droplet],
};

/** A certificate and key as PEM (the API server checks a TLS Secret's keys, not their contents). */
const tlsPem = {
  certificate: '-----BEGIN CERTIFICATE-----\nMIIBdGVzdA==\n-----END CERTIFICATE-----\n',
  privateKey: '-----BEGIN PRIVATE KEY-----\nMIIEdGVzdA==\n-----END PRIVATE KEY-----\n',
};

/** The resources of one project, the project first: its namespace holds everything else. */
const scenarios: Record<string, Scenario> = {
  'a project (namespace, isolation, quota)': {
    kind: 'project',
    row: projectRow(),
    changed: projectRow({ name: 'shop-renamed' }),
    // Room for every droplet below.
    changedLookup: fakeLookup({
      quota: quotaRow({ droplets: 10, vcpus: 64, memoryMiB: 131072, volumeGiB: 1000 }),
    }),
  },
  'a volume': {
    kind: 'volume',
    row: volumeRow(),
    changed: volumeRow({ name: 'data-renamed', filesystem: 'xfs' }),
  },
  'a droplet with keys, user data and a volume': {
    kind: 'droplet',
    row: dropletRow({
      sshKeyIds: [ids.sshKey],
      userData: '#!/bin/sh\necho hello > /etc/motd\n',
      tags: ['web'],
    }),
    changed: dropletRow({
      name: 'web-renamed',
      size: 's-2vcpu-4gb',
      sshKeyIds: [ids.sshKey],
      userData: null,
      poweredOn: false,
    }),
  },
  ...Object.fromEntries(
    dropletImages.map((image, i) => {
      const size = dropletSizes[i % dropletSizes.length]!;
      const row = dropletRow({
        id: newId('droplet'),
        name: `sweep-${i}`,
        image: image.slug,
        size: size.slug,
      });
      return [
        `a droplet of image ${image.slug}, size ${size.slug}`,
        { kind: 'droplet', row, changed: { ...row, size: dropletSizes.at(-1 - i)!.slug } },
      ];
    }),
  ),
  'a droplet rebuilt from a snapshot (its root disk cloned from the VolumeSnapshot)': {
    kind: 'droplet',
    row: dropletRow({
      id: newId('droplet'),
      name: 'from-snap',
      rootDisk: 'from-snap-root-2',
      rootDiskSnapshotId: ids.snapshot,
      rootDiskVolumeSnapshot: 'vmsnapshot-0b0e-volume-rootdisk',
    }),
    changed: dropletRow({
      name: 'from-snap',
      rootDisk: 'from-snap-root-3',
      poweredOn: false,
    }),
  },
  'a droplet from custom images (HTTP with a checksum, then a registry digest)': {
    kind: 'droplet',
    row: dropletRow({ id: newId('droplet'), name: 'custom', image: 'arch' }),
    changed: dropletRow({ name: 'custom', image: 'alpine', rootDisk: 'custom-root-2' }),
    lookup: fakeLookup({
      customImages: {
        arch: {
          sourceType: 'http',
          url: 'https://images.example.com/arch.qcow2',
          checksum: `sha256:${'c'.repeat(64)}`,
        },
      },
    }),
    changedLookup: fakeLookup({
      customImages: {
        alpine: {
          sourceType: 'registry',
          url: `docker://registry.example.com/alpine@sha256:${'d'.repeat(64)}`,
          checksum: null,
        },
      },
    }),
  },
  'a droplet snapshot (VirtualMachineSnapshot)': {
    kind: 'snapshot',
    row: snapshotRow(),
    changed: snapshotRow({ name: 'before-upgrade-renamed' }),
  },
  'a volume snapshot (VolumeSnapshot)': {
    kind: 'snapshot',
    row: snapshotRow({
      id: newId('snapshot'),
      name: 'data-snap',
      resourceKind: 'volume',
      resourceId: ids.volume,
      resourceName: 'data',
      dropletSize: null,
      image: null,
      filesystem: 'ext4',
    }),
    changed: snapshotRow({
      name: 'data-snap-renamed',
      resourceKind: 'volume',
      resourceId: ids.volume,
      resourceName: 'data',
      dropletSize: null,
      image: null,
      filesystem: 'ext4',
    }),
  },
  'a volume restored from a snapshot (dataSource)': {
    kind: 'volume',
    row: volumeRow({
      id: restoredVolumeId,
      name: 'restored',
      snapshotId: ids.snapshot,
      volumeSnapshot: 'data-snap',
    }),
    // A new name, not a new size: a claim's size may only change once it is bound.
    changed: volumeRow({
      id: restoredVolumeId,
      name: 'restored-renamed',
      snapshotId: ids.snapshot,
      volumeSnapshot: 'data-snap',
    }),
  },
  'an app with domains, env and a health check': {
    kind: 'app',
    row: appRow({
      domains: ['api.example.com', 'www.example.com'],
      env: { DATABASE_URL: 'postgres://app@db/app', LOG_LEVEL: 'info' },
      healthCheckPath: '/healthz',
      replicas: 2,
    }),
    changed: appRow({
      port: 9090,
      replicas: 3,
      domains: ['api.example.com'],
      env: { LOG_LEVEL: 'debug' },
      healthCheckPath: null,
      restartedAt: new Date('2025-02-01T00:00:00Z'),
    }),
  },
  'an app without domains that gains one': {
    kind: 'app',
    row: appRow({ id: newId('app'), name: 'worker', domains: [] }),
    changed: appRow({ id: newId('app'), name: 'worker', domains: ['worker.example.com'] }),
  },
  'a PostgreSQL database (CloudNativePG)': {
    kind: 'database',
    row: databaseRow({ nodes: 2, version: '16', storageGiB: 20 }),
    changed: databaseRow({
      name: 'orders-renamed',
      nodes: 3,
      version: '16',
      size: 'db-s-2vcpu-4gb',
      storageGiB: 40,
    }),
  },
  'a MySQL database (StatefulSet)': {
    kind: 'database',
    row: databaseRow({ id: newId('database'), name: 'shop-db', engine: 'mysql', version: '8.4' }),
    changed: databaseRow({ name: 'shop-db-renamed', engine: 'mysql', version: '8.4', nodes: 2 }),
  },
  'a Valkey database (StatefulSet)': {
    kind: 'database',
    row: databaseRow({ id: newId('database'), name: 'cache', engine: 'valkey', version: '8.0' }),
    // A resize keeps the disk a StatefulSet was made with (its volume claims cannot change).
    changed: databaseRow({
      name: 'cache',
      engine: 'valkey',
      version: '8.0',
      size: 'db-s-1vcpu-2gb',
      storageGiB: 10,
    }),
  },
  'a PostgreSQL database backed up to a bucket (Cluster backup section, ScheduledBackup)': {
    kind: 'database',
    row: databaseRow({
      id: newId('database'),
      name: 'ledger',
      backupBucketId: backupBucketId,
      backupSchedule: '0 0 3 * * *',
      backupRetentionDays: 7,
    }),
    changed: databaseRow({
      name: 'ledger',
      backupBucketId: backupBucketId,
      backupSchedule: '0 30 4 * * *',
      backupRetentionDays: 14,
    }),
    lookup: fakeLookup({ buckets: { [backupBucket.id]: backupBucket } }),
    changedLookup: fakeLookup({ buckets: { [backupBucket.id]: backupBucket } }),
  },
  'a PostgreSQL database restored to a point in time (recovery, externalClusters)': {
    kind: 'database',
    row: databaseRow({
      id: newId('database'),
      name: 'ledger-then',
      restoreFrom: {
        databaseId: ids.database,
        bucketId: backupBucketId,
        backupId: null,
        backupName: null,
        targetTime: '2026-12-02T10:00:00.000Z',
      },
    }),
    changed: databaseRow({
      name: 'ledger-then-renamed',
      restoreFrom: {
        databaseId: ids.database,
        bucketId: backupBucketId,
        backupId: null,
        backupName: null,
        targetTime: '2026-12-02T10:00:00.000Z',
      },
    }),
    lookup: fakeLookup({ buckets: { [backupBucket.id]: backupBucket } }),
    changedLookup: fakeLookup({ buckets: { [backupBucket.id]: backupBucket } }),
  },
  'a MySQL database backed up on a CronJob': {
    kind: 'database',
    row: databaseRow({
      id: newId('database'),
      name: 'shop-backed-up',
      engine: 'mysql',
      version: '8.4',
      backupBucketId: backupBucketId,
      backupSchedule: '0 0 3 * * *',
      backupRetentionDays: 7,
    }),
    changed: databaseRow({
      name: 'shop-backed-up',
      engine: 'mysql',
      version: '8.4',
      backupBucketId: backupBucketId,
      backupSchedule: '0 15 2 * * *',
      backupRetentionDays: 3,
    }),
    lookup: fakeLookup({ buckets: { [backupBucket.id]: backupBucket } }),
    changedLookup: fakeLookup({ buckets: { [backupBucket.id]: backupBucket } }),
  },
  'a MySQL database restored from a dump (restore Job, pod failure policy)': {
    kind: 'database',
    row: databaseRow({
      id: newId('database'),
      name: 'shop-restored',
      engine: 'mysql',
      version: '8.4',
      restoreFrom: {
        databaseId: ids.database,
        bucketId: backupBucketId,
        backupId: databaseBackupRow().id,
        backupName: databaseBackupRow().objectName,
        targetTime: null,
      },
    }),
    changed: databaseRow({
      name: 'shop-restored-renamed',
      engine: 'mysql',
      version: '8.4',
      restoreFrom: {
        databaseId: ids.database,
        bucketId: backupBucketId,
        backupId: databaseBackupRow().id,
        backupName: databaseBackupRow().objectName,
        targetTime: null,
      },
    }),
    lookup: fakeLookup({ buckets: { [backupBucket.id]: backupBucket } }),
    changedLookup: fakeLookup({ buckets: { [backupBucket.id]: backupBucket } }),
  },
  'a Valkey database restored from a dump (restore Job, pod failure policy)': {
    kind: 'database',
    row: databaseRow({
      id: newId('database'),
      name: 'cache-restored',
      engine: 'valkey',
      version: '8.0',
      restoreFrom: {
        databaseId: ids.database,
        bucketId: backupBucketId,
        backupId: databaseBackupRow().id,
        backupName: databaseBackupRow().objectName,
        targetTime: null,
      },
    }),
    changed: databaseRow({
      name: 'cache-restored-renamed',
      engine: 'valkey',
      version: '8.0',
      restoreFrom: {
        databaseId: ids.database,
        bucketId: backupBucketId,
        backupId: databaseBackupRow().id,
        backupName: databaseBackupRow().objectName,
        targetTime: null,
      },
    }),
    lookup: fakeLookup({ buckets: { [backupBucket.id]: backupBucket } }),
    changedLookup: fakeLookup({ buckets: { [backupBucket.id]: backupBucket } }),
  },
  'a database backup (CloudNativePG Backup)': {
    kind: 'databaseBackup',
    row: databaseBackupRow(),
    changed: databaseBackupRow({ name: 'orders-1-renamed' }),
  },
  'a firewall as a CiliumNetworkPolicy': {
    kind: 'firewall',
    row: firewallRow({ ...firewallRules }),
    changed: firewallRow({ ...changedRules }),
    settings: cilium,
  },
  'a load balancer (Service, EndpointSlice, NetworkPolicies, Ingress with an uploaded certificate)': {
    kind: 'loadBalancer',
    row: loadBalancerRow({
      forwardingRules: [
        { entryProtocol: 'http', entryPort: 80, targetPort: 8080, hostname: 'shop.example.com' },
        { entryProtocol: 'https', entryPort: 443, targetPort: 8080, hostname: 'shop.example.com' },
        { entryProtocol: 'udp', entryPort: 53, targetPort: 5353, hostname: null },
      ],
      tlsCertificate: { source: 'uploaded', certificate: tlsPem.certificate, privateKey: tlsPem.privateKey },
      stickySessions: true,
      targetHealth: {
        [ids.droplet]: {
          healthy: true,
          reason: 'HTTP 200 from /healthz',
          since: '2025-01-01T00:00:00.000Z',
          streak: 1,
          lastOk: true,
        },
      },
    }),
    changed: loadBalancerRow({
      forwardingRules: [
        { entryProtocol: 'https', entryPort: 443, targetPort: 8443, hostname: 'shop.example.com' },
      ],
      healthCheck: {
        protocol: 'tcp',
        port: 8443,
        path: null,
        intervalSeconds: 3,
        timeoutSeconds: 1,
        healthyThreshold: 1,
        unhealthyThreshold: 1,
      },
      tlsCertificate: { source: 'cert-manager' },
      redirectHttpToHttps: true,
    }),
    settings: { ...settings, checkerNamespace: 'uncloud' },
    lookup: fakeLookup({ droplets: { [ids.droplet]: { ip: '10.42.0.5', state: 'active' } } }),
    changedLookup: fakeLookup({ droplets: { [ids.droplet]: { ip: '10.42.0.5', state: 'active' } } }),
  },
  'a firewall as a NetworkPolicy': {
    kind: 'firewall',
    row: firewallRow({ id: newId('firewall'), ...firewallRules }),
    changed: firewallRow({ ...changedRules }),
    settings,
  },
};
// A change keeps the resource's id: only the intent differs.
for (const scenario of Object.values(scenarios))
  scenario.changed = { ...scenario.changed, id: scenario.row.id } as Row;

const desired = (scenario: Scenario, row: Row, facts: Lookup = lookup) => {
  const result = reconcilers[scenario.kind].desired(facts, row, scenario.settings ?? settings);
  if (!('objects' in result)) throw new Error(`no objects: ${result.waitingFor}`);
  expect(result.objects.length).toBeGreaterThan(0);
  return result.objects;
};

/** Generated secrets are written once; the API server keeps `stringData` as `data`. */
const createOnly = (object: KubeObject) =>
  object.metadata.annotations?.['uncloud.dev/create-only'] === 'true';

const read = (object: KubeObject) =>
  gateway.get(object.kind as KindName, object.metadata.namespace, object.metadata.name);

/** The object as the API server keeps it holds every field we set, with our values. */
const expectStored = async (want: KubeObject) => {
  const have = await read(want);
  expect(have, `${want.kind} ${want.metadata.name}`).not.toBeNull();
  if (createOnly(want)) expect(have!.metadata.labels).toMatchObject(want.metadata.labels ?? {});
  else expect(contains(have!, want), `${want.kind} ${want.metadata.name} as applied`).toBe(true);
};

/** Server-side apply of one label by another field manager, as `kubectl apply --server-side` would. */
const applyAs = (manager: string, object: KubeObject, force: boolean) =>
  rival.patch(
    {
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata: {
        name: object.metadata.name,
        namespace: object.metadata.namespace,
        labels: { [RESOURCE_NAME]: 'taken-over' },
      },
    },
    undefined,
    undefined,
    manager,
    force,
    PatchStrategy.ServerSideApply,
  );

describe.each(Object.entries(scenarios))('%s', (_title, scenario) => {
  it('is created as computed, by server-side apply with strict field validation', async () => {
    // As the sync engine creates (converge's createByApply): so that a later apply owns, and can
    // remove, every field.
    for (const object of desired(scenario, scenario.row, scenario.lookup)) {
      expect(await read(object)).toBeNull();
      await gateway.apply(object);
      await expectStored(object);
    }
  });

  it('takes a change of intent by server-side apply', async () => {
    for (const object of desired(scenario, scenario.changed, scenario.changedLookup)) {
      await gateway.apply(object);
      await expectStored(object);
    }
  });

  it("refuses another field manager's apply of a field Uncloud owns, unless forced, then takes it back", async () => {
    for (const object of desired(scenario, scenario.changed, scenario.changedLookup)) {
      const refused = await applyAs('someone-else', object, false).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused, `${object.kind} ${object.metadata.name}`).toBeInstanceOf(ApiException);
      const { code, body } = refused as ApiException<unknown>;
      expect(code).toBe(409);
      const status = (typeof body === 'string' ? JSON.parse(body) : body) as { message?: string };
      expect(status.message).toContain('conflict with "uncloud"');

      await applyAs('someone-else', object, true);
      const taken = await read(object);
      expect(taken?.metadata.labels?.[RESOURCE_NAME]).toBe('taken-over');

      await gateway.apply(object);
      await expectStored(object);
    }
  });

  // The project's namespace goes last, with what is left in it (below).
  if (scenario.kind !== 'project') {
    it('is deleted', async () => {
      for (const object of desired(scenario, scenario.changed, scenario.changedLookup)) {
        expect(await gateway.delete(object)).toBe(true);
        await waitFor(async () => (await read(object)) === null, {
          timeout: 30_000,
          message: `${object.kind} ${object.metadata.name} gone`,
        });
      }
    });
  }
});

describe("a droplet's restore (the restore action's object)", () => {
  it('is created as the action creates it, with strict field validation, and deleted', async () => {
    const restore = virtualMachineRestoreManifest({
      dropletId: ids.droplet,
      projectId: ids.project,
      dropletName: 'web',
      snapshotId: ids.snapshot,
      actionId: 'act_aaaaaaaaaaaaaaaaaaaa',
    });
    await gateway.create(restore);
    await expectStored(restore);
    expect(await gateway.delete(restore)).toBe(true);
    await waitFor(async () => (await read(restore)) === null, { timeout: 30_000, message: 'restore gone' });
  });
});

describe('the project', () => {
  it('deletes its namespace, and everything in it with it', async () => {
    const namespace = namespaceName(ids.project);
    expect(await gateway.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } })).toBe(
      true,
    );
    await waitFor(async () => (await gateway.get('Namespace', undefined, namespace)) === null, {
      timeout: 60_000,
      message: 'namespace gone',
    });
  });
});
