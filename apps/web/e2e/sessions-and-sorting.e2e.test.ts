// Who is signed in with which token, and lists sorted by a column, in a real browser. An
// administrator sees every user's tokens with where each was last used (this browser as the
// dashboard, a script as the API) and revokes one, which then stops working; a volume list is
// sorted by size by clicking its header, the order kept in the address.
import { createUncloudClient } from '@uncloud/sdk';
import { describe, expect, it } from 'vitest';
import { UI, startBrowserSuite } from './browser-suite.ts';

const suite = startBrowserSuite({ project: 'e2e-sorting', failureShots: 'sessions-' });
const page = () => suite.page;
const table = () => page().getByRole('table', { name: 'Sign-ins and tokens' });
const rowOf = (text: string) => table().getByRole('row').filter({ hasText: text });

describe('sign-ins and tokens', () => {
  let botToken = '';

  it('shows the administrator this browser’s session and a script’s token, with where each was used', async () => {
    const created = await suite.sdk.users.create.mutate({ name: 'ci-bot' });
    botToken = created.token.token;
    // A script using the bot's token, as the CLI or a CI job would.
    await createUncloudClient({
      url: suite.api.url,
      token: botToken,
      headers: { 'user-agent': 'ci-runner/2.1' },
    }).auth.whoami.query();
    await suite.signIn({ path: '/' });
    await page().getByRole('button', { name: /admin/ }).click();
    await page().getByRole('menuitem', { name: 'Sign-ins and tokens' }).click();
    await page().getByRole('heading', { level: 1, name: 'Sign-ins and tokens' }).waitFor(UI);
    const mine = rowOf('this session');
    await mine.waitFor(UI);
    await expect
      .poll(async () => await mine.textContent(), UI)
      .toMatch(/Dashboard · Chrome on Linux · 127\.0\.0\.1/);
    await expect
      .poll(async () => await rowOf('ci-bot').textContent(), UI)
      .toMatch(/API · ci-runner\/2\.1 · 127\.0\.0\.1/);
  });

  it('revokes the script’s token, which is refused from its next request', async () => {
    await rowOf('ci-bot').getByRole('button', { name: 'Revoke token initial' }).click();
    const confirm = page().getByRole('alertdialog');
    await confirm.getByText("ci-bot's token initial stops working at once").waitFor(UI);
    await confirm.getByRole('button', { name: 'Revoke token' }).click();
    await rowOf('ci-bot').waitFor({ state: 'detached', ...UI });
    // The row may go before the server answers; the token is refused as soon as it has.
    const refusal = () =>
      createUncloudClient({ url: suite.api.url, token: botToken })
        .auth.whoami.query()
        .then(
          () => 'accepted',
          (error: { data?: { code?: string } }) => error.data?.code,
        );
    await expect.poll(refusal, UI).toBe('UNAUTHORIZED');
  });
});

describe('a list sorted by a column', () => {
  it('sorts volumes by size when its header is clicked, both ways, keeping the order in the address', async () => {
    const { sdk, projectId } = suite;
    for (const [name, sizeGiB] of [
      ['logs', 2],
      ['archive', 5],
      ['cache', 1],
    ] as const)
      await sdk.volumes.create.mutate({ projectId, name, sizeGiB });
    await page().goto(`/p/${projectId}/volumes`);
    const volumes = page().getByRole('table', { name: 'Volumes' });
    const names = async () =>
      (await volumes.getByRole('row').locator('a').allTextContents()).filter((n) =>
        ['logs', 'archive', 'cache'].includes(n),
      );
    await expect.poll(names, UI).toEqual(['logs', 'archive', 'cache']);
    await volumes.getByRole('button', { name: /^Size/ }).click();
    await expect.poll(names, UI).toEqual(['cache', 'logs', 'archive']);
    expect(page().url()).toContain('sort=size');
    await volumes.getByRole('button', { name: /^Size/ }).click();
    await expect.poll(names, UI).toEqual(['archive', 'logs', 'cache']);
    expect(page().url()).toContain('order=desc');
    // The order survives a reload, read back from the address.
    await page().reload();
    await expect.poll(names, UI).toEqual(['archive', 'logs', 'cache']);
    expect(await volumes.getByRole('columnheader', { name: /Size/ }).getAttribute('aria-sort')).toBe(
      'descending',
    );
  });
});

describe('a phone-sized screen', () => {
  it('shows every page without sideways scrolling at 390 px', async () => {
    const { projectId, sdk } = suite;
    const app = await sdk.apps.create.mutate({ projectId, name: 'shop', image: 'shop:1.0', port: 8080 });
    await page().setViewportSize({ width: 390, height: 844 });
    try {
      for (const [path, title] of [
        ['/setup', 'Setup'],
        ['/sessions', 'Sign-ins and tokens'],
        ['/tokens', 'API tokens'],
        [`/p/${projectId}`, 'e2e-sorting'],
        [`/p/${projectId}/volumes`, 'Volumes'],
        [`/p/${projectId}/apps/${app.id}`, 'shop'],
      ] as const) {
        await page().goto(path);
        await page().getByRole('heading', { level: 1, name: title }).waitFor(UI);
        await page().waitForFunction(
          () => document.querySelectorAll('[aria-busy="true"]').length === 0,
          undefined,
          UI,
        );
        const width = await page().evaluate(() => document.documentElement.scrollWidth);
        expect(width, `${path} is ${width} px wide`).toBeLessThanOrEqual(390);
      }
    } finally {
      await page().setViewportSize({ width: 1440, height: 900 });
    }
  });
});
