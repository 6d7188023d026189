// A droplet's serial console in a real browser: the dashboard opens a WebSocket to the API, which
// proxies KubeVirt's console subresource of the simulated cluster; the guest's boot log and login
// prompt appear and what is typed is echoed. The droplet's public address and ssh line show too.
import { type DropletId, type ProjectId, type UncloudClient, createUncloudClient } from '@uncloud/sdk';
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
let dropletId: DropletId;

const page = () => tab.page;
const output = () => page().getByLabel('Console output');
// The guest's prompt names its machine: the VirtualMachineInstance, named after the droplet's id.
const prompt = () => `${dropletId.replace('_', '-')} login:`;

describe("a droplet's console", () => {
  beforeAll(async () => {
    assertFreshBuild();
    browser = await launchChromium();
    api = await startApi();
    tab = await openWatchedPage(browser, api.url);
    sdk = createUncloudClient({ url: api.url, token: api.adminToken });
    projectId = (await sdk.projects.create.mutate({ name: 'e2e-console' })).id;
    const droplet = await sdk.droplets.create.mutate({
      projectId,
      name: 'box-1',
      size: 's-1vcpu-1gb',
      image: 'debian-12',
    });
    dropletId = droplet.id;
    await sdk.waitFor(sdk.droplets, { projectId, id: dropletId }, 'active', CONVERGE_SDK);
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

  it('signs in and shows the droplet with its public address and ssh line', async () => {
    await page().goto('/');
    await page().getByLabel('API token').fill(api.adminToken);
    await page().getByRole('button', { name: 'Sign in' }).click();
    await page().getByRole('button', { name: /admin/ }).waitFor(UI);
    await page().goto(`/p/${projectId}/droplets/${dropletId}`);
    await page().getByRole('heading', { level: 1, name: 'box-1' }).waitFor(UI);
    const publicIp = await expect
      .poll(async () => (await sdk.droplets.get.query({ projectId, id: dropletId })).publicIp, UI)
      .toMatch(/^\d+\.\d+\.\d+\.\d+$/)
      .then(async () => (await sdk.droplets.get.query({ projectId, id: dropletId })).publicIp!);
    await page().getByText(`ssh root@${publicIp}`).waitFor(UI);
  });

  it('opens the console and sees the boot log and the login prompt', async () => {
    await page().getByRole('button', { name: 'Open console' }).click();
    await expect.poll(async () => (await output().textContent()) ?? '', UI).toContain(prompt());
    expect(await output().textContent()).toContain('Linux version');
  });

  it('echoes what is typed, and prompts again', async () => {
    const input = page().getByLabel('Type into the console');
    await input.fill('root');
    await input.press('Enter');
    await expect
      .poll(async () => ((await output().textContent()) ?? '').split(prompt()).length, UI)
      .toBeGreaterThanOrEqual(3);
    expect(await output().textContent()).toContain(`${prompt()} root`);
  });

  it('closes the console', async () => {
    await page().getByRole('button', { name: 'Close console' }).click();
    await page().getByRole('button', { name: 'Open console' }).waitFor(UI);
  });
});
