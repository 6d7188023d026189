// Database backups in a real browser: set up backups of a PostgreSQL database to a bucket, back it up
// now, see the backup completed, restore it into a new database and open that one. The bucket and
// database are made through the SDK; everything about backups goes through the dashboard. That the
// restored database holds the backed-up rows is shown in apps/api/test/database-backups.test.ts,
// where the simulated cluster is in the test's process.
import type { BucketId, DatabaseId } from '@uncloud/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONVERGE, CONVERGE_SDK, UI, startBrowserSuite } from './browser-suite.ts';

let databaseId: DatabaseId;
let bucketId: BucketId;

const suite = startBrowserSuite({ project: 'e2e-backups', failureShots: 'backups-' });
const page = () => suite.page;
const dialog = () => page().getByRole('dialog');
const backups = () => page().getByRole('table', { name: 'Backups' });

describe('the Backups section of a database', () => {
  beforeAll(async () => {
    const { sdk, projectId } = suite;
    const bucket = await sdk.buckets.create.mutate({ projectId, name: 'db-backups' });
    bucketId = bucket.id;
    const database = await sdk.databases.create.mutate({
      projectId,
      name: 'orders',
      engine: 'postgres',
      size: 'db-s-1vcpu-1gb',
    });
    databaseId = database.id;
    await sdk.waitFor(sdk.buckets, { projectId, id: bucketId }, 'active', CONVERGE_SDK);
    await sdk.waitFor(sdk.databases, { projectId, id: databaseId }, 'active', CONVERGE_SDK);
  });

  it('sets up backups to a bucket of the project', async () => {
    await suite.signIn({ path: '/' });
    await page().goto(`/p/${suite.projectId}/databases/${databaseId}`);
    await page().getByRole('heading', { level: 1, name: 'orders' }).waitFor(UI);
    await page().getByText('No backups yet').waitFor(UI);
    await page().getByRole('button', { name: 'Set up backups' }).click();
    await dialog().getByLabel('Bucket').selectOption({ label: 'db-backups' });
    await dialog().getByLabel('Schedule').fill('');
    await dialog().getByLabel('Keep for (days)').fill('14');
    await dialog().getByRole('button', { name: 'Save' }).click();
    await dialog().waitFor({ state: 'detached', ...UI });
    await page().getByText('To bucket db-backups, on demand only, kept 14 days.').waitFor(UI);
    const database = await suite.sdk.databases.get.query({ projectId: suite.projectId, id: databaseId });
    expect(database.backups).toEqual({ bucketId, schedule: null, retentionDays: 14 });
  });

  it('backs up now and shows the backup completed, with its size read from the bucket', async () => {
    await suite.sdk.waitFor(
      suite.sdk.databases,
      { projectId: suite.projectId, id: databaseId },
      (d) => d.syncState === 'synced',
      CONVERGE_SDK,
    );
    await page().getByRole('button', { name: 'Back up now' }).click();
    await backups().getByText('Completed').waitFor(CONVERGE);
    // The size is read from the backup.info CloudNativePG left in the bucket: the simulated
    // cluster's own S3 server, which the API's process reaches.
    const [backup] = (await suite.sdk.databaseBackups.list.query({ projectId: suite.projectId, databaseId }))
      .items;
    const sized = await suite.sdk.waitFor(
      suite.sdk.databaseBackups,
      { projectId: suite.projectId, id: backup!.id },
      (b) => b.sizeBytes !== null,
      CONVERGE_SDK,
    );
    await backups()
      .getByText(`${(sized.sizeBytes! / 1024 ** 2).toFixed(1)} MiB`)
      .waitFor(CONVERGE);
    expect(await backups().getByText('Unknown').count()).toBe(0);
  });

  it('restores the backup into a new database and opens it', async () => {
    const [backup] = (await suite.sdk.databaseBackups.list.query({ projectId: suite.projectId, databaseId }))
      .items;
    await backups()
      .getByRole('button', { name: `Restore ${backup!.name}` })
      .click();
    await dialog().getByLabel('New database name').fill('orders-restored');
    await dialog().getByRole('button', { name: 'Restore to new database' }).click();
    await page().getByRole('heading', { level: 1, name: 'orders-restored' }).waitFor(UI);
    const restored = (
      await suite.sdk.databases.list.query({ projectId: suite.projectId, name: 'orders-restored' })
    ).items[0]!;
    expect(restored.restoredFrom).toEqual({ databaseId, backupId: backup!.id, targetTime: null });
    await suite.sdk.waitFor(
      suite.sdk.databases,
      { projectId: suite.projectId, id: restored.id },
      'active',
      CONVERGE_SDK,
    );
  });

  it('lists the backup on the Database backups page', async () => {
    await page()
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('link', { name: 'Database backups', exact: true })
      .click();
    await page().getByRole('heading', { level: 1, name: 'Database backups' }).waitFor(UI);
    const row = page()
      .getByRole('row')
      .filter({ has: page().getByRole('link', { name: 'orders', exact: true }) });
    await row.getByText('Completed').waitFor(UI);
  });
});
