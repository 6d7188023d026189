import { screen } from '@testing-library/react';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { projectId, whoami, type FakeAnswer } from '../../test/fake-api.ts';
import { descriptionOf, renderProjectRoutes } from '../../test/render.tsx';
import { quota } from '../overview/overview-test-api.tsx';
import { QuotasPage } from './quotas-page.tsx';

const me = (isAdmin: boolean): FakeAnswer => {
  const data = (whoami as { data: { user: object } }).data;
  return { data: { ...data, user: { ...data.user, isAdmin } } };
};

const renderAs = (isAdmin: boolean) =>
  renderProjectRoutes(
    { 'auth.whoami': me(isAdmin), 'quotas.get': { data: quota({ droplets: 3 }) } },
    `/p/${projectId}/quotas`,
    <Route path="quotas" element={<QuotasPage />} />,
  );

describe('QuotasPage', () => {
  it("shows a project's owner the quota editor disabled, saying in plain text that only administrators change quotas", async () => {
    renderAs(false);
    const reason = 'Only administrators can change quotas — ask an administrator of this server.';
    expect((await screen.findByRole('note')).textContent).toBe(reason);
    expect(screen.getByText('Droplets')).toBeTruthy();
    const edit = screen.getByRole('button', { name: 'Edit limits' });
    expect(edit).toHaveProperty('disabled', true);
    expect(descriptionOf(edit)).toBe(reason);
  });

  it('offers administrators the edit control, without the explanation', async () => {
    renderAs(true);
    expect(await screen.findByRole('button', { name: 'Edit limits' })).toHaveProperty('disabled', false);
    expect(screen.queryByText(/Only administrators can change quotas/)).toBeNull();
  });
});
