import { screen, within } from '@testing-library/react';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { DropletDetailPage } from '../features/droplets/droplet-detail-page.tsx';
import { DropletsPage } from '../features/droplets/droplets-page.tsx';
import { describeAction } from '../lib/action-labels.ts';
import { emptyPage, projectId } from './fake-api.ts';
import { droplet, dropletId, page } from './fixtures.ts';
import { renderProjectRoutes } from './render.tsx';

const answers = {
  'actions.list': emptyPage,
  'sshKeys.list': emptyPage,
  'volumes.list': emptyPage,
  'droplets.list': page([droplet()]),
  'droplets.get': { data: droplet() },
};

describe('copy buttons and display names', () => {
  it("offers the droplet's id, address and SSH command to copy", async () => {
    renderProjectRoutes(
      answers,
      `/p/${projectId}/droplets/${dropletId}`,
      <Route path="droplets/:dropletId" element={<DropletDetailPage />} />,
    );
    expect(await screen.findByText('ssh root@10.0.0.7')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy SSH command' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy IP address' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy ID' })).toBeTruthy();
    expect(screen.getByText('Ubuntu 24.04 LTS')).toBeTruthy();
  });

  it('shows images by their display name in the list, with the address to copy', async () => {
    renderProjectRoutes(
      answers,
      `/p/${projectId}/droplets`,
      <Route path="droplets" element={<DropletsPage />} />,
    );
    const table = await screen.findByRole('table', { name: 'Droplets' });
    expect(within(table).getByText('Ubuntu 24.04 LTS')).toBeTruthy();
    expect(within(table).queryByText('ubuntu-24-04')).toBeNull();
    expect(within(table).getByRole('button', { name: "Copy web-1's address" })).toBeTruthy();
  });

  it('names the image of a rebuild by its display name', () => {
    expect(describeAction({ type: 'rebuild', params: { image: 'debian-12' } })).toBe(
      'Rebuild with Debian 12',
    );
    expect(describeAction({ type: 'deploy', params: { image: 'nginx:1.27' } })).toBe(
      'Deploy with nginx:1.27',
    );
  });
});
