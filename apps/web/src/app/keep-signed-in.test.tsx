import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../lib/trpc.ts';
import { session } from '../lib/session.ts';
import { AppRoutes } from '../routes/app-routes.tsx';
import { SignInPage } from '../features/auth/sign-in-page.tsx';
import { fakeApi, whoami } from '../test/fake-api.ts';
import { renderWithApi } from '../test/render.tsx';
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

afterEach(() => session.clear());

describe('keep me signed in', () => {
  it('keeps the token for this tab only unless asked', async () => {
    renderWithApi({}, <SignInPage />);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('API token'), 'tab-token');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(session.getToken()).toBe('tab-token'));
    expect(sessionStorage.getItem('uncloud.token')).toBe('tab-token');
    expect(localStorage.getItem('uncloud.token')).toBeNull();
  });

  it('keeps the token for new tabs when ticked, and signing out forgets it everywhere', async () => {
    renderWithApi({}, <SignInPage />);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('API token'), 'kept-token');
    await user.click(screen.getByRole('checkbox', { name: /Keep me signed in/ }));
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(session.getToken()).toBe('kept-token'));
    expect(localStorage.getItem('uncloud.token')).toBe('kept-token');
    expect(sessionStorage.getItem('uncloud.token')).toBeNull();
    // A new tab starts with an empty sessionStorage and still finds the token.
    expect(session.getToken()).toBe('kept-token');

    session.clear();
    expect(localStorage.getItem('uncloud.token')).toBeNull();
    expect(session.getToken()).toBeNull();
  });

  it('follows another tab signing out', async () => {
    session.setToken('kept-token', { keep: true });
    let seen = 0;
    const stop = session.subscribe(() => (seen += 1));
    localStorage.removeItem('uncloud.token');
    window.dispatchEvent(new StorageEvent('storage', { key: 'uncloud.token', newValue: null }));
    stop();
    expect(seen).toBe(1);
    expect(session.getToken()).toBeNull();
  });
});

describe('an address with a malformed project id', () => {
  it('shows page-not-found at once, without asking for the project', async () => {
    session.setToken('t');
    const fetch = fakeApi({ 'auth.whoami': whoami });
    renderApp(fetch, '/p/nonsense/droplets');
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeTruthy();
    await waitFor(() => expect(fetch).toHaveBeenCalled());
    const asked = fetch.mock.calls.map(([url]) => decodeURIComponent(String(url)));
    expect(asked.filter((u) => !u.includes('auth.whoami'))).toEqual([]);
  });
});
