import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { projectId, whoamiAs, type FakeAnswer } from '../../test/fake-api.ts';
import { callsTo, renderProjectRoutes } from '../../test/render.tsx';
import { RegistryPage } from './registry-page.tsx';

const info = (canPush: boolean, enabled = true): FakeAnswer => ({
  data: enabled
    ? { enabled, host: 'registry.example.com', prefix: 'registry.example.com/shop/', canPush }
    : { enabled, host: null, prefix: null, canPush },
});

const answers = (role: 'viewer' | 'member', extra: Record<string, FakeAnswer> = {}) => ({
  'auth.whoami': whoamiAs(role),
  'registry.info': info(role !== 'viewer'),
  'registry.repositories': {
    data: [{ name: 'shop/api', image: 'registry.example.com/shop/api', tags: ['1.0', 'latest'] }],
  },
  'registry.tags': {
    data: [
      {
        name: '1.0',
        digest: `sha256:${'a'.repeat(64)}`,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        sizeBytes: 12_345_678,
      },
      { name: 'latest', digest: null, mediaType: null, sizeBytes: null },
    ],
  },
  'registry.listCredentials': { data: [] },
  ...extra,
});

const renderPage = (a: Record<string, FakeAnswer>) =>
  renderProjectRoutes(a, `/p/${projectId}/registry`, <Route path="registry" element={<RegistryPage />} />);

describe('RegistryPage', () => {
  it('gives the docker lines to copy, lists repositories, and shows tags with digest and size', async () => {
    renderPage(answers('member'));
    expect(await screen.findByText('docker login registry.example.com')).toBeTruthy();
    expect(screen.getByText('docker tag my-app:1.0 registry.example.com/shop/my-app:1.0')).toBeTruthy();
    expect(screen.getByText('docker push registry.example.com/shop/my-app:1.0')).toBeTruthy();
    const repos = await screen.findByRole('table', { name: 'Repositories' });
    expect(within(repos).getByText('registry.example.com/shop/api')).toBeTruthy();
    expect(within(repos).getByText('1.0, latest')).toBeTruthy();
    await userEvent.click(within(repos).getByRole('button', { name: 'Show tags' }));
    const tags = await screen.findByRole('table', { name: 'Tags of api' });
    expect(within(tags).getByText('12.3 MB')).toBeTruthy();
    expect(within(tags).getByText(`sha256:${'a'.repeat(12)}…`)).toBeTruthy();
  });

  it('tells a viewer to pull, and disables adding credentials with the reason', async () => {
    renderPage(answers('viewer'));
    expect(await screen.findByText('docker pull registry.example.com/shop/my-app:1.0')).toBeTruthy();
    expect(screen.queryByText(/docker push/)).toBeNull();
    expect(screen.getByRole('button', { name: 'Add credentials' })).toHaveProperty('disabled', true);
    expect(screen.getByRole('note').textContent).toContain(
      "Viewers can't add or delete registry credentials",
    );
  });

  it('says so when the server runs no registry, and reads no repositories', async () => {
    const a = answers('member', { 'registry.info': info(true, false) });
    const { fetch } = renderPage(a);
    expect(await screen.findByText('This server runs no registry')).toBeTruthy();
    expect(callsTo(fetch, 'registry.repositories')).toEqual([]);
  });

  it('adds credentials for another registry, sending the password once', async () => {
    const created: FakeAnswer = {
      data: {
        id: 'rcred_0123456789abcdefghij',
        projectId,
        name: 'github',
        server: 'ghcr.io',
        username: 'octo',
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
      },
    };
    const { fetch } = renderPage(answers('member', { 'registry.createCredential': created }));
    await userEvent.click(await screen.findByRole('button', { name: 'Add credentials' }));
    await userEvent.type(screen.getByLabelText('Name'), 'github');
    await userEvent.type(screen.getByLabelText('Registry'), 'ghcr.io');
    await userEvent.type(screen.getByLabelText('User name'), 'octo');
    await userEvent.type(screen.getByLabelText('Password or access token'), 's3cret');
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', { name: 'Add credentials' }),
    );
    await expect
      .poll(() => callsTo(fetch, 'registry.createCredential'))
      .toEqual([{ projectId, name: 'github', server: 'ghcr.io', username: 'octo', password: 's3cret' }]);
  });
});
