// Uncloud's MySQL dump and restore Jobs on the simulated cluster with a real S3 server behind its
// object store (the Versity S3 Gateway of tooling/s3-real): the dump is a real object in the real
// bucket, the restore reads it from there, and a dump deleted from the server fails the restore.
// Real tier only (it needs the Go build).
import {
  type KubeObject,
  dumpJobManifest,
  dumpKey,
  namespaceName,
  objectName,
  restoreJobManifest,
  statefulSetManifests,
} from '@uncloud/kube';
import { startS3Real, type S3RealServer } from '@uncloud/s3-real';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createObjectStoreBackend,
  type ObjectStoreBackend,
} from '../src/controllers/object-store-backend.ts';
import { startSim, waitFor, type TestCluster } from './helpers.ts';

let s3: S3RealServer;
let store: ObjectStoreBackend;
let t: TestCluster;
const projectId = 'proj_aaaaaaaaaaaaaaaaaaaa';
const ns = namespaceName(projectId);
const bucket = {
  id: 'bkt_bbbbbbbbbbbbbbbbbbbb',
  bucketName: 'dumps-real',
  endpoint: 'http://rgw.example:80',
};

beforeAll(async () => {
  s3 = await startS3Real();
  store = createObjectStoreBackend(s3);
  await store.createUser('DUMPOWNER', 'dump-owner-secret-key');
  await store.createBucket(bucket.bucketName, 'DUMPOWNER');
  t = await startSim({ controllerDelayMs: 5, objectStore: s3 });
  await t.core.createNamespace({ body: { metadata: { name: ns } } });
  await t.core.createNamespacedSecret({
    namespace: ns,
    body: {
      metadata: { name: objectName(bucket.id) },
      stringData: { AWS_ACCESS_KEY_ID: 'AK', AWS_SECRET_ACCESS_KEY: 'SK' },
    },
  });
});
afterAll(async () => {
  await t?.stop();
  await s3?.stop();
});

const apply = (object: KubeObject) => t.objects.create(object as never);
const ended = (name: string) =>
  waitFor(
    () => {
      const j = t.sim.api.store.get('batch/jobs', ns, name);
      const conditions = (j?.status?.conditions ?? []) as { type: string; status: string; reason?: string }[];
      return conditions.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
    },
    { timeout: 20_000, message: `Job ${name} ended` },
  );

const server = async (id: string) => {
  const db = {
    id,
    projectId,
    name: id,
    engine: 'mysql',
    version: '8.4',
    size: 'db-s-1vcpu-1gb',
    nodes: 1,
    storageGiB: 10,
  };
  await t.core.createNamespacedSecret({
    namespace: ns,
    body: { metadata: { name: `${objectName(id)}-credentials` }, stringData: { password: 'pw' } },
  });
  for (const o of statefulSetManifests(db as unknown as Parameters<typeof statefulSetManifests>[0]))
    await apply(o);
  await waitFor(() => {
    try {
      return t.sim.mysql.read(ns, objectName(id));
    } catch {
      return undefined;
    }
  });
  return { id, projectId, engine: 'mysql' as const, version: '8.4' };
};

describe('MySQL dumps in a real S3 server', () => {
  it('uploads the dump there and restores from it; a dump deleted there fails the restore', async () => {
    const source = await server('db_cccccccccccccccccccc');
    t.sim.mysql.write(ns, objectName(source.id), 'order-1', 'coffee');
    const owner = { kind: 'databaseBackup' as const, id: 'dbb_x', projectId, name: 'x' };
    await apply(dumpJobManifest(owner, 'dbb-real', source, bucket, 7));
    expect((await ended('dbb-real')).type).toBe('Complete');
    const key = dumpKey(source.id, 'mysql', 'dbb-real');
    const text = await store.getObject(bucket.bucketName, key);
    expect(JSON.parse(text!).rows).toEqual({ 'order-1': 'coffee' });
    // Not in the simulated store: the real server holds it.
    expect(t.sim.objects.get(bucket.bucketName, key)).toBeUndefined();

    const target = await server('db_dddddddddddddddddddd');
    const dbOwner = { kind: 'database' as const, id: target.id, projectId, name: 'target' };
    const restore = restoreJobManifest(dbOwner, target, {
      bucket,
      sourceDatabaseId: source.id,
      backupName: 'dbb-real',
    });
    await apply(restore);
    expect((await ended(restore.metadata.name)).type).toBe('Complete');
    expect(t.sim.mysql.read(ns, objectName(target.id))).toEqual({ 'order-1': 'coffee' });

    const missing = restoreJobManifest(
      { ...dbOwner, id: 'db_eeeeeeeeeeeeeeeeeeee' },
      { ...target, id: 'db_eeeeeeeeeeeeeeeeeeee' },
      { bucket, sourceDatabaseId: source.id, backupName: 'dbb-deleted' },
    );
    await server('db_eeeeeeeeeeeeeeeeeeee');
    await apply(missing);
    expect(await ended(missing.metadata.name)).toMatchObject({ type: 'Failed', reason: 'PodFailurePolicy' });
  }, 60_000);
});
