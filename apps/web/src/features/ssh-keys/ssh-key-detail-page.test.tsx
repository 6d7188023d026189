import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { projectId } from '../../test/fake-api.ts';
import { droplet, page } from '../../test/fixtures.ts';
import { callsTo, descriptionOf, renderProjectRoutes } from '../../test/render.tsx';
import { SshKeyDetailPage } from './ssh-key-detail-page.tsx';

const keyId = 'sk_0123456789abcdefghij';
const sshKey = {
  id: keyId,
  projectId,
  name: 'laptop',
  publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH me@host',
  fingerprint: 'SHA256:abc',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('SshKeyDetailPage', () => {
  it('shows the key, the droplets that trust it, and a rename refused by the server next to the name', async () => {
    const { fetch } = renderProjectRoutes(
      {
        'sshKeys.get': { data: sshKey },
        'droplets.list': page([
          droplet({ sshKeyIds: [keyId] as never }),
          droplet({ id: 'dpl_zzzzzzzzzzzzzzzzzzzz' as never, name: 'db-1' }),
        ]),
        'sshKeys.update': {
          error: {
            message: 'An SSH key named "desktop" already exists in this project',
            status: 409,
            data: { code: 'CONFLICT', field: 'name' },
          },
        },
      },
      `/p/${projectId}/ssh-keys/${keyId}`,
      <Route path="ssh-keys/:sshKeyId" element={<SshKeyDetailPage />} />,
    );
    const user = userEvent.setup();

    expect(await screen.findByRole('heading', { name: 'laptop' })).toBeTruthy();
    expect(screen.getByText(sshKey.publicKey)).toBeTruthy();
    expect(await screen.findByRole('link', { name: 'web-1' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'db-1' })).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Rename laptop' });
    const name = within(dialog).getByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'desktop');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() =>
      expect(descriptionOf(name)).toContain('An SSH key named "desktop" already exists in this project'),
    );
    expect(callsTo(fetch, 'sshKeys.update')).toEqual([{ projectId, id: keyId, name: 'desktop' }]);
  });
});
