// An app's logs in a real browser: the dashboard reads its replicas' logs through the API from the
// simulated cluster's pods/log; Follow appends the lines the containers write afterwards. A deploy
// then shows in the app's deployment history.
import { type AppId, type ProjectId, type UncloudClient, createUncloudClient } from '@uncloud/sdk';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, openWatchedPage, type WatchedPage } from './browser.ts';
import { assertFreshBuild, startApi, type RunningApi } from './server.ts';

const UI = { timeout: 30_000 };
const CONVERGE_SDK = { timeoutMs: 90_000 };

let api: RunningApi;
let browser: Browser;
let tab: WatchedPage;
let sdk: UncloudClient;
let projectId: ProjectId;
let appId: AppId;

const page = () => tab.page;
const log = () => page().getByRole('log', { name: 'App log lines' });
const requestNumbers = async () =>
  [...((await log().textContent()) ?? '').matchAll(/\(request (\d+),/g)].map((m) => Number(m[1]));

describe("an app's logs", () => {
  beforeAll(async () => {
    assertFreshBuild();
    browser = await launchChromium();
    api = await startApi();
    tab = await openWatchedPage(browser, api.url);
    sdk = createUncloudClient({ url: api.url, token: api.adminToken });
    projectId = (await sdk.projects.create.mutate({ name: 'e2e-logs' })).id;
    await sdk.waitFor(sdk.projects, { projectId }, 'active', CONVERGE_SDK);
    appId = (
      await sdk.apps.create.mutate({ projectId, name: 'shop', image: 'shop:3.1', port: 8080, replicas: 2 })
    ).id;
    await sdk.waitFor(sdk.apps, { projectId, id: appId }, (a) => a.readyReplicas === 2, CONVERGE_SDK);
  });

  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => console.error(`failed on ${page().url()}\nserver output:\n${api?.output()}`));
  });

  afterEach(() => {
    expect(tab?.takeProblems() ?? [], 'the browser reported errors').toEqual([]);
  });

  afterAll(async () => {
    await tab?.context.close();
    await browser?.close();
    await api?.close();
  });

  it('signs in, opens the app and sees its replicas’ lines', async () => {
    await page().goto('/');
    await page().getByLabel('API token').fill(api.adminToken);
    await page().getByRole('button', { name: 'Sign in' }).click();
    await page().getByRole('button', { name: /admin/ }).waitFor(UI);
    await page().goto(`/p/${projectId}/apps/${appId}`);
    await page().getByRole('heading', { level: 1, name: 'shop' }).waitFor(UI);
    await expect.poll(async () => (await log().textContent()) ?? '', UI).toContain('starting shop:3.1');
    await expect
      .poll(async () => await page().getByLabel('Replica', { exact: true }).locator('option').count(), UI)
      .toBe(3);
  });

  it('follows: new lines appear without reloading', async () => {
    const before = Math.max(0, ...(await requestNumbers()));
    await page().getByLabel('Follow').check();
    await expect.poll(async () => Math.max(0, ...(await requestNumbers())), UI).toBeGreaterThan(before + 1);
  });

  it('shows one replica alone when picked', async () => {
    await page().getByLabel('Follow').uncheck();
    const picker = page().getByLabel('Replica', { exact: true });
    const [, first, second] = await picker
      .locator('option')
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    // Several replicas: each line names the replica that wrote it.
    expect((await log().textContent()) ?? '').toContain(second!);
    await picker.selectOption(first!);
    await expect
      .poll(async () => {
        const text = (await log().textContent()) ?? '';
        return text.includes('starting shop:3.1') && !text.includes(second!);
      }, UI)
      .toBe(true);
  });

  it('lists a deploy in the deployment history with its image, actor and outcome', async () => {
    await sdk.waitForAction(
      await sdk.apps.deploy.mutate({ projectId, id: appId, image: 'shop:3.2' }),
      CONVERGE_SDK,
    );
    await page().reload();
    const history = page().getByRole('table', { name: 'Deployment history' });
    await expect
      .poll(async () => (await history.textContent()) ?? '', UI)
      .toMatch(/deploy\s*shop:3\.2\s*admin\s*Succeeded/);
  });
});
