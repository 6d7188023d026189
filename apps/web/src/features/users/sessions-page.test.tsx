import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { whoami, type FakeAnswer } from '../../test/fake-api.ts';
import { apiToken } from '../../test/fixtures.ts';
import { callsTo, renderWithApi } from '../../test/render.tsx';
import { clientText } from '../tokens/client-text.ts';
import { SessionsPage } from './sessions-page.tsx';

const me = (isAdmin: boolean): FakeAnswer => {
  const data = (whoami as { data: { user: object } }).data;
  return { data: { ...data, user: { ...data.user, name: 'root', isAdmin } } };
};

const CHROME_LINUX =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
const ada = { id: 'usr_ada00000000000000000', name: 'ada', isAdmin: false };
const root = { id: 'usr_root0000000000000000', name: 'root', isAdmin: true };
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

const tokens = [
  {
    ...apiToken({ id: 'tok_adabrowser000000000', name: 'initial' }),
    lastUsedAt: minutesAgo(2),
    lastUsedIp: '203.0.113.7',
    lastUsedUserAgent: CHROME_LINUX,
    lastUsedClient: 'dashboard',
    user: ada,
  },
  {
    ...apiToken({ id: 'tok_adaci00000000000000', name: 'ci', prefix: 'uc_CiCi1234', readOnly: true }),
    lastUsedAt: minutesAgo(30),
    lastUsedIp: '198.51.100.20',
    lastUsedUserAgent: 'curl/8.5.0',
    lastUsedClient: 'api',
    user: ada,
  },
  {
    ...apiToken({ id: 'tok_root00000000000000', name: 'laptop' }),
    current: true,
    lastUsedAt: minutesAgo(0),
    lastUsedIp: '127.0.0.1',
    lastUsedUserAgent: CHROME_LINUX,
    lastUsedClient: 'dashboard',
    user: root,
  },
  {
    ...apiToken({ id: 'tok_rootunused00000000', name: 'spare' }),
    lastUsedIp: null,
    lastUsedUserAgent: null,
    lastUsedClient: null,
    user: root,
  },
];

describe('SessionsPage', () => {
  it("shows every user's tokens with the client, address and time of their last use", async () => {
    renderWithApi({ 'auth.whoami': me(true), 'users.allTokens': { data: tokens } }, <SessionsPage />);
    const table = await screen.findByRole('table', { name: 'Sign-ins and tokens' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(4);
    expect(rows[0]!.textContent).toMatch(/ada.*initial.*Dashboard · Chrome on Linux · 203\.0\.113\.7/);
    expect(rows[1]!.textContent).toMatch(/ada.*ci.*read-only.*API · curl\/8\.5\.0 · 198\.51\.100\.20/);
    expect(within(rows[2]!).getByText('this session')).toBeTruthy();
    expect(within(rows[3]!).getByText('Never')).toBeTruthy();
  });

  it("revokes another user's token by their user and id", async () => {
    const { fetch } = renderWithApi(
      { 'auth.whoami': me(true), 'users.allTokens': { data: tokens }, 'users.revokeToken': { data: null } },
      <SessionsPage />,
    );
    const u = userEvent.setup();
    await u.click(await screen.findByRole('button', { name: 'Revoke token ci' }));
    const confirm = await screen.findByRole('alertdialog');
    expect(confirm.textContent).toContain("ada's token ci stops working at once");
    await u.click(within(confirm).getByRole('button', { name: 'Revoke token' }));
    await waitFor(() =>
      expect(callsTo(fetch, 'users.revokeToken')).toEqual([
        { userId: ada.id, id: 'tok_adaci00000000000000' },
      ]),
    );
  });

  it('finds a user’s tokens by name', async () => {
    renderWithApi({ 'auth.whoami': me(true), 'users.allTokens': { data: tokens } }, <SessionsPage />);
    const u = userEvent.setup();
    await screen.findByRole('table', { name: 'Sign-ins and tokens' });
    await u.type(screen.getByRole('searchbox'), 'root');
    await waitFor(() =>
      expect(within(screen.getByRole('table')).getAllByRole('row').slice(1)).toHaveLength(2),
    );
  });

  it('tells a user who is not an administrator where their own tokens are, without asking the server', async () => {
    const { fetch } = renderWithApi({ 'auth.whoami': me(false) }, <SessionsPage />);
    expect(await screen.findByText("Only administrators see everyone's tokens")).toBeTruthy();
    expect(callsTo(fetch, 'users.allTokens')).toEqual([]);
  });
});

describe('clientText', () => {
  it('names a browser and its system, or the first product of any other client', () => {
    expect(clientText({ lastUsedUserAgent: CHROME_LINUX, lastUsedClient: 'dashboard' })).toBe(
      'Chrome on Linux',
    );
    expect(
      clientText({
        lastUsedUserAgent:
          'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
        lastUsedClient: 'dashboard',
      }),
    ).toBe('Safari on macOS');
    expect(
      clientText({
        lastUsedUserAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
        lastUsedClient: 'dashboard',
      }),
    ).toBe('Firefox on Windows');
    expect(clientText({ lastUsedUserAgent: 'node', lastUsedClient: 'api' })).toBe('node');
    expect(clientText({ lastUsedUserAgent: null, lastUsedClient: null })).toBeNull();
  });
});
