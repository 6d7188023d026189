// The Reserved IPs page in a real browser: reserve an address and assign it to a droplet, see the
// droplet's page show it with its ssh line, move it to another droplet (an action the tray follows)
// and see the Service in the cluster follow while the address stays.
// The droplets and project are made through the SDK; the reserved IP through the dashboard.
import type { DropletId } from '@uncloud/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONVERGE, CONVERGE_SDK, UI, startBrowserSuite } from './browser-suite.ts';

let address: string;
const droplets: Record<string, DropletId> = {};

const suite = startBrowserSuite({ project: 'e2e-reserved-ips' });
const page = () => suite.page;
const dialog = () => page().getByRole('dialog');
const rowOf = (text: string) => page().getByRole('row').filter({ hasText: text });
const reserved = async () =>
  (await suite.sdk.reservedIps.list.query({ projectId: suite.projectId })).items[0]!;

describe('the Reserved IPs page', () => {
  beforeAll(async () => {
    const { sdk, projectId } = suite;
    for (const name of ['web-1', 'web-2']) {
      const droplet = await sdk.droplets.create.mutate({
        projectId,
        name,
        size: 's-1vcpu-1gb',
        image: 'ubuntu-24-04',
      });
      droplets[name] = droplet.id;
    }
    for (const id of Object.values(droplets))
      await sdk.waitFor(sdk.droplets, { projectId, id }, 'active', CONVERGE_SDK);
  });

  it('signs in and opens the project’s reserved IPs, empty', async () => {
    await page().goto('/');
    await page().getByLabel('API token').fill(suite.api.adminToken);
    await page().getByRole('button', { name: 'Sign in' }).click();
    await page().getByRole('button', { name: /admin/ }).waitFor(UI);
    await page().goto(`/p/${suite.projectId}`);
    await page()
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('link', { name: 'Reserved IPs', exact: true })
      .click();
    await page().getByRole('heading', { level: 1, name: 'Reserved IPs' }).waitFor(UI);
    await page().getByText('No reserved IPs yet').waitFor(UI);
  });

  it('reserves an address assigned to a droplet, and the droplet’s ssh line uses it', async () => {
    await page().getByRole('button', { name: 'Reserve IP' }).first().click();
    await dialog().getByLabel('Assign to').selectOption({ label: 'web-1 (active)' });
    await dialog().getByRole('button', { name: 'Reserve IP' }).click();
    await dialog().waitFor({ state: 'detached', ...UI });
    address = (await reserved()).ip;
    expect(address).toMatch(/^203\.0\.113\.\d+$/);
    await rowOf(address).getByRole('link', { name: 'web-1' }).waitFor(UI);
    await rowOf(address).getByText('active', { exact: true }).waitFor(CONVERGE);

    await rowOf(address).getByRole('link', { name: 'web-1' }).click();
    await page().getByRole('heading', { level: 1, name: 'web-1' }).waitFor(UI);
    await page().getByText(`ssh root@${address}`).waitFor(UI);
  });

  it('moves it to the other droplet, and the cluster’s Service follows with the same address', async () => {
    await page().goto(`/p/${suite.projectId}/reserved-ips`);
    await rowOf(address).getByRole('button', { name: 'Move' }).click();
    await dialog().getByLabel('Droplet').selectOption({ label: 'web-2 (active)' });
    await dialog().getByRole('button', { name: 'Move' }).click();
    await dialog().waitFor({ state: 'detached', ...UI });
    const tray = page().getByRole('region', { name: 'Actions' });
    await tray.getByText('Assigned').waitFor(CONVERGE);
    await rowOf(address).getByRole('link', { name: 'web-2' }).waitFor(UI);
    const moved = await reserved();
    expect(moved).toMatchObject({
      ip: address,
      dropletId: droplets['web-2'],
      state: 'active',
      announced: true,
    });

    await page().goto(`/p/${suite.projectId}/droplets/${droplets['web-2']}`);
    await page().getByText(`ssh root@${address}`).waitFor(UI);
    await page().goto(`/p/${suite.projectId}/droplets/${droplets['web-1']}`);
    await page().getByRole('link', { name: 'assign one' }).waitFor(UI);
  });

  it('refuses to delete it while assigned, saying what to do', async () => {
    await page().goto(`/p/${suite.projectId}/reserved-ips`);
    await rowOf(address)
      .getByRole('link', { name: (await reserved()).name })
      .click();
    await page().getByRole('button', { name: 'Delete', exact: true }).click();
    const confirm = page().getByRole('alertdialog');
    await confirm.getByRole('button', { name: 'Delete reserved IP' }).click();
    await confirm
      .getByRole('alert')
      .getByText(/unassign it first, then delete it/)
      .waitFor(UI);
    expect((await reserved()).state).toBe('active');
    // The refusal is the one error the page saw: the API's 409, as the browser reports it.
    const problems = suite.tab.takeProblems();
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.filter((p) => !p.includes('409'))).toEqual([]);
  });
});
