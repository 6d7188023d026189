import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { emptyPage, projectId, type FakeAnswer } from '../../test/fake-api.ts';
import { action, conflict, droplet, dropletId, page } from '../../test/fixtures.ts';
import { callsTo, descriptionOf, renderProjectRoutes } from '../../test/render.tsx';
import { DropletDetailPage } from './droplet-detail-page.tsx';

const sizes = {
  data: [
    { slug: 's-1vcpu-512mb-10gb', vcpus: 1, memoryMiB: 512, diskGiB: 10, description: '' },
    { slug: 's-1vcpu-1gb', vcpus: 1, memoryMiB: 1024, diskGiB: 25, description: '' },
    { slug: 's-2vcpu-4gb', vcpus: 2, memoryMiB: 4096, diskGiB: 80, description: '' },
  ],
};

const renderDetail = (answers: Record<string, FakeAnswer | ((input: unknown) => FakeAnswer)>) =>
  renderProjectRoutes(
    {
      'actions.list': emptyPage,
      'sshKeys.list': emptyPage,
      'volumes.list': emptyPage,
      'sizes.list': sizes,
      ...answers,
    },
    `/p/${projectId}/droplets/${dropletId}`,
    <Route path="droplets/:dropletId" element={<DropletDetailPage />} />,
  );

describe('DropletDetailPage', () => {
  it('shows the settings, runtime facts, sync error and the recent actions with their errors', async () => {
    renderDetail({
      'droplets.get': { data: droplet({ syncState: 'error', syncError: 'The image could not be pulled' }) },
      'actions.list': page([
        action({
          type: 'resize',
          resourceId: dropletId,
          status: 'errored',
          params: { size: 's-2vcpu-4gb' },
          error: 'The node has no room for 2 vCPUs',
        }),
      ]),
    });

    expect(await screen.findByRole('heading', { name: 'web-1' })).toBeTruthy();
    expect(screen.getByText('10.0.0.7')).toBeTruthy();
    expect(screen.getByText('node-1')).toBeTruthy();
    expect(screen.getAllByText('The image could not be pulled').length).toBeGreaterThan(0);
    const history = await screen.findByRole('table', { name: 'Recent actions' });
    expect(within(history).getByText('Resize to s-2vcpu-4gb')).toBeTruthy();
    expect(within(history).getByText('errored')).toBeTruthy();
    expect(within(history).getByText('The node has no room for 2 vCPUs')).toBeTruthy();
  });

  it("shows a stopped droplet's kept address, marked as stopped", async () => {
    renderDetail({
      'droplets.get': { data: droplet({ state: 'stopped', poweredOn: false, ip: '10.0.0.7' }) },
    });
    expect(await screen.findByText('10.0.0.7')).toBeTruthy();
    expect(screen.getByText(/stopped — kept for power-on/)).toBeTruthy();
    expect(screen.queryByText('Not assigned yet')).toBeNull();
  });

  it('shows the public address and a copyable ssh line through it', async () => {
    renderDetail({ 'droplets.get': { data: droplet({ publicIp: '198.51.100.10' }) } });
    expect(await screen.findByText('198.51.100.10')).toBeTruthy();
    expect(screen.getByText('ssh root@198.51.100.10')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy SSH command' })).toBeTruthy();
  });

  it('shows its reserved IP, and its ssh line goes through it rather than its own address', async () => {
    renderDetail({
      'droplets.get': { data: droplet({ publicIp: '198.51.100.10', reservedIp: '203.0.113.7' }) },
    });
    expect(await screen.findByText('203.0.113.7')).toBeTruthy();
    expect(screen.getByText('ssh root@203.0.113.7')).toBeTruthy();
    expect(screen.queryByText('ssh root@198.51.100.10')).toBeNull();
  });

  it('offers a reserved IP when it has none', async () => {
    renderDetail({ 'droplets.get': { data: droplet({ reservedIp: null }) } });
    expect((await screen.findByRole('link', { name: 'assign one' })).getAttribute('href')).toMatch(
      /\/reserved-ips$/,
    );
  });

  it('says the public address is on its way until the load balancer gives one', async () => {
    renderDetail({ 'droplets.get': { data: droplet({ publicIp: null }) } });
    expect(await screen.findByText(/waiting for the load balancer/)).toBeTruthy();
  });

  it('shows the boot log read from the console when asked, and again on refresh', async () => {
    const { fetch } = renderDetail({
      'droplets.get': { data: droplet() },
      'droplets.bootLog': {
        data: {
          dropletId,
          lines: ['[    0.000000] Linux version 6.1.0', 'web-1 login: '],
          capturedAt: new Date().toISOString(),
        },
      },
    });
    const show = await screen.findByRole('button', { name: 'Show boot log' });
    expect(callsTo(fetch, 'droplets.bootLog')).toHaveLength(0);
    await userEvent.click(show);
    const log = await screen.findByLabelText('Boot log');
    expect(log.textContent).toBe('[    0.000000] Linux version 6.1.0\nweb-1 login: ');
    await userEvent.click(screen.getByRole('button', { name: 'Refresh boot log' }));
    await waitFor(() => expect(callsTo(fetch, 'droplets.bootLog')).toHaveLength(2));
  });

  it('offers the screen (VNC) only while the droplet runs', async () => {
    renderDetail({ 'droplets.get': { data: droplet({ state: 'stopped', poweredOn: false }) } });
    expect((await screen.findByRole('button', { name: 'Open screen' })).hasAttribute('disabled')).toBe(true);
    expect(screen.getByText('The screen opens while the droplet runs (VNC).')).toBeTruthy();
  });

  it("says why the boot log cannot be read, in the API's words", async () => {
    renderDetail({
      'droplets.get': { data: droplet() },
      'droplets.bootLog': conflict('droplet web-1 is powered off: power it on to read its console'),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Show boot log' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'droplet web-1 is powered off: power it on to read its console',
    );
  });

  it('tells a viewer that the user data is hidden from them rather than showing none', async () => {
    renderDetail({ 'droplets.get': { data: droplet({ userData: null, userDataRedacted: true }) } });
    expect(await screen.findByText(/Hidden: viewers cannot read user data/)).toBeTruthy();
  });

  it('says so when the droplet does not exist', async () => {
    renderDetail({
      'droplets.get': {
        error: { message: 'No droplet with this id', status: 404, data: { code: 'NOT_FOUND' } },
      },
    });
    expect(await screen.findByText('This droplet does not exist')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Back to droplets' }).getAttribute('href')).toBe(
      `/p/${projectId}/droplets`,
    );
  });

  it(
    'powers on at once and shows the action in progress until it completes, then the new state',
    { timeout: 15_000 },
    async () => {
      const started = action({ type: 'powerOn', resourceId: dropletId });
      let on = false;
      let listed = 0;
      const { fetch } = renderDetail({
        'droplets.get': () => ({
          data: droplet(on && listed > 2 ? { state: 'active' } : { state: 'stopped', ip: null }),
        }),
        'droplets.powerOn': () => {
          on = true;
          return { data: started };
        },
        'actions.list': () => {
          if (!on) return emptyPage;
          listed += 1;
          return page([
            listed > 2 ? { ...started, status: 'completed', completedAt: new Date().toISOString() } : started,
          ]);
        },
        'actions.get': () => ({ data: listed > 2 ? { ...started, status: 'completed' } : started }),
      });
      const user = userEvent.setup();

      await user.click(await screen.findByRole('button', { name: 'Power on' }));

      expect(callsTo(fetch, 'droplets.powerOn')).toEqual([{ projectId, id: dropletId }]);
      expect(await screen.findByText('Powering on…')).toBeTruthy();
      // Other actions wait for this one.
      expect(screen.getByRole('button', { name: 'Reboot' }).hasAttribute('disabled')).toBe(true);
      await waitFor(
        () =>
          expect(screen.getByRole('heading', { name: 'web-1' }).parentElement?.textContent).toContain(
            'active',
          ),
        {
          timeout: 8000,
        },
      );
      expect(
        within(screen.getByRole('table', { name: 'Recent actions' })).getByText('completed'),
      ).toBeTruthy();
    },
  );

  it("refuses a resize to the same size in the browser and shows the server's field error next to the size", async () => {
    const { fetch } = renderDetail({
      'droplets.get': { data: droplet({ state: 'stopped' }) },
      'droplets.resize': {
        error: {
          message: 'size: the cluster has no node with 4 GiB free',
          status: 400,
          data: {
            code: 'BAD_REQUEST',
            field: 'size',
            fieldErrors: { size: ['the cluster has no node with 4 GiB free'] },
          },
        },
      },
    });
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Resize' }));
    const dialog = await screen.findByRole('dialog');
    const size = within(dialog).getByLabelText('New size');
    await user.click(within(dialog).getByRole('button', { name: 'Resize' }));
    await waitFor(() => expect(descriptionOf(size)).toContain('is already the size of web-1'));
    expect(callsTo(fetch, 'droplets.resize')).toEqual([]);

    await user.selectOptions(size, 's-1vcpu-512mb-10gb');
    await user.click(within(dialog).getByRole('button', { name: 'Resize' }));
    await waitFor(() => expect(descriptionOf(size)).toContain("a droplet's disk (25 GiB) cannot shrink"));

    await user.selectOptions(size, 's-2vcpu-4gb');
    await user.click(within(dialog).getByRole('button', { name: 'Resize' }));
    await waitFor(() => expect(descriptionOf(size)).toContain('the cluster has no node with 4 GiB free'));
    expect(callsTo(fetch, 'droplets.resize')).toEqual([{ projectId, id: dropletId, size: 's-2vcpu-4gb' }]);
  });

  it.each([
    ['active', 'The droplet keeps running.', 'powered off'],
    ['stopped', 'The droplet stays powered off.', 'keeps running'],
  ] as const)(
    'says in the snapshot dialog what happens to a droplet that is %s',
    async (state, words, not) => {
      renderDetail({ 'droplets.get': { data: droplet({ state, poweredOn: state === 'active' }) } });
      const user = userEvent.setup();
      await user.click(await screen.findByRole('button', { name: 'Snapshot' }));
      const dialog = await screen.findByRole('dialog');
      expect(dialog.textContent).toContain(words);
      expect(dialog.textContent).not.toContain(not);
    },
  );

  it('offers resize only once the droplet is powered off, and says why', async () => {
    renderDetail({ 'droplets.get': { data: droplet({ state: 'active' }) } });
    const resize = await screen.findByRole('button', { name: 'Resize' });
    expect(resize.hasAttribute('disabled')).toBe(true);
    expect(resize.getAttribute('title')).toBe('Power the droplet off first');
  });

  it('shows plainly that an action is already in progress when the API answers CONFLICT', async () => {
    renderDetail({
      'droplets.get': { data: droplet() },
      'droplets.reboot': conflict('web-1 has an action in progress (snapshot); wait for it to finish'),
    });
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Reboot' }));
    const confirm = await screen.findByRole('alertdialog');
    await user.click(within(confirm).getByRole('button', { name: 'Reboot' }));

    const alert = await within(confirm).findByRole('alert');
    expect(alert.textContent).toBe(
      'Not started: web-1 has an action in progress (snapshot); wait for it to finish',
    );
  });

  it('puts a refusal of an action that runs without a dialog in the tray', async () => {
    renderDetail({
      'droplets.get': { data: droplet({ state: 'stopped', ip: null }) },
      'droplets.powerOn': conflict('web-1 has an action in progress (rebuild); wait for it to finish'),
    });
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Power on' }));

    const tray = await screen.findByRole('region', { name: 'Actions' });
    const alert = await within(tray).findByRole('alert');
    expect(alert.textContent).toContain('Power on web-1: not started');
    expect(alert.textContent).toContain(
      'Not started: web-1 has an action in progress (rebuild); wait for it to finish',
    );
    await user.click(within(alert).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('region', { name: 'Actions' })).toBeNull();
  });

  it('tells the tray as soon as the page learns that the action ended', async () => {
    const started = action({ type: 'powerOn', resourceId: dropletId });
    let on = false;
    renderDetail({
      'droplets.get': { data: droplet({ state: 'stopped', ip: null }) },
      'droplets.powerOn': () => {
        on = true;
        return { data: started };
      },
      // The page's history already knows; the tray's own poll has not come round yet.
      'actions.list': () => (on ? page([{ ...started, status: 'completed' }]) : emptyPage),
      'actions.get': { data: started },
    });
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Power on' }));

    const tray = await screen.findByRole('region', { name: 'Actions' });
    await waitFor(() => expect(within(tray).getByText(/Powered on/)).toBeTruthy());
  });

  it('deletes after confirming, returns to the list and does not ask for the deleted droplet again', async () => {
    const { fetch } = renderProjectRoutes(
      {
        'actions.list': emptyPage,
        'sshKeys.list': emptyPage,
        'volumes.list': emptyPage,
        'droplets.get': { data: droplet() },
        'droplets.list': emptyPage,
        'droplets.delete': () => ({ data: droplet({ state: 'deleting' }) }),
      },
      `/p/${projectId}/droplets/${dropletId}`,
      <>
        <Route path="droplets" element={<p>the list</p>} />
        <Route path="droplets/:dropletId" element={<DropletDetailPage />} />
      </>,
    );
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    const confirm = await screen.findByRole('alertdialog');
    expect(within(confirm).getByText('Delete droplet web-1?')).toBeTruthy();
    await user.click(within(confirm).getByRole('button', { name: 'Delete droplet' }));

    expect(await screen.findByText('the list')).toBeTruthy();
    expect(callsTo(fetch, 'droplets.delete')).toEqual([{ projectId, id: dropletId }]);
    expect(callsTo(fetch, 'droplets.get')).toHaveLength(1);
  });
});
