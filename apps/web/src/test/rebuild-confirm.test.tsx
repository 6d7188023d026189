import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { DropletDetailPage } from '../features/droplets/droplet-detail-page.tsx';
import { emptyPage, projectId } from './fake-api.ts';
import { action, droplet, dropletId } from './fixtures.ts';
import { callsTo, descriptionOf, renderProjectRoutes } from './render.tsx';

describe('rebuilding a droplet', () => {
  it('asks for the droplet name to be typed, and sends only the image', async () => {
    const { fetch } = renderProjectRoutes(
      {
        'actions.list': emptyPage,
        'sshKeys.list': emptyPage,
        'volumes.list': emptyPage,
        'droplets.get': { data: droplet() },
        'droplets.rebuild': { data: action({ type: 'rebuild', resourceId: dropletId }) },
      },
      `/p/${projectId}/droplets/${dropletId}`,
      <Route path="droplets/:dropletId" element={<DropletDetailPage />} />,
    );
    const user = userEvent.setup();
    await user.click((await screen.findAllByRole('button', { name: 'Rebuild' }))[0]!);
    const dialog = await screen.findByRole('dialog');
    const typed = within(dialog).getByLabelText('Type web-1 to confirm');
    fireEvent.change(typed, { target: { value: 'web-2' } });
    await user.click(within(dialog).getByRole('button', { name: 'Rebuild' }));
    await waitFor(() => expect(descriptionOf(typed)).toContain('Type web-1 to confirm that everything'));
    expect(callsTo(fetch, 'droplets.rebuild')).toEqual([]);

    fireEvent.change(typed, { target: { value: 'web-1' } });
    await user.click(within(dialog).getByRole('button', { name: 'Rebuild' }));
    await waitFor(() =>
      expect(callsTo(fetch, 'droplets.rebuild')).toEqual([
        { projectId, id: dropletId, image: 'ubuntu-24-04' },
      ]),
    );
  });
});
