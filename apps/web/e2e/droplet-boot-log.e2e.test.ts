// A droplet's boot log and screen in a real browser: the droplet page reads what the droplet's
// serial console printed (through the API, from KubeVirt's console subresource of the simulated
// cluster), from the kernel to the login prompt, and opens its screen with noVNC over the API's
// VNC path (KubeVirt's vnc subresource, which the simulator answers in RFB 3.8).
import type { DropletId } from '@uncloud/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONVERGE_SDK, UI, startBrowserSuite } from './browser-suite.ts';

let dropletId: DropletId;

const suite = startBrowserSuite({ project: 'e2e-boot-log' });
const page = () => suite.page;

describe("a droplet's boot log", () => {
  beforeAll(async () => {
    const { sdk, projectId } = suite;
    dropletId = (
      await sdk.droplets.create.mutate({ projectId, name: 'box-1', size: 's-1vcpu-1gb', image: 'debian-12' })
    ).id;
    await sdk.waitFor(sdk.droplets, { projectId, id: dropletId }, 'active', CONVERGE_SDK);
  });

  it('shows what the console printed, kernel to login prompt', async () => {
    await page().goto('/');
    await page().getByLabel('API token').fill(suite.api.adminToken);
    await page().getByRole('button', { name: 'Sign in' }).click();
    await page().getByRole('button', { name: /admin/ }).waitFor(UI);
    await page().goto(`/p/${suite.projectId}/droplets/${dropletId}`);
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
