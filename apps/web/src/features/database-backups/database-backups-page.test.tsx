import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DatabaseBackup } from '@uncloud/sdk';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { emptyPage, projectId } from '../../test/fake-api.ts';
import { database, databaseId, page } from '../../test/fixtures.ts';
import { callsTo, renderProjectRoutes } from '../../test/render.tsx';
import { DatabaseBackupsPage } from './database-backups-page.tsx';

const backup = {
  id: 'dbb_0123456789abcdefghij',
  projectId,
  name: 'archive-20261202-100000-abcd',
  databaseId,
  databaseName: 'archive',
  engine: 'postgres',
  source: {
    name: 'archive',
    engine: 'postgres',
    version: '15',
    size: 'db-s-2vcpu-4gb',
    nodes: 2,
    storageGiB: 120,
  },
  bucketId: 'bkt_0123456789abcdefghij',
  origin: 'manual',
  phase: 'completed',
  startedAt: '2026-12-02T10:00:00.000Z',
  stoppedAt: '2026-12-02T10:00:05.000Z',
  beginWal: null,
  endWal: null,
  sizeBytes: 1024 ** 2,
  sizeNote: null,
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

describe('the database backups list', () => {
  it('shows what each backup was taken of, and restores one whose database is gone at the recorded size and nodes', async () => {
    const { fetch } = renderProjectRoutes(
      {
        'actions.list': emptyPage,
        'databaseBackups.list': page([backup]),
        'databases.restore': () => ({ data: database({ name: 'archive-again' }) }),
      },
      `/p/${projectId}/database-backups`,
      <Route path="database-backups" element={<DatabaseBackupsPage />} />,
    );
    const user = userEvent.setup();
    expect(await screen.findByText('PostgreSQL 15 · db-s-2vcpu-4gb, 120 GiB disk · 2 nodes')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Restore to new database' }));
    const dialog = await screen.findByRole('dialog', { name: `Restore backup ${backup.name} of archive` });
    expect(
      within(dialog).getByText(
        /Defaults to the size archive had when backed up; it restores as PostgreSQL 15\./,
      ),
    ).toBeTruthy();
    // As many nodes as it had.
    expect((within(dialog).getByLabelText('Nodes') as HTMLInputElement).value).toBe('2');
    await user.type(within(dialog).getByLabelText('New database name'), 'archive-again');
    await user.click(within(dialog).getByRole('button', { name: 'Restore to new database' }));
    await waitFor(() =>
      expect(callsTo(fetch, 'databases.restore')).toEqual([
        { projectId, name: 'archive-again', size: 'db-s-2vcpu-4gb', nodes: 2, backupId: backup.id, tags: [] },
      ]),
    );
  });
});
