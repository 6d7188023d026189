import { describe, expect, it } from 'vitest';
import { databaseBackupsRepository, tables } from '@uncloud/db';
import { bucketSecret, useStoreWithBucket } from '../test-support/bucket-store.ts';
import { type KubeObject, dumpKey } from '@uncloud/kube';
import { backupBucket, databaseBackupRow, ids } from '../test-support/rows.ts';
import { type MeasureContext, measureBackup, removeBackupData } from './measure.ts';
import { fakeStore } from '../test-support/backup-store.ts';
import type { BackupObjectStore } from './object-store.ts';

const intents = useStoreWithBucket();

const location = `s3://${backupBucket.bucketName}/databases/db-bbbbbbbbbbbbbbbbbbbb/base/20261202T171500/`;

const context = (objects: BackupObjectStore, secret: KubeObject | null = bucketSecret): MeasureContext => ({
  db: intents.store.db,
  objects,
  getSecret: async (namespace, name) =>
    secret && secret.metadata.namespace === namespace && secret.metadata.name === name ? secret : undefined,
});

const insert = (patch: Parameters<typeof databaseBackupRow>[0] = {}) => {
  const row = databaseBackupRow({ state: 'active', phase: 'completed', dataLocation: location, ...patch });
  intents.store.db.insert(tables.databaseBackups).values(row).run();
  return row.id;
};
const read = (id: ReturnType<typeof insert>) => databaseBackupsRepository.byId(intents.store.db, id)!;

const infoKey = `${backupBucket.bucketName}/databases/db-bbbbbbbbbbbbbbbbbbbb/base/20261202T171500/backup.info`;

describe('measureBackup', () => {
  it("reads a PostgreSQL backup's size from Barman's backup.info in its recorded directory, with the bucket's keys", async () => {
    const { store: objects, reads } = fakeStore({
      [infoKey]: 'status=DONE\nsize=31457280\ndeduplicated_size=None\n',
    });
    const id = insert();
    expect(await measureBackup(context(objects), read(id))).toEqual({
      sizeBytes: 31_457_280,
      sizeNote: null,
    });
    expect(reads[0]).toEqual({
      endpoint: backupBucket.endpoint,
      bucket: backupBucket.bucketName,
      key: 'databases/db-bbbbbbbbbbbbbbbbbbbb/base/20261202T171500/backup.info',
      credentials: { accessKeyId: 'AKIA1', secretAccessKey: 's3cr3t' },
    });
  });

  it("reads a dump's size as its object's length", async () => {
    const key = `${backupBucket.bucketName}/${dumpKey(ids.database, 'mysql', 'dbb-jjjjjjjjjjjjjjjjjjjj')}`;
    expect(key).toMatch(/\/dbb-jjjjjjjjjjjjjjjjjjjj\/dump\.sql\.gz$/);
    const id = insert({ engine: 'mysql', dataLocation: null });
    expect(await measureBackup(context(fakeStore({ [key]: 'x'.repeat(4096) }).store), read(id))).toEqual({
      sizeBytes: 4096,
      sizeNote: null,
    });
  });

  it('says why the size is unknown: missing backup.info, an unreachable store, no size, no location, no keys', async () => {
    const id = insert();
    expect((await measureBackup(context(fakeStore({}).store), read(id))).sizeNote).toMatch(
      /^unknown: s3:\/\/.*backup\.info at http:.* does not exist$/,
    );
    const unreachable = fakeStore({ [infoKey]: new Error('getaddrinfo ENOTFOUND rook-ceph-rgw') }).store;
    const note = (await measureBackup(context(unreachable), read(id))).sizeNote;
    expect(note).toContain(
      'unknown: the object store could not be read from where Uncloud runs (s3://bkt-iiiiiiiiiiiiiiiiiiii/',
    );
    expect(note).toContain('ENOTFOUND');
    expect(
      (await measureBackup(context(fakeStore({ [infoKey]: 'status=DONE' }).store), read(id))).sizeNote,
    ).toMatch(/names no size$/);
    expect((await measureBackup(context(fakeStore({}).store, null), read(id))).sizeNote).toContain(
      "the bucket's Secret holds no access keys",
    );
    intents.store.db.delete(tables.databaseBackups).run();
    const second = insert({ dataLocation: null });
    expect((await measureBackup(context(fakeStore({}).store), read(second))).sizeNote).toContain(
      'names no backup id',
    );
  });

  it('reads from the endpoint this process reaches buckets at, when one is set', async () => {
    const { store: objects, reads } = fakeStore({ [infoKey]: 'size=1' });
    const id = insert();
    await measureBackup({ ...context(objects), objectStoreEndpoint: 'http://127.0.0.1:9000' }, read(id));
    expect(reads[0]?.endpoint).toBe('http://127.0.0.1:9000');
  });
});

describe('removeBackupData', () => {
  it("removes a PostgreSQL backup's base directory and leaves the WAL archive and other backups", async () => {
    const wal = `${backupBucket.bucketName}/databases/db-bbbbbbbbbbbbbbbbbbbb/wals/0000000100000000/000000010000000000000002`;
    const other = `${backupBucket.bucketName}/databases/db-bbbbbbbbbbbbbbbbbbbb/base/20261203T030000/data.tar`;
    const fake = fakeStore({
      [infoKey]: 'size=1',
      [infoKey.replace('backup.info', 'data.tar')]: 'x',
      [wal]: 'w',
      [other]: 'y',
    });
    const id = insert({ state: 'deleting' });
    expect(await removeBackupData(context(fake.store), read(id))).toMatch(
      /^removed 2 object\(s\) at s3:\/\//,
    );
    expect(fake.removed[0]!.key).toBe('databases/db-bbbbbbbbbbbbbbbbbbbb/base/20261202T171500/');
    expect(Object.keys(fake.objects).sort()).toEqual([other, wal].sort());
  });

  it("removes a dump's object", async () => {
    const key = `${backupBucket.bucketName}/${dumpKey(ids.database, 'valkey', 'dbb-jjjjjjjjjjjjjjjjjjjj')}`;
    const fake = fakeStore({ [key]: 'dump' });
    const id = insert({ engine: 'valkey', state: 'deleting', dataLocation: null });
    await removeBackupData(context(fake.store), read(id));
    expect(fake.objects).toEqual({});
  });

  it('fails with why when the store cannot be reached; has nothing to remove when the bucket is gone', async () => {
    const id = insert({ state: 'deleting' });
    const down = fakeStore({ [infoKey]: new Error('connect ECONNREFUSED') }).store;
    await expect(removeBackupData(context(down), read(id))).rejects.toThrow(
      /^the object store could not be reached from where Uncloud runs \(s3:\/\/.*\): connect ECONNREFUSED$/,
    );
    intents.store.db.delete(tables.buckets).run();
    expect(await removeBackupData(context(down), read(id))).toMatch(/^nothing to remove: its bucket is gone/);
  });
});
