import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IntentStore, databaseBackupsRepository, openIntentStore, tables } from '@uncloud/db';
import { type KubeObject, dumpKey, namespaceName, objectName } from '@uncloud/kube';
import { backupBucket, backupBucketId, databaseBackupRow, ids } from '../test-support/rows.ts';
import { type MeasureContext, recordBackupSize } from './measure.ts';
import { type BackupObjectReader, ObjectMissing, type StoredObject } from './object-store.ts';

let dir: string;
let store: IntentStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'uncloud-backup-size-'));
  store = openIntentStore(join(dir, 'uncloud.db'));
  store.db
    .insert(tables.projects)
    .values({ id: ids.project, name: 'p', purpose: 'test', namespace: namespaceName(ids.project) })
    .run();
  store.db
    .insert(tables.buckets)
    .values({ ...backupBucket, id: backupBucketId, projectId: ids.project, name: 'backups', state: 'active' })
    .run();
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const b64 = (s: string) => Buffer.from(s).toString('base64');
const bucketSecret: KubeObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: objectName(backupBucket.id), namespace: namespaceName(ids.project) },
  data: { AWS_ACCESS_KEY_ID: b64('AKIA1'), AWS_SECRET_ACCESS_KEY: b64('s3cr3t') },
} as KubeObject;

const cnpgBackup = (status: Record<string, unknown>): KubeObject =>
  ({
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Backup',
    metadata: { name: 'dbb-jjjjjjjjjjjjjjjjjjjj', namespace: namespaceName(ids.project) },
    status: { phase: 'completed', ...status },
  }) as KubeObject;

const completedBackup = {
  destinationPath: `s3://${backupBucket.bucketName}/databases`,
  serverName: 'db-bbbbbbbbbbbbbbbbbbbb',
  backupId: '20261202T171500',
};

/** A bucket whose objects are these, recording what was read. */
const fakeStore = (objects: Record<string, string | Error>) => {
  const reads: StoredObject[] = [];
  const find = (o: StoredObject) => {
    reads.push(o);
    const found = objects[`${o.bucket}/${o.key}`];
    if (found === undefined) throw new ObjectMissing('no such key');
    if (found instanceof Error) throw found;
    return found;
  };
  const reader: BackupObjectReader = {
    text: async (o) => find(o),
    size: async (o) => find(o).length,
  };
  return { reader, reads };
};

const context = (reader: BackupObjectReader, secret: KubeObject | null = bucketSecret): MeasureContext => ({
  db: store.db,
  reader,
  getSecret: async (namespace, name) =>
    secret && secret.metadata.namespace === namespace && secret.metadata.name === name ? secret : undefined,
});

const insert = (patch: Parameters<typeof databaseBackupRow>[0] = {}) => {
  const row = databaseBackupRow({ state: 'active', phase: 'completed', ...patch });
  store.db.insert(tables.databaseBackups).values(row).run();
  return row.id;
};
const read = (id: ReturnType<typeof insert>) => databaseBackupsRepository.byId(store.db, id)!;

const infoKey = `${backupBucket.bucketName}/databases/db-bbbbbbbbbbbbbbbbbbbb/base/20261202T171500/backup.info`;

describe('recordBackupSize', () => {
  it("records a PostgreSQL backup's size from Barman's backup.info, with the bucket's keys", async () => {
    const { reader, reads } = fakeStore({
      [infoKey]: 'status=DONE\nsize=31457280\ndeduplicated_size=None\n',
    });
    const id = insert();
    expect(await recordBackupSize(context(reader), id, cnpgBackup(completedBackup))).toBe(true);
    expect(read(id)).toMatchObject({ sizeBytes: 31_457_280, sizeNote: null, state: 'active' });
    expect(reads[0]).toEqual({
      endpoint: backupBucket.endpoint,
      bucket: backupBucket.bucketName,
      key: 'databases/db-bbbbbbbbbbbbbbbbbbbb/base/20261202T171500/backup.info',
      credentials: { accessKeyId: 'AKIA1', secretAccessKey: 's3cr3t' },
    });
  });

  it('reads once: a measured backup is not read again', async () => {
    const { reader, reads } = fakeStore({ [infoKey]: 'size=10' });
    const id = insert();
    await recordBackupSize(context(reader), id, cnpgBackup(completedBackup));
    expect(await recordBackupSize(context(reader), id, cnpgBackup(completedBackup))).toBe(false);
    expect(reads).toHaveLength(1);
  });

  it('reads nothing before the backup has completed', async () => {
    const { reader, reads } = fakeStore({ [infoKey]: 'size=10' });
    const id = insert({ state: 'provisioning', phase: 'running' });
    expect(
      await recordBackupSize(context(reader), id, cnpgBackup({ ...completedBackup, phase: 'running' })),
    ).toBe(false);
    expect(reads).toHaveLength(0);
    expect(read(id)).toMatchObject({ sizeBytes: null, sizeNote: null });
  });

  it("records a dump's size as its object's length", async () => {
    const key = `${backupBucket.bucketName}/${dumpKey(ids.database, 'mysql', 'dbb-jjjjjjjjjjjjjjjjjjjj')}`;
    expect(key).toMatch(/\/dbb-jjjjjjjjjjjjjjjjjjjj\/dump\.sql\.gz$/);
    const { reader } = fakeStore({ [key]: 'x'.repeat(4096) });
    const id = insert({ engine: 'mysql' });
    await recordBackupSize(context(reader), id, undefined);
    expect(read(id)).toMatchObject({ sizeBytes: 4096, sizeNote: null });
  });

  it('leaves the size unknown, with why, when backup.info is missing — and the backup stays active', async () => {
    const id = insert();
    await recordBackupSize(context(fakeStore({}).reader), id, cnpgBackup(completedBackup));
    const row = read(id);
    expect(row).toMatchObject({ sizeBytes: null, state: 'active', error: null, syncError: null });
    expect(row.sizeNote).toMatch(/^unknown: s3:\/\/.*backup\.info at http:.* does not exist$/);
  });

  it('says so when the object store cannot be reached from where Uncloud runs', async () => {
    const { reader } = fakeStore({ [infoKey]: new Error('getaddrinfo ENOTFOUND rook-ceph-rgw') });
    const id = insert();
    await recordBackupSize(context(reader), id, cnpgBackup(completedBackup));
    expect(read(id)).toMatchObject({ sizeBytes: null, state: 'active' });
    expect(read(id).sizeNote).toContain(
      'unknown: the object store could not be read from where Uncloud runs (s3://bkt-iiiiiiiiiiiiiiiiiiii/',
    );
    expect(read(id).sizeNote).toContain('ENOTFOUND');
  });

  it('says so when backup.info names no size, the Backup names no id, or the keys are missing', async () => {
    const first = insert();
    await recordBackupSize(
      context(fakeStore({ [infoKey]: 'status=DONE' }).reader),
      first,
      cnpgBackup(completedBackup),
    );
    expect(read(first).sizeNote).toMatch(/names no size$/);
    store.db.delete(tables.databaseBackups).run();

    const second = insert();
    await recordBackupSize(context(fakeStore({}).reader), second, cnpgBackup({ phase: 'completed' }));
    expect(read(second).sizeNote).toContain('names no backup id');
    store.db.delete(tables.databaseBackups).run();

    const third = insert();
    await recordBackupSize(context(fakeStore({}).reader, null), third, cnpgBackup(completedBackup));
    expect(read(third).sizeNote).toContain("the bucket's Secret holds no access keys");
  });

  it('reads from the endpoint this process reaches buckets at, when one is set', async () => {
    const { reader, reads } = fakeStore({ [infoKey]: 'size=1' });
    const id = insert();
    await recordBackupSize(
      { ...context(reader), objectStoreEndpoint: 'http://127.0.0.1:9000' },
      id,
      cnpgBackup(completedBackup),
    );
    expect(reads[0]?.endpoint).toBe('http://127.0.0.1:9000');
  });
});
