import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { ApiProvider, createQueryClient } from '../../app/api-provider.tsx';
import { createApiClient } from '../../lib/trpc.ts';
import { emptyPage, fakeApi, projectId, type FakeAnswer } from '../../test/fake-api.ts';
import { DropletsPage } from './droplets-page.tsx';

const droplet = (state: string, ip: string | null) => ({
  id: 'dpl_0123456789abcdefghij',
  projectId,
  name: 'web-1',
  size: 's-1vcpu-1gb',
  vcpus: 1,
  memoryMiB: 1024,
  diskGiB: 25,
  image: 'ubuntu-24-04',
  sshKeyIds: [],
  tags: ['web'],
  userData: null,
  volumeIds: [],
  state,
  ip,
  node: null,
  phase: null,
  generation: 1,
  observedGeneration: state === 'active' ? 1 : 0,
  observedAt: null,
  syncState: state === 'active' ? 'synced' : 'pending',
  syncError: null,
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
  deletedAt: null,
});

const renderPage = (answers: Record<string, FakeAnswer | ((input: unknown) => FakeAnswer)>) => {
  const fetch = fakeApi(answers);
  render(
    <ApiProvider client={createApiClient({ getToken: () => 't', url: 'http://api.test/trpc', fetch })} queryClient={createQueryClient()}>
      <MemoryRouter initialEntries={[`/p/${projectId}/droplets`]}>
        <Routes>
          <Route path="/p/:projectId/droplets" element={<DropletsPage />} />
        </Routes>
      </MemoryRouter>
    </ApiProvider>,
  );
  return fetch;
};

describe('DropletsPage', () => {
  it('tells a new user what to do when there are no droplets', async () => {
    renderPage({ 'droplets.list': emptyPage });
    expect(await screen.findByText('No droplets yet')).toBeTruthy();
    expect(screen.getByRole('button', { name: /Create your first droplet/ })).toBeTruthy();
  });

  it('refreshes every 2 s while a droplet is provisioning, until it is active with an address', async () => {
    let calls = 0;
    renderPage({
      'droplets.list': () => {
        calls += 1;
        return { data: { items: [calls === 1 ? droplet('provisioning', null) : droplet('active', '10.0.0.7')], nextCursor: null } };
      },
    });
    const table = await screen.findByRole('table', { name: 'Droplets' });
    expect(within(table).getByText('Provisioning')).toBeTruthy();
    await waitFor(() => expect(within(table).getByText('10.0.0.7')).toBeTruthy(), { timeout: 5000 });
    expect(within(table).getByText('Active')).toBeTruthy();
  });

  it('deletes a droplet only after the user confirms', async () => {
    const deleted: unknown[] = [];
    renderPage({
      'droplets.list': { data: { items: [droplet('active', '10.0.0.7')], nextCursor: null } },
      'droplets.delete': (input) => {
        deleted.push(input);
        return { data: droplet('deleting', '10.0.0.7') };
      },
    });
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Delete droplet web-1' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(within(dialog).getByText('Delete droplet web-1?')).toBeTruthy();
    expect(deleted).toEqual([]);

    await user.click(within(dialog).getByRole('button', { name: 'Delete droplet' }));
    await waitFor(() => expect(deleted).toEqual([{ projectId, id: 'dpl_0123456789abcdefghij' }]));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
  });
});
