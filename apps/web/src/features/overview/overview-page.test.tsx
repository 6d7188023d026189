import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { callsTo } from '../../test/render.tsx';
import { droplet, dropletId, page } from '../../test/fixtures.ts';
import { adminWhoami, renderInProject } from './overview-test-api.tsx';
import { OverviewPage } from './overview-page.tsx';

describe('OverviewPage', () => {
  it('counts each kind by state', async () => {
    renderInProject(<OverviewPage />, {
      'droplets.list': page([
        droplet({ state: 'active' }),
        droplet({ id: 'dpl_1111111111abcdefghij' as typeof dropletId, name: 'web-2', state: 'active' }),
        droplet({ id: 'dpl_2222222222abcdefghij' as typeof dropletId, name: 'web-3', state: 'stopped' }),
      ]),
    });
    expect(await screen.findByLabelText('Droplets: 3')).toBeTruthy();
    const states = screen.getByRole('list', { name: 'Droplets by state' });
    expect(
      within(states)
        .getAllByRole('listitem')
        .map((li) => li.textContent?.replace(/\s+/g, ' ').trim()),
    ).toEqual(['active 2', 'stopped 1']);
    expect(screen.getByLabelText('Apps: 0')).toBeTruthy();
    expect(screen.queryByText('Get started')).toBeNull();
  });

  it('tells a new project what to do first', async () => {
    renderInProject(<OverviewPage />);
    expect(await screen.findByText('Get started')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Add an SSH key' }).getAttribute('href')).toMatch(/\/ssh-keys$/);
  });

  it('shows sync health and the cluster mode to an administrator', async () => {
    renderInProject(<OverviewPage />, { 'auth.whoami': adminWhoami });
    expect(await screen.findByText('Cluster reachable')).toBeTruthy();
    expect(screen.getByText('Simulated')).toBeTruthy();
  });

  it('explains to other users that sync health is for administrators, without asking for it', async () => {
    const { fetch } = renderInProject(<OverviewPage />);
    expect(await screen.findByText(/shown to administrators/)).toBeTruthy();
    await waitFor(() => expect(callsTo(fetch, 'usage.list')).toHaveLength(1));
    expect(callsTo(fetch, 'sync.status')).toEqual([]);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('names the resource each recent action acted on', async () => {
    renderInProject(<OverviewPage />, {
      'droplets.list': page([droplet({ name: 'web-1' })]),
      'actions.list': page([
        {
          id: 'act_0123456789abcdefghij',
          projectId: droplet().projectId,
          type: 'powerOff',
          resourceKind: 'droplet',
          resourceId: dropletId,
          status: 'completed',
          params: {},
          error: null,
          startedAt: new Date().toISOString(),
          completedAt: new Date().toISOString(),
        },
      ]),
    });
    const table = await screen.findByRole('table', { name: 'Recent actions' });
    await waitFor(() => expect(within(table).getByRole('link', { name: 'web-1' })).toBeTruthy());
    expect(within(table).getByText('Power off')).toBeTruthy();
    expect(within(table).getByText('completed')).toBeTruthy();
  });
});
