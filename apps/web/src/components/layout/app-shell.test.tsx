import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiProvider, createQueryClient } from '../../app/api-provider.tsx';
import { createApiClient } from '../../lib/trpc.ts';
import { fakeApi, projectId, whoami, type FakeAnswer } from '../../test/fake-api.ts';
import { AppShell } from './app-shell.tsx';

const otherProjectId = 'proj_abcdefghij0123456789';
const twoProjects: FakeAnswer = {
  data: {
    ...(whoami as { data: object }).data,
    projects: [
      { id: projectId, name: 'shop', role: 'owner' },
      { id: otherProjectId, name: 'blog', role: 'member' },
    ],
  },
};

function Where() {
  return <p data-testid="where">{useLocation().pathname}</p>;
}

const renderShell = (path: string, me: FakeAnswer = whoami) =>
  render(
    <ApiProvider
      client={createApiClient({
        getToken: () => 't',
        url: 'http://api.test/trpc',
        fetch: fakeApi({ 'auth.whoami': me }),
      })}
      queryClient={createQueryClient()}
    >
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route element={<AppShell />}>
            <Route path="p/:projectId/*" element={<Where />} />
          </Route>
        </Routes>
      </MemoryRouter>
    </ApiProvider>,
  );

afterEach(() => {
  localStorage.clear();
  document.documentElement.classList.remove('dark');
});

describe('AppShell', () => {
  it('groups the sidebar by resource and marks the section in view', async () => {
    renderShell(`/p/${projectId}/droplets/dpl_0123456789abcdefghij`);
    const nav = await screen.findByRole('navigation', { name: 'Sections' });
    const compute = within(nav).getByRole('group', { name: 'Compute' });
    expect(
      within(compute)
        .getAllByRole('link')
        .map((l) => l.textContent),
    ).toEqual(['Droplets', 'Apps']);
    expect(within(nav).getByRole('link', { name: 'Droplets' }).getAttribute('aria-current')).toBe('page');
    expect(within(nav).getByRole('link', { name: 'Overview' }).getAttribute('aria-current')).toBeNull();
    expect(within(nav).getByRole('link', { name: 'Settings' }).getAttribute('href')).toBe(
      `/p/${projectId}/settings`,
    );
  });

  it('switches project and stays on the same section', async () => {
    renderShell(`/p/${projectId}/droplets/dpl_0123456789abcdefghij`, twoProjects);
    const user = userEvent.setup();
    const switcher = await screen.findByRole('combobox', { name: 'Project' });
    await waitFor(() => expect(within(switcher).getAllByRole('option')).toHaveLength(2));

    await user.selectOptions(switcher, 'blog');

    expect(screen.getByTestId('where').textContent).toBe(`/p/${otherProjectId}/droplets`);
    expect(localStorage.getItem('uncloud.project')).toBe(otherProjectId);
  });

  it('turns dark mode on and off and remembers the choice', async () => {
    renderShell(`/p/${projectId}`);
    const user = userEvent.setup();
    const toggle = await screen.findByRole('button', { name: 'Dark mode' });
    expect(toggle.getAttribute('aria-pressed')).toBe('false');

    await user.click(toggle);
    expect(document.documentElement.classList.contains('dark')).toBe(true);
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    expect(localStorage.getItem('uncloud.theme')).toBe('dark');

    await user.click(toggle);
    expect(document.documentElement.classList.contains('dark')).toBe(false);
    expect(localStorage.getItem('uncloud.theme')).toBe('light');
  });

  it('shows who is signed in, with their role, in the user menu', async () => {
    renderShell(`/p/${projectId}`, {
      data: {
        ...(whoami as { data: { user: object } }).data,
        user: { ...(whoami as { data: { user: object } }).data.user, name: 'root', isAdmin: true },
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Account of root (administrator)' }));
    const menu = await screen.findByRole('menu');
    expect(within(menu).getByText('Administrator')).toBeTruthy();
    expect(within(menu).getByRole('menuitem', { name: 'API tokens' }).getAttribute('href')).toBe('/tokens');
    expect(within(menu).getByRole('menuitem', { name: 'Sign out' })).toBeTruthy();
  });

  it('opens the navigation drawer from the keyboard and closes it with Escape', async () => {
    renderShell(`/p/${projectId}`);
    const user = userEvent.setup();
    const open = await screen.findByRole('button', { name: 'Open navigation' });
    open.focus();

    await user.keyboard('{Enter}');
    const drawer = await screen.findByRole('dialog', { name: 'Navigation' });
    expect(within(drawer).getByRole('link', { name: 'Droplets' })).toBeTruthy();

    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(open);
  });

  it('closes the drawer when a section is chosen', async () => {
    renderShell(`/p/${projectId}`);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Open navigation' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('link', { name: 'Volumes' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.getByTestId('where').textContent).toBe(`/p/${projectId}/volumes`);
  });
});
