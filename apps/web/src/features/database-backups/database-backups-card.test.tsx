import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DatabaseBackup } from '@uncloud/sdk';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { emptyPage, projectId, type FakeAnswer } from '../../test/fake-api.ts';
import { database, databaseId } from '../../test/fixtures.ts';
import { callsTo, renderProjectRoutes } from '../../test/render.tsx';
import { DatabaseDetailPage } from '../databases/database-detail-page.tsx';

const bucketId = 'bkt_0123456789abcdefghij';
const options = {
  data: {
    engines: [{ engine: 'postgres', versions: ['16'], defaultVersion: '16', defaultPort: 5432 }],
    sizes: [{ slug: 'db-s-1vcpu-1gb', vcpus: 1, memoryMiB: 1024, diskGiB: 10 }],
  },
};
const backup = {
  id: 'dbb_0123456789abcdefghij',
  projectId,
  name: 'main-20261202-100000-abcd',
  databaseId,
  databaseName: 'main',
  engine: 'postgres',
  source: {
    name: 'main',
    engine: 'postgres',
    version: '16',
    size: 'db-s-1vcpu-1gb',
    nodes: 1,
    storageGiB: null,
  },
  bucketId,
  origin: 'manual',
  phase: 'completed',
  startedAt: '2026-12-02T10:00:00.000Z',
  stoppedAt: '2026-12-02T10:00:05.000Z',
  beginWal: '000000010000000000000002',
  endWal: '000000010000000000000003',
  sizeBytes: null,
  sizeNote: "unknown: CloudNativePG's Backup status has no size",
  error: null,
  state: 'active',
  generation: 1,
  observedGeneration: 1,
  observedAt: null,
  syncState: 'synced',
  syncError: null,
  createdAt: '2026-12-02T10:00:00.000Z',
  updatedAt: '2026-12-02T10:00:05.000Z',
  deletedAt: null,
} as unknown as DatabaseBackup;

const configured = database({
  backups: { bucketId: bucketId as never, schedule: '0 0 3 * * *', retentionDays: 7 },
  recoverability: { firstPoint: '2026-12-02T10:00:05.000Z', lastBackup: '2026-12-02T10:00:05.000Z' },
});

const renderDetail = (answers: Record<string, FakeAnswer | ((input: unknown) => FakeAnswer)>) =>
  renderProjectRoutes(
    {
      'actions.list': emptyPage,
      'databaseOptions.list': options,
      'buckets.list': {
        data: { items: [{ id: bucketId, name: 'backups', state: 'active' }], nextCursor: null },
      },
      ...answers,
    },
    `/p/${projectId}/databases/${databaseId}`,
    <Route path="databases/:databaseId" element={<DatabaseDetailPage />} />,
  );

describe('the Backups section of a database', () => {
  it('sets up backups to a bucket with a schedule and retention', async () => {
    const { fetch } = renderDetail({
      'databases.get': { data: database() },
      'databaseBackups.list': emptyPage,
      'databases.configureBackups': () => ({ data: configured }),
    });
    const user = userEvent.setup();
    expect(await screen.findByText(/Not backed up/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Back up now' }) as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Set up backups' }));
    const dialog = await screen.findByRole('dialog', { name: 'Backup settings of main' });
    await user.selectOptions(within(dialog).getByLabelText('Bucket'), bucketId);
    const retention = within(dialog).getByLabelText('Keep for (days)');
    await user.clear(retention);
    await user.type(retention, '14');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(callsTo(fetch, 'databases.configureBackups')).toEqual([
        { projectId, id: databaseId, bucketId, schedule: '0 0 3 * * *', retentionDays: 14 },
      ]),
    );
  });

  it('refuses a schedule that is not six fields, in words, before sending it', async () => {
    const { fetch } = renderDetail({
      'databases.get': { data: database() },
      'databaseBackups.list': emptyPage,
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Set up backups' }));
    const dialog = await screen.findByRole('dialog', { name: 'Backup settings of main' });
    const schedule = within(dialog).getByLabelText('Schedule');
    await user.clear(schedule);
    await user.type(schedule, '0 3 * * *');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByText(/must be a cron schedule of six fields/)).toBeTruthy();
    expect(callsTo(fetch, 'databases.configureBackups')).toEqual([]);
  });

  it('backs up now, lists backups with an unknown size said why, and restores one into a new database', async () => {
    const { fetch } = renderDetail({
      'databases.get': { data: configured },
      'databaseBackups.list': { data: { items: [backup], nextCursor: null, total: 1 } },
      'databaseBackups.create': () => ({ data: { ...backup, state: 'pending', phase: null } }),
      'databases.restore': () => ({
        data: database({ id: 'db_restoredrestoredrest' as never, name: 'main-copy' }),
      }),
    });
    const user = userEvent.setup();
    const table = await screen.findByRole('table', { name: 'Backups' });
    expect(within(table).getByText('Completed')).toBeTruthy();
    expect(within(table).getByText('Unknown').getAttribute('title')).toContain('no size');
    expect(within(table).getByText('PostgreSQL 16 · db-s-1vcpu-1gb · 1 node')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Back up now' }));
    await waitFor(() =>
      expect(callsTo(fetch, 'databaseBackups.create')).toEqual([{ projectId, databaseId }]),
    );

    await user.click(within(table).getByRole('button', { name: `Restore ${backup.name}` }));
    const dialog = await screen.findByRole('dialog', { name: `Restore backup ${backup.name} of main` });
    await user.type(within(dialog).getByLabelText('New database name'), 'main-copy');
    await user.click(within(dialog).getByRole('button', { name: 'Restore to new database' }));
    await waitFor(() =>
      expect(callsTo(fetch, 'databases.restore')).toEqual([
        { projectId, name: 'main-copy', size: 'db-s-1vcpu-1gb', nodes: 1, backupId: backup.id, tags: [] },
      ]),
    );
  });

  it('restores to a point in time chosen in the window', async () => {
    const { fetch } = renderDetail({
      'databases.get': { data: configured },
      'databaseBackups.list': { data: { items: [backup], nextCursor: null, total: 1 } },
      'databases.restore': () => ({ data: database({ name: 'main-then' }) }),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Restore to a point in time' }));
    const dialog = await screen.findByRole('dialog', { name: 'Restore main to a point in time' });
    await user.type(within(dialog).getByLabelText('New database name'), 'main-then');
    await user.click(within(dialog).getByRole('button', { name: 'Restore to new database' }));
    await waitFor(() => expect(callsTo(fetch, 'databases.restore')).toHaveLength(1));
    expect(callsTo(fetch, 'databases.restore')[0]).toMatchObject({
      projectId,
      name: 'main-then',
      databaseId,
      targetTime: '2026-12-02T10:00:05.000Z',
    });
  });
});
