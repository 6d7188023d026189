import type { Project } from '@uncloud/sdk';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { projectId, whoamiAs } from '../../test/fake-api.ts';
import { descriptionOf, renderWithApi } from '../../test/render.tsx';
import { ProjectsPage } from './projects-page.tsx';

const project = (over: Omit<Partial<Project>, 'id'> & { id: string; name: string }): Project =>
  ({
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
    ...over,
  }) as Project;

const projects = {
  data: {
    items: [
      project({ id: projectId, name: 'shop' }),
      project({ id: 'proj_blog0000000000000000', name: 'blog', role: 'member' }),
    ],
    nextCursor: null,
  },
};

describe('ProjectsPage', () => {
  it('lets owners delete their projects and tells members of others why they cannot', async () => {
    renderWithApi({ 'projects.list': projects }, <ProjectsPage />);
    const table = await screen.findByRole('table', { name: 'Projects' });
    expect(within(table).getByRole('button', { name: 'Delete project shop' })).toHaveProperty(
      'disabled',
      false,
    );
    const blog = within(table).getByRole('button', { name: 'Delete project blog' });
    expect(blog).toHaveProperty('disabled', true);
    expect(descriptionOf(blog)).toBe("Members can't delete projects — ask a project owner.");
    expect(screen.getByRole('note').textContent).toBe("Members can't delete projects — ask a project owner.");
    expect(screen.getByRole('button', { name: /Create project/ })).toHaveProperty('disabled', false);
  });

  it('disables creating projects for a session whose token only reads', async () => {
    renderWithApi(
      { 'auth.whoami': whoamiAs('owner', false, { readOnly: true }), 'projects.list': projects },
      <ProjectsPage />,
    );
    await screen.findByRole('table', { name: 'Projects' });
    const create = screen.getByRole('button', { name: /Create project/ });
    expect(create).toHaveProperty('disabled', true);
    expect(descriptionOf(create)).toMatch(
      /^This session's token is read-only: it can't create or delete projects — sign in/,
    );
  });

  it('disables creating projects for a session whose token is limited to some projects', async () => {
    renderWithApi(
      { 'auth.whoami': whoamiAs('owner', false, { projectIds: [projectId] }), 'projects.list': projects },
      <ProjectsPage />,
    );
    await screen.findByRole('table', { name: 'Projects' });
    const create = screen.getByRole('button', { name: /Create project/ });
    expect(create).toHaveProperty('disabled', true);
    expect(descriptionOf(create)).toMatch(
      /^This session's token is limited to some projects: it can't create projects/,
    );
  });
});
