import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { whoami, type FakeAnswer } from '../../test/fake-api.ts';
import { renderWithApi } from '../../test/render.tsx';
import { UserMenu } from './user-menu.tsx';

const me = (isAdmin: boolean): FakeAnswer => {
  const data = (whoami as { data: { user: object } }).data;
  return { data: { ...data, user: { ...data.user, isAdmin } } };
};

const openMenu = async (isAdmin: boolean) => {
  renderWithApi({ 'auth.whoami': me(isAdmin) }, <UserMenu />);
  await userEvent.setup().click(await screen.findByRole('button', { name: /^Account of ada/ }));
  return screen.findByRole('menu');
};

describe('UserMenu', () => {
  it('links admins to the users page', async () => {
    const menu = await openMenu(true);
    expect(within(menu).getByRole('menuitem', { name: 'Users' }).getAttribute('href')).toBe('/users');
  });

  it('links everyone to the API reference', async () => {
    const menu = await openMenu(false);
    expect(within(menu).getByRole('menuitem', { name: 'API reference' }).getAttribute('href')).toBe(
      '/api-reference',
    );
  });

  it('offers no users page to others', async () => {
    const menu = await openMenu(false);
    expect(within(menu).getByRole('menuitem', { name: 'API tokens' })).toBeTruthy();
    expect(within(menu).queryByRole('menuitem', { name: 'Users' })).toBeNull();
  });
});
