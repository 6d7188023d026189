import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { whoami, type FakeAnswer } from '../../test/fake-api.ts';
import { conflict, user } from '../../test/fixtures.ts';
import { callsTo, descriptionOf, renderWithApi } from '../../test/render.tsx';
import { UsersPage } from './users-page.tsx';

const whoamiId = (whoami as { data: { user: { id: string } } }).data.user.id;

const me = (isAdmin: boolean): FakeAnswer => {
  const data = (whoami as { data: { user: object } }).data;
  return { data: { ...data, user: { ...data.user, name: 'root', isAdmin } } };
};

const root = user({ id: 'usr_root0000000000000000', name: 'root', email: 'root@example.com', isAdmin: true });
const ada = user({ name: 'ada' });
const bob = user({ id: 'usr_bob00000000000000000', name: 'bob', email: 'bob@example.com' });

describe('UsersPage', () => {
  it('lists users with their email and an admin badge', async () => {
    renderWithApi({ 'auth.whoami': me(true), 'users.list': { data: [root, ada] } }, <UsersPage />);
    const table = await screen.findByRole('table', { name: 'Users' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByText('Admin')).toBeTruthy();
    expect(within(rows[0]!).getByText('root@example.com')).toBeTruthy();
    expect(within(rows[1]!).getByText('ada')).toBeTruthy();
    expect(within(rows[1]!).queryByText('Admin')).toBeNull();
  });

  it('says so when there are no users yet', async () => {
    renderWithApi({ 'auth.whoami': me(true), 'users.list': { data: [] } }, <UsersPage />);
    expect(await screen.findByRole('heading', { name: 'No users' })).toBeTruthy();
  });

  it('creates a user and shows their token once', async () => {
    const created: unknown[] = [];
    let users = [root];
    const { fetch } = renderWithApi(
      {
        'auth.whoami': me(true),
        'users.list': () => ({ data: users }),
        'users.create': (input) => {
          created.push(input);
          users = [root, bob];
          return {
            data: {
              user: bob,
              token: {
                id: 'tok_0123456789abcdefghij',
                name: 'initial',
                createdAt: bob.createdAt,
                lastUsedAt: null,
                token: 'uc_secret_for_bob',
              },
            },
          };
        },
      },
      <UsersPage />,
    );
    const u = userEvent.setup();
    await u.click(await screen.findByRole('button', { name: 'Create user' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create a user' });
    await u.type(within(dialog).getByLabelText('Name'), 'bob');
    await u.type(within(dialog).getByLabelText('Email (optional)'), 'bob@example.com');
    await u.click(within(dialog).getByRole('button', { name: 'Create user' }));

    const notice = await screen.findByRole('status');
    expect(within(notice).getByText(/bob can sign in with this token/)).toBeTruthy();
    expect((within(notice).getByLabelText("New user's API token") as HTMLInputElement).value).toBe(
      'uc_secret_for_bob',
    );
    expect(within(notice).getByRole('button', { name: "Copy new user's api token" })).toBeTruthy();
    expect(callsTo(fetch, 'users.create')).toEqual([
      { name: 'bob', email: 'bob@example.com', isAdmin: false },
    ]);
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() =>
      expect(within(screen.getByRole('table', { name: 'Users' })).getByText('bob')).toBeTruthy(),
    );

    await u.click(within(notice).getByRole('button', { name: 'Done' }));
    expect(screen.queryByText('uc_secret_for_bob')).toBeNull();
    expect(screen.queryByDisplayValue('uc_secret_for_bob')).toBeNull();
    expect(created).toHaveLength(1);
  });

  it('puts a server error about the name on the name field', async () => {
    renderWithApi(
      {
        'auth.whoami': me(true),
        'users.list': { data: [root, ada] },
        'users.create': {
          error: {
            ...conflict('A user named ada already exists').error,
            data: { code: 'CONFLICT', field: 'name' },
          },
        },
      },
      <UsersPage />,
    );
    const u = userEvent.setup();
    await u.click(await screen.findByRole('button', { name: 'Create user' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create a user' });
    const name = within(dialog).getByLabelText('Name');
    await u.type(name, 'ada');
    await u.click(within(dialog).getByRole('button', { name: 'Create user' }));

    await waitFor(() => expect(name.getAttribute('aria-invalid')).toBe('true'));
    expect(descriptionOf(name)).toContain('A user named ada already exists');
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('tells a non-admin that only administrators manage users, without asking for the list', async () => {
    const { fetch } = renderWithApi(
      { 'auth.whoami': me(false), 'users.list': { data: [root] } },
      <UsersPage />,
    );
    expect(await screen.findByRole('heading', { name: 'Only administrators manage users' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Create user' })).toBeNull();
    expect(callsTo(fetch, 'auth.whoami')).toHaveLength(1);
    expect(callsTo(fetch, 'users.list')).toEqual([]);
  });

  it('disables a user after asking, marks them, and offers no way to shut yourself out', async () => {
    const self = user({ id: whoamiId, name: 'root', isAdmin: true });
    let users = [self, bob];
    const { fetch } = renderWithApi(
      {
        'auth.whoami': me(true),
        'users.list': () => ({ data: users }),
        'users.disable': () => {
          users = [self, { ...bob, disabledAt: bob.createdAt }];
          return { data: users[1] };
        },
      },
      <UsersPage />,
    );
    const table = await screen.findByRole('table', { name: 'Users' });
    const [selfRow, bobRow] = within(table).getAllByRole('row').slice(1);
    expect(within(selfRow!).getByText('You cannot disable or delete yourself')).toBeTruthy();
    expect(within(selfRow!).queryByRole('button', { name: 'Disable' })).toBeNull();

    const clicks = userEvent.setup();
    await clicks.click(within(bobRow!).getByRole('button', { name: 'Disable' }));
    const confirm = await screen.findByRole('alertdialog');
    expect(within(confirm).getByText(/Every API token of bob stops working/)).toBeTruthy();
    await clicks.click(within(confirm).getByRole('button', { name: 'Disable' }));
    await waitFor(() => expect(callsTo(fetch, 'users.disable')).toEqual([{ userId: bob.id }]));
    expect(await within(table).findByText('Disabled')).toBeTruthy();
    expect(within(table).getByRole('button', { name: 'Enable' })).toBeTruthy();
  });

  it('shows why a user cannot be deleted when the server refuses', async () => {
    const { fetch } = renderWithApi(
      {
        'auth.whoami': me(true),
        'users.list': { data: [user({ id: whoamiId, name: 'root', isAdmin: true }), bob] },
        'users.delete': conflict(
          'bob is the only owner of project shop; make someone else owner there first, or disable bob instead',
        ),
      },
      <UsersPage />,
    );
    const table = await screen.findByRole('table', { name: 'Users' });
    await userEvent.setup().click(within(table).getByRole('button', { name: 'Delete' }));
    const confirm = await screen.findByRole('alertdialog');
    await userEvent.setup().click(within(confirm).getByRole('button', { name: 'Delete' }));
    expect(await within(confirm).findByText(/bob is the only owner of project shop/)).toBeTruthy();
    expect(callsTo(fetch, 'users.delete')).toEqual([{ userId: bob.id }]);
  });
});
