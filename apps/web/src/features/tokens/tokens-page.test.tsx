import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { session } from '../../lib/session.ts';
import { projectId } from '../../test/fake-api.ts';
import { apiToken } from '../../test/fixtures.ts';
import { callsTo, renderWithApi } from '../../test/render.tsx';
import { expiryPhrase, expiryText } from './token-text.ts';
import { TokensPage } from './tokens-page.tsx';

const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();

const tokens = [
  apiToken({ id: 'tok_current000000000000', name: 'browser', current: true }),
  apiToken({
    id: 'tok_ci00000000000000000',
    name: 'ci',
    prefix: 'uc_Zz9',
    expiresAt: days(12),
    readOnly: true,
    projectIds: [projectId],
  }),
  apiToken({ id: 'tok_old0000000000000000', name: 'old', prefix: null, expiresAt: days(-1) }),
];

const rowOf = (table: HTMLElement, name: string) =>
  within(table)
    .getAllByRole('row')
    .find((r) => within(r).queryByText(name))!;

describe('TokensPage', () => {
  it("shows each token's prefix, expiry and scope, and marks the one this session uses", async () => {
    renderWithApi({ 'tokens.list': { data: tokens } }, <TokensPage />);
    const table = await screen.findByRole('table', { name: 'API tokens' });

    const current = rowOf(table, 'browser');
    expect(within(current).getByText('this session')).toBeTruthy();
    expect(within(current).getByText('uc_AbCd1234…')).toBeTruthy();
    expect(within(current).getByText('never')).toBeTruthy();
    expect(within(current).getByText('all your projects')).toBeTruthy();

    const ci = rowOf(table, 'ci');
    expect(within(ci).queryByText('this session')).toBeNull();
    expect(within(ci).getByText('in 12 days')).toBeTruthy();
    expect(within(ci).getByText('read-only · shop')).toBeTruthy();

    expect(within(rowOf(table, 'old')).getByText('expired')).toBeTruthy();
  });

  it('warns that revoking the token of this session signs you out, and does so', async () => {
    session.setToken('uc_current');
    const { fetch } = renderWithApi(
      { 'tokens.list': { data: tokens }, 'tokens.revoke': { data: null } },
      <TokensPage />,
    );
    const u = userEvent.setup();
    await u.click(await screen.findByRole('button', { name: 'Revoke token browser' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog.textContent).toMatch(/the token this session uses: revoking it signs you out/);
    await u.click(within(dialog).getByRole('button', { name: 'Revoke token' }));
    await waitFor(() => expect(session.getToken()).toBeNull());
    expect(callsTo(fetch, 'tokens.revoke')).toEqual([{ id: 'tok_current000000000000' }]);
  });

  it('revokes another token without signing out', async () => {
    session.setToken('uc_current');
    const { fetch } = renderWithApi(
      { 'tokens.list': { data: tokens }, 'tokens.revoke': { data: null } },
      <TokensPage />,
    );
    const u = userEvent.setup();
    await u.click(await screen.findByRole('button', { name: 'Revoke token ci' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog.textContent).not.toMatch(/signs you out/);
    await u.click(within(dialog).getByRole('button', { name: 'Revoke token' }));
    await waitFor(() => expect(callsTo(fetch, 'tokens.revoke')).toEqual([{ id: 'tok_ci00000000000000000' }]));
    expect(session.getToken()).toBe('uc_current');
  });

  it('creates a token with an expiry, read-only, limited to a chosen project', async () => {
    const { fetch } = renderWithApi(
      {
        'tokens.list': { data: [] },
        'tokens.create': { data: { ...apiToken({ name: 'deploy' }), token: 'uc_secret' } },
      },
      <TokensPage />,
    );
    const u = userEvent.setup();
    await u.click(await screen.findByRole('button', { name: /Create token/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Create an API token' });
    await u.type(within(dialog).getByLabelText('Name'), 'deploy');
    await u.selectOptions(within(dialog).getByLabelText('Expires'), 'In 90 days');
    await u.click(within(dialog).getByRole('checkbox', { name: /Read-only/ }));
    await u.click(within(dialog).getByRole('checkbox', { name: 'shop (owner)' }));
    await u.click(within(dialog).getByRole('button', { name: 'Create token' }));

    await waitFor(() =>
      expect(callsTo(fetch, 'tokens.create')).toEqual([
        { name: 'deploy', expiresInDays: 90, readOnly: true, projectIds: [projectId] },
      ]),
    );
    expect(((await screen.findByLabelText('New API token')) as HTMLInputElement).value).toBe('uc_secret');
  });

  it('creates a token for every project that never expires when asked to', async () => {
    const { fetch } = renderWithApi(
      {
        'tokens.list': { data: [] },
        'tokens.create': { data: { ...apiToken({ name: 'laptop' }), token: 'uc_secret' } },
      },
      <TokensPage />,
    );
    const u = userEvent.setup();
    await u.click(await screen.findByRole('button', { name: /Create token/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Create an API token' });
    await u.type(within(dialog).getByLabelText('Name'), 'laptop');
    await u.selectOptions(within(dialog).getByLabelText('Expires'), 'Never');
    await u.click(within(dialog).getByRole('button', { name: 'Create token' }));
    await waitFor(() =>
      expect(callsTo(fetch, 'tokens.create')).toEqual([{ name: 'laptop', readOnly: false }]),
    );
  });
});

describe('expiryText', () => {
  it('says never, when, or expired', () => {
    const now = Date.parse('2026-12-02T10:00:00Z');
    expect(expiryText(null, now)).toBe('never');
    expect(expiryText('2026-12-14T10:00:00Z', now)).toBe('in 12 days');
    expect(expiryText('2026-12-02T09:59:59Z', now)).toBe('expired');
    expect(expiryPhrase(null, now)).toBe('never expires');
    expect(expiryPhrase('2026-12-14T10:00:00Z', now)).toBe('expires in 12 days');
  });
});
