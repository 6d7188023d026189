import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type ProjectId, createUncloudClient } from '@uncloud/sdk';
import { newSshPublicKey } from '@uncloud/testing';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openWatchedPage } from './browser.ts';
import { startBrowserSuite } from './browser-suite.ts';

const screenshotDir = resolve(import.meta.dirname, 'screenshots');
const docsScreenshotDir = resolve(import.meta.dirname, '../../../docs/screenshots');

/** Long enough for a cold server on a busy two-core machine; waits end as soon as the UI is there. */
const UI = { timeout: 30_000 };
const CONVERGE = { timeout: 90_000 };
const CONVERGE_SDK = { timeoutMs: 90_000 };

let projectPath = '';

const suite = startBrowserSuite({ failureShots: '' });
const page = () => suite.page;
const dialog = () => page().getByRole('dialog');
const confirmDialog = () => page().getByRole('alertdialog');
const rowOf = (name: string) =>
  page()
    .getByRole('row')
    .filter({ has: page().getByRole('link', { name, exact: true }) });
const stateOf = (scope: Locator, state: string) => scope.locator(`[data-state="${state}"]`).first();

/** Clicks a section in the sidebar, as a person would, and waits for its heading. */
const openSection = async (label: string, heading = label) => {
  await page()
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('link', { name: label, exact: true })
    .click();
  await page().getByRole('heading', { level: 1, name: heading }).waitFor(UI);
};

const screenshot = async (name: string) => {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page().screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
};

/** Deletes the named row of the current list through its confirmation, and waits until it is gone. */
const deleteRow = async (kind: string, name: string) => {
  await page()
    .getByRole('button', { name: `Delete ${kind} ${name}`, exact: true })
    .click();
  const confirm = confirmDialog().getByRole('button', { name: `Delete ${kind}`, exact: true });
  await confirm.waitFor(UI);
  // Kinds whose deletion cannot be undone cheaply ask for the name to be typed first.
  const typeToConfirm = confirmDialog().getByLabel(`Type ${name} to confirm`);
  if (await typeToConfirm.count()) await typeToConfirm.fill(name);
  await confirm.click();
  await confirmDialog().waitFor({ state: 'detached', ...UI });
  await rowOf(name).waitFor({ state: 'detached', ...CONVERGE });
};

describe('the dashboard in a real browser', () => {
  it('signs in with the admin token', async () => {
    await page().goto('/');
    await page().getByLabel('API token').fill(suite.api.adminToken);
    await page().getByRole('button', { name: 'Sign in' }).click();
    await page().getByRole('button', { name: /admin/ }).waitFor(UI);
    expect(await page().evaluate(() => sessionStorage.getItem('uncloud.token'))).toBe(suite.api.adminToken);
  });

  it('creates a project and opens its overview', async () => {
    await openSection('Projects');
    await page().getByRole('button', { name: 'Create project' }).click();
    await dialog().getByLabel('Name').fill('e2e-shop');
    await dialog().getByLabel('Description (optional)').fill('Made by the browser tests');
    await dialog().getByRole('button', { name: 'Create project' }).click();
    await page().waitForURL(/\/p\/proj_[^/]+$/, UI);
    projectPath = new URL(page().url()).pathname;
    await page().getByRole('heading', { level: 1, name: 'e2e-shop' }).waitFor(UI);
    await expect
      .poll(() => page().getByRole('combobox', { name: 'Project' }).inputValue(), UI)
      .toBe(projectPath.split('/')[2]);
  });

  it('adds an SSH key', async () => {
    await openSection('SSH keys');
    await page().getByRole('button', { name: 'Add SSH key' }).first().click();
    await dialog().getByLabel('Name').fill('laptop');
    await dialog()
      .getByLabel('Public key')
      .fill(await newSshPublicKey('e2e@laptop'));
    await dialog().getByRole('button', { name: 'Add SSH key' }).click();
    await dialog().waitFor({ state: 'detached', ...UI });
    await rowOf('laptop').getByText('SHA256:').waitFor(UI);
  });

  it('creates a droplet and watches it become active without a reload', async () => {
    await openSection('Droplets');
    await page().getByRole('button', { name: 'Create droplet' }).first().click();
    await dialog().getByLabel('Name').fill('web-1');
    await dialog()
      .getByRole('checkbox', { name: /laptop/ })
      .check();
    await dialog().getByRole('button', { name: 'Create droplet' }).click();
    await dialog().waitFor({ state: 'detached', ...UI });

    // A mark on this document: a reload or a full navigation would wipe it.
    await page().evaluate(() => Object.assign(window, { __sameDocument: true }));
    const row = rowOf('web-1');
    await row.waitFor(UI);
    await stateOf(row, 'active').waitFor(CONVERGE);
    await expect.poll(() => row.getByText(/^10\.\d+\.\d+\.\d+$/).count(), UI).toBe(1);
    expect(await page().evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  });

  it('deploys an app and scales it', async () => {
    await openSection('Apps');
    await page().getByRole('button', { name: 'Deploy app' }).first().click();
    await dialog().getByLabel('Name').fill('api');
    await dialog().getByLabel('Container image').fill('nginx:1.27');
    await dialog().getByLabel('Port').fill('80');
    await dialog().getByLabel('Replicas').fill('1');
    await dialog().getByRole('button', { name: 'Deploy app' }).click();
    await dialog().waitFor({ state: 'detached', ...UI });
    await stateOf(rowOf('api'), 'active').waitFor(CONVERGE);

    await rowOf('api').getByRole('link', { name: 'api', exact: true }).click();
    await page().getByRole('heading', { level: 1, name: 'api' }).waitFor(UI);
    await page().getByRole('button', { name: 'Scale', exact: true }).click();
    await dialog().getByLabel('Replicas').fill('3');
    await dialog().getByRole('button', { name: 'Scale', exact: true }).click();
    await dialog().waitFor({ state: 'detached', ...UI });

    await openSection('Apps');
    await rowOf('api').getByLabel('3 of 3 replicas ready').waitFor(CONVERGE);
  });

  it('shows every main page, and photographs it', async () => {
    await openSection('Overview', 'e2e-shop');
    // The charts fill in as the sync engine samples usage; the overview is photographed with data.
    const usage = page().getByRole('table', { name: 'Usage by resource' });
    for (const name of ['web-1', 'api'])
      await rowOf(name).and(usage.getByRole('row')).locator('[data-latest="cpu"]').waitFor(CONVERGE);
    // A line needs two samples; wait until each chart draws more than a dot.
    const cpuLines = page()
      .getByRole('img', { name: /^CPU over time/ })
      .locator('path.recharts-line-curve');
    await expect
      .poll(async () => (await cpuLines.first().getAttribute('d'))?.match(/[LC]/g)?.length ?? 0, CONVERGE)
      .toBeGreaterThan(1);
    await page()
      .getByRole('table', { name: 'Quota usage' })
      .getByRole('cell', { name: 'Droplets' })
      .waitFor({ state: 'attached', ...UI });
    const overview = await screenshot('overview');

    await openSection('Droplets');
    await stateOf(rowOf('web-1'), 'active').waitFor(UI);
    const droplets = await screenshot('droplets');

    for (const [label, heading] of [
      ['Volumes', 'Volumes'],
      ['Apps', 'Apps'],
      ['Databases', 'Databases'],
      ['SSH keys', 'SSH keys'],
      ['Firewalls', 'Firewalls'],
      ['Quotas', 'Quotas'],
      ['Activity', 'Activity'],
      ['Projects', 'Projects'],
    ] as const) {
      await openSection(label, heading);
      await page()
        .locator('[aria-busy="true"]')
        .first()
        .waitFor({ state: 'detached', ...UI });
      await screenshot(label.toLowerCase().replace(' ', '-'));
    }

    // The audit log names what it can: the droplet made above is still there to be named.
    await openSection('Activity');
    await page().getByRole('cell', { name: 'Created droplet web-1', exact: true }).waitFor(UI);

    // The README shows these two, as this suite took them; refreshed on request, so that an
    // ordinary run leaves the working tree clean.
    if (process.env.UNCLOUD_UPDATE_SCREENSHOTS === '1') {
      mkdirSync(docsScreenshotDir, { recursive: true });
      copyFileSync(overview, join(docsScreenshotDir, 'overview.png'));
      copyFileSync(droplets, join(docsScreenshotDir, 'droplets.png'));
    }
  });

  it('powers the droplet off from its page', async () => {
    await openSection('Droplets');
    await rowOf('web-1').getByRole('link', { name: 'web-1', exact: true }).click();
    await page().getByRole('heading', { level: 1, name: 'web-1' }).waitFor(UI);
    await page().getByRole('button', { name: 'Power off', exact: true }).click();
    await confirmDialog().getByRole('button', { name: 'Power off', exact: true }).click();
    await confirmDialog().waitFor({ state: 'detached', ...UI });
    await stateOf(page().getByRole('main'), 'stopped').waitFor(CONVERGE);
  });

  it('shows a viewer the actions they cannot take, disabled, with the reason on the page', async () => {
    // The viewer is made through the API, as an administrator's script would; the browser then
    // signs in as them in a separate context (its own sessionStorage).
    const call = async <T>(path: string, input: unknown): Promise<T> => {
      const response = await fetch(`${suite.api.url}/trpc/${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${suite.api.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(input),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await response.json()) as { result?: { data: T }; error?: unknown };
      if (!body.result) throw new Error(`${path} failed: ${JSON.stringify(body.error)}`);
      return body.result.data;
    };
    const created = await call<{ user: { id: string }; token: { token: string } }>('users.create', {
      name: 'e2e-viewer',
    });
    const projectId = projectPath.split('/')[2];
    await call('projects.addMember', { projectId, userId: created.user.id, role: 'viewer' });

    const viewer = await openWatchedPage(suite.browser, suite.api.url);
    try {
      await viewer.page.goto('/sign-in');
      await viewer.page.getByLabel('API token').fill(created.token.token);
      await viewer.page.getByRole('button', { name: 'Sign in' }).click();
      await viewer.page.getByRole('button', { name: /e2e-viewer/ }).waitFor(UI);
      await viewer.page.goto(`${projectPath}/droplets`);
      const row = viewer.page
        .getByRole('row')
        .filter({ has: viewer.page.getByRole('link', { name: 'web-1', exact: true }) });
      const powerOn = row.getByRole('button', { name: 'Power on', exact: true });
      await powerOn.waitFor(UI);
      expect(await powerOn.isDisabled()).toBe(true);
      const reason = viewer.page.getByRole('note').filter({ hasText: "Viewers can't" });
      expect(await reason.textContent()).toMatch(
        /^Viewers can't create, power on, .* or delete droplets — ask a project owner\.$/,
      );
      expect(await powerOn.getAttribute('aria-describedby')).toBe(await reason.getAttribute('id'));
      mkdirSync(screenshotDir, { recursive: true });
      await viewer.page.screenshot({ path: join(screenshotDir, 'viewer-droplets.png'), fullPage: true });
      expect(viewer.takeProblems(), "the viewer's browser reported errors").toEqual([]);
    } finally {
      await viewer.context.close();
    }
  });

  it("shows changes made elsewhere within a second, in this page and in a second user's", async () => {
    // A script, and a second person with a page of their own, act on the project meanwhile.
    const sdk = createUncloudClient({ url: suite.api.url, token: suite.api.adminToken });
    const projectId = projectPath.split('/')[2] as ProjectId;
    const second = await sdk.users.create.mutate({ name: 'e2e-teammate' });
    await sdk.projects.addMember.mutate({ projectId, userId: second.user.id, role: 'member' });
    const teammate = await openWatchedPage(suite.browser, suite.api.url);
    try {
      await teammate.page.goto('/sign-in');
      await teammate.page.getByLabel('API token').fill(second.token.token);
      await teammate.page.getByRole('button', { name: 'Sign in' }).click();
      await teammate.page.getByRole('button', { name: /e2e-teammate/ }).waitFor(UI);
      await teammate.page.goto(`${projectPath}/droplets`);
      await openSection('Droplets');
      await page().evaluate(() => Object.assign(window, { __sameDocument: true }));

      const created = await sdk.droplets.create.mutate({
        projectId,
        name: 'from-sdk',
        size: 's-1vcpu-1gb',
        image: 'ubuntu-24-04',
      });
      const afterCreate = Date.now();
      const row = rowOf('from-sdk');
      await row.waitFor(UI);
      expect(Date.now() - afterCreate, 'the new droplet in the open list').toBeLessThanOrEqual(1000);
      await sdk.waitFor(sdk.droplets, { projectId, id: created.id }, 'active', CONVERGE_SDK);
      const afterActive = Date.now();
      await stateOf(row, 'active').waitFor(UI);
      expect(Date.now() - afterActive, 'the droplet shown active').toBeLessThanOrEqual(1000);

      const teammateRow = teammate.page
        .getByRole('row')
        .filter({ has: teammate.page.getByRole('link', { name: 'from-sdk', exact: true }) });
      await stateOf(teammateRow, 'active').waitFor(UI);
      await sdk.waitForAction(
        await sdk.droplets.powerOff.mutate({ projectId, id: created.id }),
        CONVERGE_SDK,
      );
      const afterPowerOff = Date.now();
      await stateOf(teammateRow, 'stopped').waitFor(UI);
      expect(Date.now() - afterPowerOff, "the power-off in the teammate's page").toBeLessThanOrEqual(1000);
      expect(await page().evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
      expect(teammate.takeProblems(), "the teammate's browser reported errors").toEqual([]);
      await deleteRow('droplet', 'from-sdk');
    } finally {
      await teammate.context.close();
    }
  });

  it('deletes everything it made', async () => {
    await openSection('Apps');
    await deleteRow('app', 'api');
    await openSection('Droplets');
    await deleteRow('droplet', 'web-1');
    await openSection('SSH keys');
    await deleteRow('SSH key', 'laptop');
    await openSection('Projects');
    await deleteRow('project', 'e2e-shop');
  });

  it('opens the API reference from the user menu and lists the REST operations', async () => {
    await page().getByRole('button', { name: /admin/ }).click();
    await page().getByRole('menuitem', { name: 'API reference' }).click();
    await page().getByRole('heading', { level: 1, name: 'API reference' }).waitFor(UI);
    const droplets = page().getByRole('region', { name: 'droplets' });
    const actions = droplets
      .locator('details')
      .filter({ hasText: '/projects/{projectId}/droplets/{id}/actions' });
    await actions.locator('summary').click();
    await actions.getByText('{ "type": "power_off" }').waitFor(UI);
    await page().getByRole('textbox', { name: 'Filter operations' }).fill('ssh_keys');
    await droplets.waitFor({ state: 'detached', ...UI });
    await page().getByRole('region', { name: 'sshKeys' }).waitFor(UI);
    // The next steps start from the projects page, where the deletions left off.
    await openSection('Projects');
  });

  it('keeps dark mode and the session across a reload', async () => {
    await page().getByRole('button', { name: 'Dark mode', pressed: false }).click();
    await page().reload();
    await page().getByRole('button', { name: 'Dark mode', pressed: true }).waitFor(UI);
    expect(await page().evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true);
    await page().getByRole('heading', { level: 1, name: 'Projects' }).waitFor(UI);
    await screenshot('projects-dark');
  });

  it('signs out and forgets the token', async () => {
    await page().getByRole('button', { name: /admin/ }).click();
    await page().getByRole('menuitem', { name: 'Sign out' }).click();
    await page().getByLabel('API token').waitFor(UI);
    expect(await page().evaluate(() => sessionStorage.getItem('uncloud.token'))).toBeNull();
  });
});
