import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { emptyPage, projectId, type FakeAnswer } from '../../test/fake-api.ts';
import { action, database, databaseId } from '../../test/fixtures.ts';
import { callsTo, descriptionOf, renderProjectRoutes } from '../../test/render.tsx';
import { DatabaseDetailPage } from './database-detail-page.tsx';

const options = {
  data: {
    engines: [{ engine: 'postgres', versions: ['16', '17'], defaultVersion: '17', defaultPort: 5432 }],
    sizes: [
      { slug: 'db-s-1vcpu-1gb', vcpus: 1, memoryMiB: 1024, diskGiB: 10 },
      { slug: 'db-s-2vcpu-4gb', vcpus: 2, memoryMiB: 4096, diskGiB: 38 },
    ],
  },
};

const renderDetail = (answers: Record<string, FakeAnswer | ((input: unknown) => FakeAnswer)>) =>
  renderProjectRoutes(
    { 'actions.list': emptyPage, 'databaseOptions.list': options, ...answers },
    `/p/${projectId}/databases/${databaseId}`,
    <Route path="databases/:databaseId" element={<DatabaseDetailPage />} />,
  );

describe('DatabaseDetailPage', () => {
  it('shows the credentials with the password hidden until revealed', async () => {
    const { fetch } = renderDetail({
      'databases.get': { data: database() },
      'databases.credentials': {
        data: {
          host: 'main-rw.uc-shop.svc',
          port: 5432,
          database: 'app',
          user: 'app',
          password: 'hunter2',
          uri: 'postgres://app:hunter2@main-rw.uc-shop.svc:5432/app',
        },
      },
    });
    const user = userEvent.setup();

    expect(screen.queryByText(/hunter2/)).toBeNull();
    await user.click(await screen.findByRole('button', { name: 'Show credentials' }));
    const dialog = await screen.findByRole('dialog', { name: 'Credentials of main' });
    const password = await within(dialog).findByLabelText('Password');
    expect((password as HTMLInputElement).value).toBe('hunter2');
    expect(password.getAttribute('type')).toBe('password');
    await user.click(within(dialog).getByRole('button', { name: 'Reveal password' }));
    expect(password.getAttribute('type')).toBe('text');
    expect((within(dialog).getByLabelText('Host') as HTMLInputElement).value).toBe('main-rw.uc-shop.svc');
    expect(callsTo(fetch, 'databases.credentials')).toEqual([{ projectId, id: databaseId }]);
  });

  it('resizes with only the fields that changed', async () => {
    const started = action({
      type: 'resize',
      resourceKind: 'database',
      resourceId: databaseId,
      params: { nodes: 3 },
    });
    const { fetch } = renderDetail({
      'databases.get': { data: database() },
      'databases.resize': () => ({ data: started }),
      'actions.get': () => ({ data: started }),
    });
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Resize' }));
    const dialog = await screen.findByRole('dialog', { name: 'Resize main' });
    const nodes = within(dialog).getByLabelText('Nodes');
    await user.clear(nodes);
    await user.type(nodes, '3');
    await user.click(within(dialog).getByRole('button', { name: 'Resize' }));

    await waitFor(() =>
      expect(callsTo(fetch, 'databases.resize')).toEqual([{ projectId, id: databaseId, nodes: 3 }]),
    );
    expect(
      await within(screen.getByRole('region', { name: 'Actions' })).findByText(/Resizing…/),
    ).toBeTruthy();
  });

  it('says what a restored database is doing while it provisions', async () => {
    const note = 'loading the backup dbb_jjjjjjjjjjjjjjjjjjjj (restore job running)';
    renderDetail({ 'databases.get': { data: database({ engine: 'mysql', state: 'provisioning', note }) } });
    const value = await screen.findByText(note);
    expect(value.previousElementSibling?.textContent).toBe('Now');
  });

  it('shows the warning of a Valkey stored with 3 nodes, and resizes it to the 1 node it runs', async () => {
    const warning = 'This database asks for 3 nodes but runs 1: Valkey is not replicated.';
    const legacy = database({ engine: 'valkey', version: '8.0', nodes: 3, readyNodes: 1, warning });
    const started = action({
      type: 'resize',
      resourceKind: 'database',
      resourceId: databaseId,
      params: { nodes: 1 },
    });
    const { fetch } = renderDetail({
      'databases.get': { data: legacy },
      'databases.resize': () => ({ data: started }),
      'actions.get': () => ({ data: started }),
    });
    const user = userEvent.setup();

    expect((await screen.findByText(warning)).getAttribute('role')).toBe('status');
    await user.click(await screen.findByRole('button', { name: 'Resize' }));
    const dialog = await screen.findByRole('dialog', { name: 'Resize main' });
    const nodes = within(dialog).getByLabelText('Nodes') as HTMLSelectElement;
    expect(
      within(nodes)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['1']);
    expect(descriptionOf(nodes)).toContain('Valkey runs 1 node');
    await user.click(within(dialog).getByRole('button', { name: 'Resize' }));
    await waitFor(() =>
      expect(callsTo(fetch, 'databases.resize')).toEqual([{ projectId, id: databaseId, nodes: 1 }]),
    );
  });

  it('asks before resetting the password', async () => {
    const started = action({ type: 'resetPassword', resourceKind: 'database', resourceId: databaseId });
    const { fetch } = renderDetail({
      'databases.get': { data: database() },
      'databases.resetPassword': () => ({ data: started }),
      'actions.get': () => ({ data: started }),
    });
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Reset password' }));
    const confirm = await screen.findByRole('alertdialog');
    expect(callsTo(fetch, 'databases.resetPassword')).toEqual([]);
    await user.click(within(confirm).getByRole('button', { name: 'Reset password' }));
    await waitFor(() =>
      expect(callsTo(fetch, 'databases.resetPassword')).toEqual([{ projectId, id: databaseId }]),
    );
  });
});
