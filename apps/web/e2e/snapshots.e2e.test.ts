// The Snapshots page in a real browser: take a snapshot of a droplet, see it ready, create a droplet
// from it, find it among Rebuild's sources, restore its droplet to it and delete it. The droplet and
// project are made through the SDK; everything about snapshots goes through the dashboard.
import type { DropletId } from '@uncloud/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONVERGE, CONVERGE_SDK, UI, startBrowserSuite } from './browser-suite.ts';

let dropletId: DropletId;

const suite = startBrowserSuite({ project: 'e2e-snapshots' });
const page = () => suite.page;
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
    const { sdk, projectId } = suite;
    const droplet = await sdk.droplets.create.mutate({
      projectId,
      name: 'web-1',
      size: 's-1vcpu-1gb',
      image: 'ubuntu-24-04',
    });
    dropletId = droplet.id;
    await sdk.waitFor(sdk.droplets, { projectId, id: dropletId }, 'active', CONVERGE_SDK);
  });

  it('signs in and opens the project’s snapshots, empty', async () => {
    await suite.signIn({ path: '/' });
    await page().goto(`/p/${suite.projectId}`);
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
    const copies = await suite.sdk.droplets.list.query({ projectId: suite.projectId, name: 'web-2' });
    const snapshots = await suite.sdk.snapshots.list.query({ projectId: suite.projectId });
    expect(copies.items[0]?.rootDiskSnapshotId).toBe(snapshots.items[0]?.id);
    await suite.sdk.waitFor(
      suite.sdk.droplets,
      { projectId: suite.projectId, id: copies.items[0]!.id },
      'active',
      CONVERGE_SDK,
    );
  });

  it('offers the snapshot as a source in Rebuild', async () => {
    await page().goto(`/p/${suite.projectId}/droplets/${dropletId}`);
    await page().getByRole('heading', { level: 1, name: 'web-1' }).waitFor(UI);
    await page().getByRole('button', { name: 'Rebuild', exact: true }).click();
    const source = dialog().getByLabel('Rebuild from');
    await expect.poll(() => source.locator('option', { hasText: 'before-upgrade' }).count(), UI).toBe(1);
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await dialog().waitFor({ state: 'detached', ...UI });
  });

  it('restores the powered-off droplet to the snapshot', async () => {
    const off = await suite.sdk.droplets.powerOff.mutate({ projectId: suite.projectId, id: dropletId });
    await suite.sdk.waitForAction(off, CONVERGE_SDK);
    await openSection('Snapshots');
    await rowOf('before-upgrade').getByRole('button', { name: 'Restore droplet' }).click();
    await confirmDialog().getByRole('button', { name: 'Restore droplet' }).click();
    await confirmDialog().waitFor({ state: 'detached', ...UI });
    const snapshotId = (await suite.sdk.snapshots.list.query({ projectId: suite.projectId })).items[0]!.id;
    await expect
      .poll(
        async () =>
          (await suite.sdk.droplets.get.query({ projectId: suite.projectId, id: dropletId }))
            .rootDiskSnapshotId,
        CONVERGE,
      )
      .toBe(snapshotId);
    const actions = await suite.sdk.actions.list.query({ projectId: suite.projectId, resourceId: dropletId });
    const restore = actions.items.find((a) => a.type === 'restore')!;
    expect((await suite.sdk.waitForAction(restore, CONVERGE_SDK)).status).toBe('completed');
  });

  it('deletes the snapshot', async () => {
    await page().getByRole('button', { name: 'Delete snapshot before-upgrade', exact: true }).click();
    await confirmDialog().getByRole('button', { name: 'Delete snapshot', exact: true }).click();
    await confirmDialog().waitFor({ state: 'detached', ...UI });
    await rowOf('before-upgrade').waitFor({ state: 'detached', ...CONVERGE });
    expect((await suite.sdk.snapshots.list.query({ projectId: suite.projectId })).items).toEqual([]);
  });
});
