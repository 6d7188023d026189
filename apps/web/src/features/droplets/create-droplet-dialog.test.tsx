import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { emptyPage, projectId, type FakeAnswer } from '../../test/fake-api.ts';
import { droplet, page } from '../../test/fixtures.ts';
import { callsTo, descriptionOf, renderProjectRoutes } from '../../test/render.tsx';
import { quota } from '../overview/overview-test-api.tsx';
import { DropletsPage } from './droplets-page.tsx';

const overQuota: FakeAnswer = {
  error: {
    message:
      "this would use 2 droplets; the project's quota allows 1; remove something first, or ask an administrator to raise the quota",
    status: 403,
    data: { code: 'QUOTA_EXCEEDED', field: 'size' },
  },
};

const openDialog = async (answers: Record<string, FakeAnswer>) => {
  const rendered = renderProjectRoutes(
    {
      'actions.list': emptyPage,
      'droplets.list': page([droplet()]),
      'sshKeys.list': emptyPage,
      'volumes.list': emptyPage,
      ...answers,
    },
    `/p/${projectId}/droplets`,
    <Route path="droplets" element={<DropletsPage />} />,
  );
  const user = userEvent.setup();
  await screen.findByRole('table', { name: 'Droplets' });
  await user.click(screen.getAllByRole('button', { name: /Create droplet/ })[0]!);
  const dialog = await screen.findByRole('dialog');
  return { ...rendered, user, dialog };
};

describe('CreateDropletDialog and the quota', () => {
  it('warns as it opens when the project is at its droplet limit, with a link to Quotas', async () => {
    const { dialog } = await openDialog({
      'quotas.get': { data: { ...quota({ droplets: 1 }), droplets: 1 } },
    });
    const notice = await within(dialog).findByRole('status');
    expect(notice.textContent).toContain('1 of 1 droplets in use');
    expect(notice.textContent).toContain('ask an administrator to raise the quota');
    expect(within(notice).getByRole('link', { name: "See the project's quotas" }).getAttribute('href')).toBe(
      `/p/${projectId}/quotas`,
    );
  });

  it('says nothing about the quota while the project is under its limits', async () => {
    const { dialog, fetch } = await openDialog({ 'quotas.get': { data: quota({ droplets: 1 }) } });
    await waitFor(() => expect(callsTo(fetch, 'quotas.get')).toHaveLength(1));
    expect(within(dialog).queryByRole('status')).toBeNull();
  });

  it('shows a quota refusal above the form with a link to Quotas, not on the Size field', async () => {
    const { dialog, user } = await openDialog({
      'quotas.get': { data: quota({ droplets: 1 }) },
      'droplets.create': overQuota,
    });
    await user.type(within(dialog).getByLabelText('Name'), 'web-2');
    await user.click(within(dialog).getByRole('button', { name: 'Create droplet' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain("the project's quota allows 1");
    expect(alert.textContent).not.toMatch(/ask an owner|Raise the project's quota/);
    expect(within(alert).getByRole('link', { name: "See the project's quotas" }).getAttribute('href')).toBe(
      `/p/${projectId}/quotas`,
    );
    const size = within(dialog).getByLabelText('Size');
    expect(size.getAttribute('aria-invalid')).not.toBe('true');
    expect(descriptionOf(size)).not.toContain('quota');
  });
});
