import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { createApiClient } from '../lib/trpc.ts';
import { session } from '../lib/session.ts';
import { AppRoutes } from '../routes/app-routes.tsx';
import { emptyPage, fakeApi, projectId, unauthorized, whoami } from '../test/fake-api.ts';
import { ApiProvider, createQueryClient } from './api-provider.tsx';

const renderApp = (fetch: typeof globalThis.fetch, path: string) =>
  render(
    <ApiProvider
      client={createApiClient({ getToken: session.getToken, url: 'http://api.test/trpc', fetch })}
      queryClient={createQueryClient()}
    >
      <MemoryRouter initialEntries={[path]}>
        <AppRoutes />
      </MemoryRouter>
    </ApiProvider>,
  );

describe('signing in', () => {
  it('checks the token with whoami, keeps it for the tab and opens the page asked for', async () => {
    const fetch = fakeApi({ 'auth.whoami': whoami, 'droplets.list': emptyPage });
    renderApp(fetch, `/p/${projectId}/droplets`);
    const user = userEvent.setup();

    await user.type(await screen.findByLabelText('API token'), 'secret-token');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByText('No droplets yet')).toBeTruthy();
    expect(sessionStorage.getItem('uncloud.token')).toBe('secret-token');
    const [, init] = fetch.mock.calls[0]!;
    expect(new Headers(init?.headers).get('authorization')).toBe('Bearer secret-token');
  });

  it('explains a token the server refuses and keeps nothing', async () => {
    renderApp(fakeApi({ 'auth.whoami': unauthorized }), '/');
    const user = userEvent.setup();

    await user.type(await screen.findByLabelText('API token'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect((await screen.findByRole('alert')).textContent).toContain('does not accept this token');
    expect(sessionStorage.getItem('uncloud.token')).toBeNull();
  });

  it('returns to sign-in when any call answers 401', async () => {
    session.setToken('revoked-token');
    renderApp(fakeApi({ 'auth.whoami': whoami, 'droplets.list': unauthorized }), `/p/${projectId}/droplets`);

    expect(await screen.findByLabelText('API token')).toBeTruthy();
    await waitFor(() => expect(sessionStorage.getItem('uncloud.token')).toBeNull());
  });

  it('signs out from the user menu in the header', async () => {
    session.setToken('good-token');
    renderApp(
      fakeApi({
        'auth.whoami': whoami,
        'droplets.list': emptyPage,
        'volumes.list': emptyPage,
        'apps.list': emptyPage,
        'databases.list': emptyPage,
        'sshKeys.list': emptyPage,
        'firewalls.list': emptyPage,
      }),
      `/p/${projectId}`,
    );
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Account of ada' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Sign out' }));

    expect(await screen.findByLabelText('API token')).toBeTruthy();
    expect(sessionStorage.getItem('uncloud.token')).toBeNull();
  });

  it('keeps the token in memory for the page when the browser refuses storage', () => {
    const refuse = vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('storage is disabled', 'SecurityError');
    });
    try {
      session.setToken('memory-token');
      expect(session.getToken()).toBe('memory-token');
      session.clear();
      expect(session.getToken()).toBeNull();
    } finally {
      refuse.mockRestore();
    }
  });
});
