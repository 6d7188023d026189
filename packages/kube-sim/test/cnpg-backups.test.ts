// Simulated CloudNativePG backups: a Backup runs to `completed` with the operator's status fields, a
// ScheduledBackup makes Backups on its schedule, and a Cluster bootstrapped by recovery holds the
// data the backup (or the archive at a time) held, after the original Cluster is gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredObject } from '../src/types.ts';
import { createNamespace, startSim, waitFor, type TestCluster } from './helpers.ts';

let t: TestCluster;
const ns = 'pg-backups';
beforeAll(async () => {
  t = await startSim({ controllerDelayMs: 2 });
  await createNamespace(t, ns);
});
afterAll(() => t?.stop());

const cnpg = (plural: string) => ({ group: 'postgresql.cnpg.io', version: 'v1', plural, namespace: ns });
const get = (plural: string, name: string) =>
  t.custom.getNamespacedCustomObject({ ...cnpg(plural), name }).then((o) => o as StoredObject);
const tryGet = (plural: string, name: string) => get(plural, name).catch(() => undefined);
const create = (plural: string, body: object) => t.custom.createNamespacedCustomObject({ ...cnpg(plural), body });
const remove = (plural: string, name: string) => t.custom.deleteNamespacedCustomObject({ ...cnpg(plural), name });

const store = {
  destinationPath: 's3://bkt-1/databases',
  endpointURL: 'http://rgw.example:80',
  s3Credentials: {
    accessKeyId: { name: 'bkt-1', key: 'AWS_ACCESS_KEY_ID' },
    secretAccessKey: { name: 'bkt-1', key: 'AWS_SECRET_ACCESS_KEY' },
  },
};

const cluster = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Cluster',
  metadata: { name },
  spec: { instances: 1, storage: { size: '1Gi' }, ...spec },
});

const healthy = (name: string) =>
  waitFor(async () => {
    const c = await tryGet('clusters', name);
    return c?.status?.phase === 'Cluster in healthy state' ? c : undefined;
  }, { timeout: 10_000, message: `Cluster ${name} healthy` });

const completed = (name: string) =>
  waitFor(async () => {
    const b = await tryGet('backups', name);
    return b?.status?.phase === 'completed' || b?.status?.phase === 'failed' ? b : undefined;
  }, { timeout: 10_000, message: `Backup ${name} ended` });

const backup = (name: string, clusterName: string) => ({
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Backup',
  metadata: { name },
  spec: { cluster: { name: clusterName }, method: 'barmanObjectStore' },
});

describe('simulated CloudNativePG backups', () => {
  it('completes a Backup with the status the operator writes, and reports the recoverability window', async () => {
    await create('clusters', cluster('orders', { backup: { barmanObjectStore: { ...store, serverName: 'orders' } } }));
    await healthy('orders');
    t.sim.postgres.write(ns, 'orders', 'order-1', 'coffee');
    await create('backups', backup('orders-now', 'orders'));
    const done = await completed('orders-now');
    expect(done.status).toMatchObject({
      phase: 'completed',
      method: 'barmanObjectStore',
      destinationPath: store.destinationPath,
      serverName: 'orders',
      endpointURL: store.endpointURL,
      instanceID: { podName: 'orders-1' },
    });
    for (const field of ['startedAt', 'stoppedAt', 'beginWal', 'endWal', 'backupId', 'beginLSN', 'endLSN'])
      expect(done.status?.[field], field).toEqual(expect.any(String));
    // No size: CloudNativePG's Backup status has none.
    expect(Object.keys(done.status ?? {}).some((k) => /size/i.test(k))).toBe(false);
    const c = await waitFor(async () => {
      const x = await get('clusters', 'orders');
      return x.status?.lastSuccessfulBackup ? x : undefined;
    });
    expect(c.status?.firstRecoverabilityPoint).toEqual(done.status?.stoppedAt);
  });

  it('fails a Backup of a Cluster without a backup section, in the operator words', async () => {
    await create('clusters', cluster('plain'));
    await healthy('plain');
    await create('backups', backup('plain-now', 'plain'));
    const failed = await completed('plain-now');
    expect(failed.status).toMatchObject({
      phase: 'failed',
      error: 'no barmanObjectStore section defined on the target cluster',
    });
  });

  it('makes Backups on a ScheduledBackup schedule, labelled with their schedule and cluster', async () => {
    await create('scheduledbackups', {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'ScheduledBackup',
      metadata: { name: 'orders-daily' },
      spec: { schedule: '* * * * * *', cluster: { name: 'orders' }, backupOwnerReference: 'none' },
    });
    const made = await waitFor(async () => {
      const list = (await t.custom.listNamespacedCustomObject({
        ...cnpg('backups'),
        labelSelector: 'cnpg.io/scheduled-backup=orders-daily',
      })) as { items: StoredObject[] };
      return list.items.length >= 2 ? list.items : undefined;
    }, { timeout: 10_000, message: 'two scheduled backups' });
    expect(made[0]!.metadata.name).toMatch(/^orders-daily-\d{14}$/);
    expect(made[0]!.metadata.labels).toMatchObject({ 'cnpg.io/cluster': 'orders' });
    expect(made[0]!.metadata.ownerReferences).toBeUndefined();
    const scheduled = await get('scheduledbackups', 'orders-daily');
    expect(scheduled.status).toMatchObject({
      lastScheduleTime: expect.any(String),
      nextScheduleTime: expect.any(String),
    });
    await remove('scheduledbackups', 'orders-daily');
  });

  it('restores a deleted Cluster from a Backup, and from the archive at a point in time', async () => {
    t.sim.postgres.write(ns, 'orders', 'order-2', 'tea');
    await create('backups', backup('orders-second', 'orders'));
    expect((await completed('orders-second')).status?.phase).toBe('completed');
    const between = new Date(Date.now() + 5).toISOString();
    await waitFor(() => Date.now() > Date.parse(between) + 5);
    t.sim.postgres.write(ns, 'orders', 'order-3', 'cake');
    await remove('clusters', 'orders');
    await waitFor(async () => ((await tryGet('clusters', 'orders')) ? undefined : true));

    await create('clusters', cluster('orders-restored', { bootstrap: { recovery: { backup: { name: 'orders-second' } } } }));
    await healthy('orders-restored');
    expect(t.sim.postgres.read(ns, 'orders-restored')).toEqual({ 'order-1': 'coffee', 'order-2': 'tea' });

    const pitr = (name: string, targetTime: string) =>
      cluster(name, {
        bootstrap: { recovery: { source: 'origin', recoveryTarget: { targetTime } } },
        externalClusters: [{ name: 'origin', barmanObjectStore: { ...store, serverName: 'orders' } }],
      });
    await create('clusters', pitr('orders-latest', new Date().toISOString()));
    await healthy('orders-latest');
    // The write after the last backup comes back from the archived WAL.
    expect(t.sim.postgres.read(ns, 'orders-latest')).toEqual({
      'order-1': 'coffee',
      'order-2': 'tea',
      'order-3': 'cake',
    });
    await create('clusters', pitr('orders-before', between));
    await healthy('orders-before');
    expect(t.sim.postgres.read(ns, 'orders-before')).toEqual({ 'order-1': 'coffee', 'order-2': 'tea' });
  });

  it('does not bring up a Cluster recovering to a time before any backup', async () => {
    await create('clusters', cluster('too-early', {
      bootstrap: { recovery: { source: 'origin', recoveryTarget: { targetTime: '2001-01-01T00:00:00Z' } } },
      externalClusters: [{ name: 'origin', barmanObjectStore: { ...store, serverName: 'orders' } }],
    }));
    const c = await waitFor(async () => {
      const x = await tryGet('clusters', 'too-early');
      return String(x?.status?.phase ?? '').includes('no target backup') ? x : undefined;
    });
    expect(c.status?.readyInstances).toBe(1);
    expect(c.status?.conditions).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Ready', status: 'False' })]));
  });
});
