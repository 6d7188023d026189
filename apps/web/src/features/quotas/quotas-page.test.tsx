import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { projectId, whoami, type FakeAnswer } from '../../test/fake-api.ts';
import { callsTo, descriptionOf, renderProjectRoutes } from '../../test/render.tsx';
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

describe('QuotasPage usage', () => {
  it('shows what intent takes against each limit and what the cluster counts as used now', async () => {
    renderProjectRoutes(
      {
        'auth.whoami': me(false),
        'quotas.get': {
          data: quota(
            { droplets: 2, vcpus: 4.5, memoryMiB: 5120 },
            { droplets: 1, vcpus: 2, memoryMiB: 2048, volumeGiB: 0, apps: 0, databases: 0, loadBalancers: 0, reservedIps: 0 },
          ),
        },
      },
      `/p/${projectId}/quotas`,
      <Route path="quotas" element={<QuotasPage />} />,
    );
    expect(await screen.findByText('4.5')).toBeTruthy();
    expect(screen.getByText('2 used in the cluster now')).toBeTruthy();
    expect(screen.getByText('1 used in the cluster now')).toBeTruthy();
  });
});

describe('EditQuotaDialog', () => {
  const renderEditor = (answers: Record<string, FakeAnswer> = {}) =>
    renderProjectRoutes(
      { 'auth.whoami': me(true), 'quotas.get': { data: quota({ droplets: 1 }) }, ...answers },
      `/p/${projectId}/quotas`,
      <Route path="quotas" element={<QuotasPage />} />,
    );

  const setDroplets = async (value: string) => {
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Edit limits' }));
    const droplets = screen.getByLabelText('Droplets');
    await user.clear(droplets);
    await user.type(droplets, value);
    await user.click(screen.getByRole('button', { name: 'Save limits' }));
    return droplets;
  };

  it('refuses a limit below current use on the field, without sending it', async () => {
    const { fetch } = renderEditor();
    const droplets = await setDroplets('0');
    await waitFor(() =>
      expect(descriptionOf(droplets)).toContain('cannot be below what the project already uses (1 in use)'),
    );
    expect(callsTo(fetch, 'quotas.update')).toHaveLength(0);
  });

  it("shows the server's refusal of a limit on the field it names", async () => {
    const { fetch } = renderEditor({
      'quotas.update': {
        error: {
          message: 'droplets cannot be below what the project already uses: 2 droplets in use, 1 asked',
          status: 400,
          data: { code: 'BAD_REQUEST', field: 'droplets', httpStatus: 400 },
        },
      },
    });
    const droplets = await setDroplets('1');
    await waitFor(() => expect(descriptionOf(droplets)).toContain('2 droplets in use, 1 asked'));
    expect(callsTo(fetch, 'quotas.update')).toHaveLength(1);
  });
});
