import type { Project } from '@uncloud/sdk';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { projectId, whoami, whoamiAs, type FakeAnswer } from '../../test/fake-api.ts';
import { user } from '../../test/fixtures.ts';
import { callsTo, descriptionOf, renderWithApi } from '../../test/render.tsx';
import { MembersCard } from './members-card.tsx';

const me = (isAdmin: boolean): FakeAnswer => {
  const data = (whoami as { data: { user: object } }).data;
  return { data: { ...data, user: { ...data.user, isAdmin } } };
};

const project = {
  id: projectId,
  name: 'shop',
  description: '',
  purpose: 'Web Application',
  isDefault: false,
  role: 'owner',
  state: 'active',
  namespace: 'uc-shop',
  generation: 1,
  observedGeneration: 1,
  observedAt: null,
  syncState: 'synced',
  syncError: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  deletedAt: null,
} as Project;

const ada = user({ name: 'ada' });
const bob = user({ id: 'usr_bob00000000000000000', name: 'bob' });

const answers = (isAdmin: boolean) => ({
  'auth.whoami': me(isAdmin),
  'projects.members': { data: [{ user: ada, role: 'owner' }] },
  'users.list': { data: [ada, bob] },
  'projects.addMember': { data: { user: bob, role: 'member' } },
});

describe('MembersCard', () => {
  it('lets an admin pick the new member by name', async () => {
    const { fetch } = renderWithApi(answers(true), <MembersCard project={project} />);
    const u = userEvent.setup();
    await screen.findByRole('table', { name: 'Members' });
    await u.click(screen.getByRole('button', { name: 'Add member' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a member' });
    const select = await within(dialog).findByRole('combobox', { name: 'User' });
    // Existing members are not offered again.
    expect(
      within(select)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Choose a user…', 'bob']);

    await u.selectOptions(select, 'bob');
    await u.click(within(dialog).getByRole('button', { name: 'Add member' }));

    await waitFor(() =>
      expect(callsTo(fetch, 'projects.addMember')).toEqual([{ projectId, userId: bob.id, role: 'member' }]),
    );
  });

  it('asks others for a user id, without listing users', async () => {
    const { fetch } = renderWithApi(answers(false), <MembersCard project={project} />);
    const u = userEvent.setup();
    await screen.findByRole('table', { name: 'Members' });
    await u.click(screen.getByRole('button', { name: 'Add member' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a member' });
    expect(within(dialog).getByLabelText('User id')).toBeTruthy();
    expect(within(dialog).queryByRole('combobox', { name: 'User' })).toBeNull();
    expect(callsTo(fetch, 'users.list')).toEqual([]);
  });

  it('shows a member that only owners add and remove members, with the controls disabled', async () => {
    renderWithApi(
      { ...answers(false), 'auth.whoami': whoamiAs('member') },
      <MembersCard project={{ ...project, role: 'member' }} />,
    );
    await screen.findByRole('table', { name: 'Members' });
    const reason = "Members can't add or remove members — ask a project owner.";
    await waitFor(() => expect(screen.getByRole('note').textContent).toBe(reason));
    for (const control of [
      screen.getByRole('button', { name: 'Add member' }),
      screen.getByRole('button', { name: 'Remove ada' }),
    ]) {
      expect(control).toHaveProperty('disabled', true);
      expect(descriptionOf(control)).toBe(reason);
    }
  });
});
