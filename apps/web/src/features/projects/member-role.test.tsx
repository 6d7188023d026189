import type { Project } from '@uncloud/sdk';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { projectId, whoamiAs } from '../../test/fake-api.ts';
import { user } from '../../test/fixtures.ts';
import { callsTo, renderWithApi } from '../../test/render.tsx';
import { MembersCard } from './members-card.tsx';

const project = { id: projectId, name: 'shop', role: 'owner' } as Project;
const ada = user({ name: 'ada' });
const bob = user({ id: 'usr_bob00000000000000000', name: 'bob' });

describe("a member's role", () => {
  it('is changed in place by an owner', async () => {
    const { fetch } = renderWithApi(
      {
        'auth.whoami': whoamiAs('owner'),
        'projects.members': {
          data: [
            { user: ada, role: 'owner' },
            { user: bob, role: 'viewer' },
          ],
        },
        'projects.addMember': { data: { user: bob, role: 'member' } },
      },
      <MembersCard project={project} />,
    );
    const u = userEvent.setup();
    await u.selectOptions(await screen.findByRole('combobox', { name: 'Role of bob' }), 'member');
    await waitFor(() =>
      expect(callsTo(fetch, 'projects.addMember')).toEqual([{ projectId, userId: bob.id, role: 'member' }]),
    );
  });

  it("says why the last owner's role cannot change, next to it", async () => {
    renderWithApi(
      {
        'auth.whoami': whoamiAs('owner'),
        'projects.members': { data: [{ user: ada, role: 'owner' }] },
        'projects.addMember': {
          error: {
            message: 'a project needs at least one owner; make someone else owner first',
            status: 409,
            data: { code: 'CONFLICT', field: 'role' },
          },
        },
      },
      <MembersCard project={project} />,
    );
    const u = userEvent.setup();
    await u.selectOptions(await screen.findByRole('combobox', { name: 'Role of ada' }), 'viewer');
    expect((await screen.findByRole('alert')).textContent).toContain('a project needs at least one owner');
  });

  it('is only shown to those who are not owners', async () => {
    renderWithApi(
      { 'auth.whoami': whoamiAs('member'), 'projects.members': { data: [{ user: ada, role: 'owner' }] } },
      <MembersCard project={{ ...project, role: 'member' }} />,
    );
    await screen.findByRole('table', { name: 'Members' });
    expect(screen.queryByRole('combobox', { name: 'Role of ada' })).toBeNull();
    expect(screen.getByText('owner')).toBeTruthy();
  });
});
