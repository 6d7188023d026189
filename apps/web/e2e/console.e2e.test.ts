// A droplet's serial console in a real browser: the dashboard opens a WebSocket to the API, which
// proxies KubeVirt's console subresource of the simulated cluster; the guest's boot log and login
// prompt appear and what is typed is echoed. The droplet's public address and ssh line show too.
import type { DropletId } from '@uncloud/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONVERGE_SDK, UI, startBrowserSuite } from './browser-suite.ts';

let dropletId: DropletId;

const suite = startBrowserSuite({ project: 'e2e-console' });
const page = () => suite.page;
const output = () => page().getByLabel('Console output');
// The guest's prompt names its machine: the VirtualMachineInstance, named after the droplet's id.
const prompt = () => `${dropletId.replace('_', '-')} login:`;

describe("a droplet's console", () => {
  beforeAll(async () => {
    const { sdk, projectId } = suite;
    const droplet = await sdk.droplets.create.mutate({
      projectId,
      name: 'box-1',
      size: 's-1vcpu-1gb',
      image: 'debian-12',
    });
    dropletId = droplet.id;
    await sdk.waitFor(sdk.droplets, { projectId, id: dropletId }, 'active', CONVERGE_SDK);
  });

  it('signs in and shows the droplet with its public address and ssh line', async () => {
    await suite.signIn({ path: '/' });
    await page().goto(`/p/${suite.projectId}/droplets/${dropletId}`);
    await page().getByRole('heading', { level: 1, name: 'box-1' }).waitFor(UI);
    const publicIp = await expect
      .poll(
        async () =>
          (await suite.sdk.droplets.get.query({ projectId: suite.projectId, id: dropletId })).publicIp,
        UI,
      )
      .toMatch(/^\d+\.\d+\.\d+\.\d+$/)
      .then(
        async () =>
          (await suite.sdk.droplets.get.query({ projectId: suite.projectId, id: dropletId })).publicIp!,
      );
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
