import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { emptyPage, projectId, type FakeAnswer } from '../../test/fake-api.ts';
import { action, droplet, dropletId, page } from '../../test/fixtures.ts';
import { callsTo, renderProjectRoutes } from '../../test/render.tsx';
import { DropletsPage } from './droplets-page.tsx';

const renderPage = (answers: Record<string, FakeAnswer | ((input: unknown) => FakeAnswer)>) =>
  renderProjectRoutes(
    { 'actions.list': emptyPage, ...answers },
    `/p/${projectId}/droplets`,
    <Route path="droplets" element={<DropletsPage />} />,
  );

describe('DropletsPage', () => {
  it('lists each droplet with its public and private address', async () => {
    renderPage({ 'droplets.list': page([droplet({ publicIp: '198.51.100.10', ip: '10.0.0.7' })]) });
    const table = await screen.findByRole('table', { name: 'Droplets' });
    expect(within(table).getByText('198.51.100.10')).toBeTruthy();
    expect(within(table).getByText('10.0.0.7')).toBeTruthy();
    expect(within(table).getByRole('columnheader', { name: 'Public IP' })).toBeTruthy();
  });

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
        return page([
          calls === 1
            ? droplet({ state: 'provisioning', ip: null })
            : droplet({ state: 'active', ip: '10.0.0.7' }),
        ]);
      },
    });
    const table = await screen.findByRole('table', { name: 'Droplets' });
    expect(within(table).getByText('provisioning')).toBeTruthy();
    await waitFor(() => expect(within(table).getByText('10.0.0.7')).toBeTruthy(), { timeout: 5000 });
    expect(within(table).getByText('active')).toBeTruthy();
  });

  it('links each droplet to its detail page', async () => {
    renderPage({ 'droplets.list': page([droplet()]) });
    const link = await screen.findByRole('link', { name: 'web-1' });
    expect(link.getAttribute('href')).toBe(`/p/${projectId}/droplets/${dropletId}`);
  });

  it('deletes a droplet only after the user confirms', async () => {
    const { fetch } = renderPage({
      'droplets.list': page([droplet()]),
      'droplets.delete': () => ({ data: droplet({ state: 'deleting' }) }),
    });
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Delete droplet web-1' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(within(dialog).getByText('Delete droplet web-1?')).toBeTruthy();
    expect(callsTo(fetch, 'droplets.delete')).toEqual([]);

    await user.click(within(dialog).getByRole('button', { name: 'Delete droplet' }));
    await waitFor(() => expect(callsTo(fetch, 'droplets.delete')).toEqual([{ projectId, id: dropletId }]));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
  });

  it(
    'powers a droplet off from its row and follows the action until the row says stopped',
    { timeout: 15_000 },
    async () => {
      let poweredOff = false;
      let polls = 0;
      const started = action({ type: 'powerOff', resourceId: dropletId });
      const { fetch } = renderPage({
        'droplets.list': () => page([droplet(poweredOff && polls > 1 ? { state: 'stopped', ip: null } : {})]),
        'droplets.powerOff': () => {
          poweredOff = true;
          return { data: started };
        },
        'actions.get': () => {
          polls += 1;
          return {
            data:
              polls > 1
                ? { ...started, status: 'completed', completedAt: new Date().toISOString() }
                : started,
          };
        },
      });
      const user = userEvent.setup();

      const table = await screen.findByRole('table', { name: 'Droplets' });
      expect(within(table).queryByRole('button', { name: 'Power on' })).toBeNull();
      await user.click(within(table).getByRole('button', { name: 'Power off' }));
      const confirm = await screen.findByRole('alertdialog');
      expect(within(confirm).getByText('Power off web-1?')).toBeTruthy();
      await user.click(within(confirm).getByRole('button', { name: 'Power off' }));

      expect(callsTo(fetch, 'droplets.powerOff')).toEqual([{ projectId, id: dropletId }]);
      const tray = await screen.findByRole('region', { name: 'Actions' });
      expect(await within(tray).findByText(/Powering off…/)).toBeTruthy();
      await waitFor(() => expect(within(tray).getByText(/Powered off/)).toBeTruthy(), { timeout: 5000 });
      await waitFor(() => expect(within(table).getByText('stopped')).toBeTruthy());
    },
  );

  it('shows on its row what is being done to a droplet, even when started elsewhere', async () => {
    renderPage({
      'droplets.list': page([droplet()]),
      'actions.list': page([action({ type: 'reboot', resourceId: dropletId })]),
    });
    const table = await screen.findByRole('table', { name: 'Droplets' });
    expect(await within(table).findByText('Rebooting…')).toBeTruthy();
  });

  it("keeps the other actions and the details page in the row's menu", async () => {
    const started = action({ type: 'reboot', resourceId: dropletId });
    const { fetch } = renderPage({
      'droplets.list': page([droplet()]),
      'droplets.reboot': () => ({ data: started }),
      'actions.get': { data: started },
    });
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'More actions for droplet web-1' }));
    const details = await screen.findByRole('menuitem', { name: 'View details' });
    expect(details.getAttribute('href')).toBe(`/p/${projectId}/droplets/${dropletId}`);
    expect(screen.getByRole('menuitem', { name: 'Resize' }).getAttribute('aria-disabled')).toBe('true');
    await user.click(screen.getByRole('menuitem', { name: 'Reboot' }));
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Reboot' }));
    await waitFor(() => expect(callsTo(fetch, 'droplets.reboot')).toEqual([{ projectId, id: dropletId }]));
  });
});
