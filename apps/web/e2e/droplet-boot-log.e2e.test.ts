// A droplet's boot log and screen in a real browser: the droplet page reads what the droplet's
// serial console printed (through the API, from KubeVirt's console subresource of the simulated
// cluster), from the kernel to the login prompt, and opens its screen with noVNC over the API's
// VNC path (KubeVirt's vnc subresource, which the simulator answers in RFB 3.8).
import type { DropletId, ProjectId, UncloudClient } from '@uncloud/sdk';
import { createUncloudClient } from '@uncloud/sdk';
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

describe("a droplet's boot log", () => {
  beforeAll(async () => {
    assertFreshBuild();
    browser = await launchChromium();
    api = await startApi();
    tab = await openWatchedPage(browser, api.url);
    sdk = createUncloudClient({ url: api.url, token: api.adminToken });
    projectId = (await sdk.projects.create.mutate({ name: 'e2e-boot-log' })).id;
    dropletId = (
      await sdk.droplets.create.mutate({ projectId, name: 'box-1', size: 's-1vcpu-1gb', image: 'debian-12' })
    ).id;
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

  it('shows what the console printed, kernel to login prompt', async () => {
    await page().goto('/');
    await page().getByLabel('API token').fill(api.adminToken);
    await page().getByRole('button', { name: 'Sign in' }).click();
    await page().getByRole('button', { name: /admin/ }).waitFor(UI);
    await page().goto(`/p/${projectId}/droplets/${dropletId}`);
    await page().getByRole('heading', { level: 1, name: 'box-1' }).waitFor(UI);
    await page().getByRole('button', { name: 'Show boot log' }).click();
    const log = page().getByLabel('Boot log');
    await log.waitFor(UI);
    const text = (await log.textContent()) ?? '';
    expect(text).toContain('Linux version');
    expect(text).toContain('cloud-init');
    expect(text).toContain(`${dropletId.replace('_', '-')} login:`);
  });

  it('opens its screen over VNC with noVNC, through the API, and closes it', async () => {
    await page().getByRole('button', { name: 'Open screen' }).click();
    const screen = page().getByRole('img', { name: 'Droplet screen' });
    await expect.poll(async () => screen.getAttribute('data-status'), UI).toBe('open');
    // noVNC draws the 64×48 framebuffer the simulated guest sends into its canvas.
    await screen.locator('canvas').waitFor(UI);
    expect(await screen.locator('canvas').evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([
      64, 48,
    ]);
    await page().getByRole('button', { name: 'Close screen' }).click();
    await page().getByText('The screen closed.').waitFor(UI);
  });
});
