import { screen } from '@testing-library/react';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { projectId, whoami, type FakeAnswer } from '../../test/fake-api.ts';
import { renderProjectRoutes } from '../../test/render.tsx';
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
  it("tells a project's owner in plain text that only administrators change quotas", async () => {
    renderAs(false);
    expect(await screen.findByText(/Only administrators change quotas/)).toBeTruthy();
    expect(screen.getByText('Droplets')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Edit limits' })).toBeNull();
  });

  it('offers administrators the edit control, without the explanation', async () => {
    renderAs(true);
    expect(await screen.findByRole('button', { name: 'Edit limits' })).toBeTruthy();
    expect(screen.queryByText(/Only administrators change quotas/)).toBeNull();
  });
});
