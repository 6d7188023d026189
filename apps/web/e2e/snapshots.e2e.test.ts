// The Snapshots page in a real browser: take a snapshot of a droplet, see it ready, create a droplet
// from it, find it among Rebuild's sources, restore its droplet to it and delete it. The droplet and
// project are made through the SDK; everything about snapshots goes through the dashboard.
import { type DropletId, type ProjectId, type UncloudClient, createUncloudClient } from '@uncloud/sdk';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, openWatchedPage, type WatchedPage } from './browser.ts';
import { assertFreshBuild, startApi, type RunningApi } from './server.ts';

const UI = { timeout: 30_000 };
const CONVERGE = { timeout: 90_000 };
const CONVERGE_SDK = { timeoutMs: 90_000 };

let api: RunningApi;
let browser: Browser;
let tab: WatchedPage;
let sdk: UncloudClient;
let projectId: ProjectId;
let dropletId: DropletId;

const page = () => tab.page;
const dialog = () => page().getByRole('dialog');
const confirmDialog = () => page().getByRole('alertdialog');
const rowOf = (name: string) =>
  page()
    .getByRole('row')
    .filter({ has: page().getByRole('link', { name, exact: true }) });
const stateOf = (name: string, state: string) => rowOf(name).locator(`[data-state="${state}"]`).first();

const openSection = async (label: string) => {
  await page()
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('link', { name: label, exact: true })
    .click();
  await page().getByRole('heading', { level: 1, name: label }).waitFor(UI);
};

describe('the Snapshots page', () => {
  beforeAll(async () => {
    assertFreshBuild();
    browser = await launchChromium();
    api = await startApi();
    tab = await openWatchedPage(browser, api.url);
    sdk = createUncloudClient({ url: api.url, token: api.adminToken });
    projectId = (await sdk.projects.create.mutate({ name: 'e2e-snapshots' })).id;
    const droplet = await sdk.droplets.create.mutate({
      projectId,
      name: 'web-1',
      size: 's-1vcpu-1gb',
      image: 'ubuntu-24-04',
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

  it('signs in and opens the project’s snapshots, empty', async () => {
    await page().goto('/');
    await page().getByLabel('API token').fill(api.adminToken);
    await page().getByRole('button', { name: 'Sign in' }).click();
    await page().getByRole('button', { name: /admin/ }).waitFor(UI);
    await page().goto(`/p/${projectId}`);
    await openSection('Snapshots');
    await page().getByText('No snapshots yet').waitFor(UI);
  });

  it('takes a snapshot of the droplet and shows it ready', async () => {
    await page().getByRole('button', { name: 'Take snapshot' }).first().click();
    await dialog().getByLabel('Of').selectOption({ label: 'Droplet web-1' });
    await dialog().getByLabel('Name (optional)').fill('before-upgrade');
    await dialog().getByRole('button', { name: 'Take snapshot' }).click();
    await dialog().waitFor({ state: 'detached', ...UI });
    await stateOf('before-upgrade', 'active').waitFor(CONVERGE);
    await rowOf('before-upgrade').getByText('25 GiB').waitFor(UI);
    await rowOf('before-upgrade').getByRole('link', { name: 'web-1', exact: true }).waitFor(UI);
  });

  it('creates a droplet from the snapshot', async () => {
    await page().getByRole('button', { name: 'More actions for snapshot before-upgrade' }).click();
    await page().getByRole('menuitem', { name: 'Create droplet' }).click();
    await dialog().getByLabel('Name').fill('web-2');
    await dialog().getByRole('button', { name: 'Create droplet' }).click();
    await page().getByRole('heading', { level: 1, name: 'web-2' }).waitFor(UI);
    const copies = await sdk.droplets.list.query({ projectId, name: 'web-2' });
    const snapshots = await sdk.snapshots.list.query({ projectId });
    expect(copies.items[0]?.rootDiskSnapshotId).toBe(snapshots.items[0]?.id);
    await sdk.waitFor(sdk.droplets, { projectId, id: copies.items[0]!.id }, 'active', CONVERGE_SDK);
  });

  it('offers the snapshot as a source in Rebuild', async () => {
    await page().goto(`/p/${projectId}/droplets/${dropletId}`);
    await page().getByRole('heading', { level: 1, name: 'web-1' }).waitFor(UI);
    await page().getByRole('button', { name: 'Rebuild', exact: true }).click();
    const source = dialog().getByLabel('Rebuild from');
    await expect.poll(() => source.locator('option', { hasText: 'before-upgrade' }).count(), UI).toBe(1);
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await dialog().waitFor({ state: 'detached', ...UI });
  });

  it('restores the powered-off droplet to the snapshot', async () => {
    const off = await sdk.droplets.powerOff.mutate({ projectId, id: dropletId });
    await sdk.waitForAction(off, CONVERGE_SDK);
    await openSection('Snapshots');
    await rowOf('before-upgrade').getByRole('button', { name: 'Restore droplet' }).click();
    await confirmDialog().getByRole('button', { name: 'Restore droplet' }).click();
    await confirmDialog().waitFor({ state: 'detached', ...UI });
    const snapshotId = (await sdk.snapshots.list.query({ projectId })).items[0]!.id;
    await expect
      .poll(
        async () => (await sdk.droplets.get.query({ projectId, id: dropletId })).rootDiskSnapshotId,
        CONVERGE,
      )
      .toBe(snapshotId);
    const actions = await sdk.actions.list.query({ projectId, resourceId: dropletId });
    const restore = actions.items.find((a) => a.type === 'restore')!;
    expect((await sdk.waitForAction(restore, CONVERGE_SDK)).status).toBe('completed');
  });

  it('deletes the snapshot', async () => {
    await page().getByRole('button', { name: 'Delete snapshot before-upgrade', exact: true }).click();
    await confirmDialog().getByRole('button', { name: 'Delete snapshot', exact: true }).click();
    await confirmDialog().waitFor({ state: 'detached', ...UI });
    await rowOf('before-upgrade').waitFor({ state: 'detached', ...CONVERGE });
    expect((await sdk.snapshots.list.query({ projectId })).items).toEqual([]);
  });
});
