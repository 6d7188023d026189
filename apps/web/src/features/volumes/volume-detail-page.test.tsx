import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { emptyPage, projectId, type FakeAnswer } from '../../test/fake-api.ts';
import { action, droplet, dropletId, page, volume, volumeId } from '../../test/fixtures.ts';
import { callsTo, descriptionOf, renderProjectRoutes } from '../../test/render.tsx';
import { VolumeDetailPage } from './volume-detail-page.tsx';

const renderDetail = (answers: Record<string, FakeAnswer | ((input: unknown) => FakeAnswer)>) =>
  renderProjectRoutes(
    { 'actions.list': emptyPage, 'droplets.list': page([droplet()]), ...answers },
    `/p/${projectId}/volumes/${volumeId}`,
    <Route path="volumes/:volumeId" element={<VolumeDetailPage />} />,
  );

const attachAction = action({
  type: 'attach',
  resourceKind: 'volume',
  resourceId: volumeId,
  params: { dropletId },
});

describe('VolumeDetailPage', () => {
  it('attaches to a droplet the user picks, asking for one first', async () => {
    const { fetch } = renderDetail({
      'volumes.get': { data: volume() },
      'volumes.attach': () => ({ data: attachAction }),
      'actions.get': () => ({ data: attachAction }),
    });
    const user = userEvent.setup();

    expect(screen.queryByRole('button', { name: 'Detach' })).toBeNull();
    await user.click(await screen.findByRole('button', { name: 'Attach' }));
    const dialog = await screen.findByRole('dialog', { name: 'Attach data' });
    const select = within(dialog).getByLabelText('Droplet');
    await user.click(within(dialog).getByRole('button', { name: 'Attach' }));
    await waitFor(() => expect(descriptionOf(select)).toContain('choose a droplet'));

    await within(dialog).findByRole('option', { name: 'web-1 (active)' });
    await user.selectOptions(select, dropletId);
    await user.click(within(dialog).getByRole('button', { name: 'Attach' }));
    await waitFor(() =>
      expect(callsTo(fetch, 'volumes.attach')).toEqual([{ projectId, id: volumeId, dropletId }]),
    );
    const tray = await screen.findByRole('region', { name: 'Actions' });
    expect(within(tray).getByText(/Attaching…/)).toBeTruthy();
  });

  it('offers detach for an attached volume and names the droplet', async () => {
    renderDetail({ 'volumes.get': { data: volume({ dropletId }) }, 'droplets.get': { data: droplet() } });
    expect(await screen.findByRole('button', { name: 'Detach' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Attach' })).toBeNull();
    expect(await screen.findByRole('link', { name: 'web-1' })).toBeTruthy();
  });

  it('only grows a volume', async () => {
    const { fetch } = renderDetail({ 'volumes.get': { data: volume({ sizeGiB: 10 }) } });
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Resize' }));
    const dialog = await screen.findByRole('dialog', { name: 'Resize data' });
    const size = within(dialog).getByLabelText('New size (GiB)');
    await user.clear(size);
    await user.type(size, '5');
    await user.click(within(dialog).getByRole('button', { name: 'Resize' }));
    await waitFor(() =>
      expect(descriptionOf(size)).toContain(
        'must be more than the current 10 GiB: volumes grow, never shrink',
      ),
    );
    expect(callsTo(fetch, 'volumes.resize')).toEqual([]);
  });
});
