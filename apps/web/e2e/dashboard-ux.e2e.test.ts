import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ProjectId } from '@uncloud/sdk';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { rawSchemaText } from '../src/test/raw-schema-text.ts';
import { startBrowserSuite } from './browser-suite.ts';

const screenshotDir = resolve(import.meta.dirname, 'screenshots');
const docsScreenshotDir = resolve(import.meta.dirname, '../../../docs/screenshots');

const UI = { timeout: 30_000 };
const CONVERGE_SDK = { timeoutMs: 90_000 };
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };

/**
 * What the overview may cost, measured in this suite on the built dashboard: a change that makes
 * it slower or heavier than this fails here, rather than being found by a person on a slow line.
 * Measured at about 0.4–1 s, 0.7–1.3 s and 403 KiB with the charts loaded; times leave room for a
 * busy two-core machine, the bytes about 15 % for growth that is worth its weight.
 */
const OVERVIEW_BUDGET = { fcpMs: 2_000, lcpMs: 2_500, transferredKiB: 460 };

let projectId: ProjectId;
const suite = startBrowserSuite({ failureShots: 'ux-' });
const sdk = () => suite.sdk;
const page = () => suite.page;
const dialog = () => page().getByRole('dialog');
const projectPath = (rest = '') => `/p/${projectId}${rest}`;

/**
 * Full-page screenshots at desktop and phone width into e2e/screenshots; with
 * UNCLOUD_UPDATE_SCREENSHOTS=1 also into docs/screenshots, as the main suite does.
 */
const photograph = async (name: string, of: Page = page()) => {
  mkdirSync(screenshotDir, { recursive: true });
  if (process.env.UNCLOUD_UPDATE_SCREENSHOTS === '1') mkdirSync(docsScreenshotDir, { recursive: true });
  const viewport = of.viewportSize();
  for (const [label, size] of [
    ['1440', DESKTOP],
    ['390', PHONE],
  ] as const) {
    await of.setViewportSize(size);
    const path = join(screenshotDir, `${name}-${label}.png`);
    await of.screenshot({ path, fullPage: true, animations: 'disabled' });
    if (process.env.UNCLOUD_UPDATE_SCREENSHOTS === '1')
      copyFileSync(path, join(docsScreenshotDir, `${name}-${label}.png`));
  }
  if (viewport) await of.setViewportSize(viewport);
};

const signIn = (of: Page, { keep = false } = {}) => suite.signIn({ of, keep });

describe('the dashboard people prefer to the CLI', () => {
  beforeAll(async () => {
    const project = await sdk().projects.create.mutate({ name: 'ux-shop' });
    projectId = project.id;
    for (const name of ['logs', 'data', 'media'])
      await sdk().volumes.create.mutate({ projectId, name, sizeGiB: 1 });
  });

  it('keeps a session for new tabs only when asked to', async () => {
    await signIn(page());
    const second = await suite.tab.context.newPage();
    await second.goto(projectPath());
    await second.getByLabel('API token').waitFor(UI);
    await second.close();

    await page().getByRole('button', { name: /admin/ }).click();
    await page().getByRole('menuitem', { name: 'Sign out' }).click();
    await signIn(page(), { keep: true });
    const third = await suite.tab.context.newPage();
    await third.goto(projectPath());
    await third.getByRole('heading', { level: 1, name: 'ux-shop' }).waitFor(UI);
    await third.close();
    await photograph(
      'sign-in-keep',
      await (async () => {
        const fresh = await suite.browser.newPage({ viewport: DESKTOP });
        await fresh.goto(`${suite.api.url}/sign-in`);
        await fresh.getByLabel('API token').waitFor(UI);
        return fresh;
      })(),
    );
  });

  it('says what is wrong with a form in words, and shows not-found for a mistyped address at once', async () => {
    await page().goto(projectPath('/apps'));
    await page()
      .getByRole('button', { name: /Deploy app/ })
      .first()
      .click();
    await dialog().getByLabel('Port').fill('');
    await dialog().getByLabel('Environment (optional)').fill('A=1\n1BAD=x\nA=2');
    await dialog().getByLabel('Tags').fill('web bad!');
    await dialog().getByRole('button', { name: 'Deploy app' }).click();
    await dialog().getByText('Line 2: "1BAD" is not a valid name').waitFor(UI);
    await dialog().getByText('"bad!" must be letters').waitFor(UI);
    const text = (await dialog().textContent()) ?? '';
    expect(rawSchemaText(text)).toEqual([]);
    expect(text).toContain('is required');
    await photograph('form-errors');
    await dialog().getByRole('button', { name: 'Cancel' }).click();

    const started = Date.now();
    await page().goto(projectPath('/droplets/not-a-droplet'));
    await page().getByRole('heading', { name: 'This droplet does not exist' }).waitFor(UI);
    expect(Date.now() - started, 'not-found shown without retries').toBeLessThan(2_000);
    expect(await page().getByRole('button', { name: 'Try again' }).count()).toBe(0);
  });

  it('sorts, filters, counts and bulk-deletes a list, keeping it all in the address', async () => {
    await page().goto(projectPath('/volumes'));
    const table = page().getByRole('table', { name: 'Volumes' });
    await table.waitFor(UI);
    await page().getByText('1–3 of 3').waitFor(UI);
    await table.getByRole('button', { name: /^Name/ }).click();
    await table.getByRole('button', { name: /^Name/ }).click();
    await page().waitForURL(/sort=name&order=desc/, UI);
    const names = async () =>
      (await table.getByRole('row').locator('a').allTextContents()).filter((n) => n.length > 0);
    await expect.poll(names, UI).toEqual(['media', 'logs', 'data']);
    await page().reload();
    await expect.poll(names, UI).toEqual(['media', 'logs', 'data']);

    await page()
      .getByRole('searchbox', { name: /Search volumes/ })
      .fill('a');
    await page().waitForURL(/q=a/, UI);
    await expect.poll(names, UI).toEqual(['media', 'data']);
    await photograph('volumes-list');

    await table.getByRole('checkbox', { name: 'Select volume media' }).check();
    await table.getByRole('checkbox', { name: 'Select volume data' }).check();
    await page().getByRole('button', { name: 'Delete 2 volumes' }).click();
    const confirm = page().getByRole('alertdialog');
    await confirm.getByLabel(/Type 2 volumes to confirm/).fill('2 volumes');
    await confirm.getByRole('button', { name: 'Delete 2 volumes' }).click();
    await page()
      .getByRole('searchbox', { name: /Search volumes/ })
      .fill('');
    await expect.poll(names, { timeout: 90_000 }).toEqual(['logs']);
  });

  it('turns lists into cards at 390 px, with the row actions on screen', async () => {
    await page().setViewportSize(PHONE);
    try {
      await page().goto(projectPath('/volumes'));
      const remove = page().getByRole('button', { name: 'Delete volume logs' });
      await remove.waitFor(UI);
      const box = await remove.boundingBox();
      expect(box!.x + box!.width, 'the delete button on screen').toBeLessThanOrEqual(PHONE.width);
      const overflow = await page().evaluate(() => document.documentElement.scrollWidth);
      expect(overflow, 'no sideways scrolling').toBeLessThanOrEqual(PHONE.width);

      await page().goto(projectPath());
      const usage = page().getByRole('heading', { name: /Usage/ }).first();
      await usage.waitFor(UI);
      const top = (await usage.boundingBox())!.y;
      expect(top, 'the usage chart within the second screen').toBeLessThan(PHONE.height * 2);
    } finally {
      await page().setViewportSize(DESKTOP);
    }
  });

  it("offers a droplet's address and SSH command to copy", async () => {
    await suite.tab.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const droplet = await sdk().droplets.create.mutate({
      projectId,
      name: 'web-1',
      size: 's-1vcpu-1gb',
      image: 'ubuntu-24-04',
    });
    await sdk().waitFor(sdk().droplets, { projectId, id: droplet.id }, 'active', CONVERGE_SDK);
    await page().goto(projectPath(`/droplets/${droplet.id}`));
    const command = page().getByText(/^ssh root@[\d.]+$/);
    await command.waitFor(UI);
    const ssh = (await command.textContent())!;
    await page().getByRole('button', { name: 'Copy SSH command' }).click();
    await expect.poll(() => page().evaluate(() => navigator.clipboard.readText()), UI).toBe(ssh);
    await page().getByRole('button', { name: 'Copy ID' }).click();
    await expect.poll(() => page().evaluate(() => navigator.clipboard.readText()), UI).toBe(droplet.id);
    await page().getByText('Ubuntu 24.04 LTS').first().waitFor(UI);
    await photograph('droplet-detail');
  });

  it('keeps the action tray off the last row, and dialog buttons in view', async () => {
    await page().goto(projectPath('/volumes'));
    await page().getByRole('button', { name: 'Attach' }).first().click();
    await dialog().getByRole('combobox').selectOption({ index: 1 });
    await dialog().getByRole('button', { name: 'Attach' }).click();
    const tray = page().getByRole('region', { name: 'Actions' });
    await tray.waitFor(UI);
    // A short window, so that the list reaches its foot and the tray sits where the last row would.
    await page().setViewportSize({ width: DESKTOP.width, height: 420 });
    await page().evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const lastRow = page().getByRole('table', { name: 'Volumes' }).getByRole('row').last();
    const [row, toast] = [(await lastRow.boundingBox())!, (await tray.boundingBox())!];
    // Below the last row there is room for the tray as it is and for one more notice.
    const room = 420 - (row.y + row.height);
    expect(room, 'room under the last row for two notices').toBeGreaterThanOrEqual(2 * (420 - toast.y));

    for (const size of [DESKTOP, PHONE]) {
      await page().setViewportSize(size);
      await page().goto(projectPath('/apps'));
      await page()
        .getByRole('button', { name: /Deploy app/ })
        .first()
        .click();
      const submit = dialog().getByRole('button', { name: 'Deploy app' });
      const box = (await submit.boundingBox())!;
      expect(box.y + box.height, `the submit button in view at ${size.height} px`).toBeLessThanOrEqual(
        size.height,
      );
      if (size === DESKTOP) {
        const port = (await dialog().getByLabel('Port').boundingBox())!;
        const replicas = (await dialog().getByLabel('Replicas').boundingBox())!;
        expect(Math.abs(port.y - replicas.y), 'side-by-side fields aligned').toBeLessThan(1);
      }
      await page().keyboard.press('Escape');
    }
    await page().setViewportSize(DESKTOP);
  });

  it('hides environment values in the deploy dialog until asked', async () => {
    const created = await sdk().apps.create.mutate({
      projectId,
      name: 'api',
      image: 'nginx:1.27',
      port: 80,
      env: { DB_PASSWORD: 'hunter2' },
    });
    await page().goto(projectPath(`/apps/${created.id}`));
    await page().getByRole('button', { name: 'Deploy', exact: true }).first().click();
    const env = dialog().getByLabel('Environment');
    const security = () => env.evaluate((e) => getComputedStyle(e).getPropertyValue('-webkit-text-security'));
    expect(await security()).toBe('disc');
    await dialog().getByRole('button', { name: 'Show values' }).click();
    expect(await security()).toBe('none');
    await page().keyboard.press('Escape');
  });

  it('creates a firewall with several rules, picking a droplet by name', async () => {
    await page().goto(projectPath('/firewalls'));
    await page()
      .getByRole('button', { name: /Create firewall/ })
      .first()
      .click();
    await dialog().getByLabel('Name').fill('web');
    await dialog().getByRole('button', { name: 'Add inbound rule' }).click();
    const second = dialog().getByRole('group', { name: 'Inbound rule 2' });
    await second.getByLabel('Sources', { exact: true }).fill('');
    await second.getByRole('combobox', { name: /Add to sources/ }).selectOption({ label: 'web-1' });
    await second.getByText('Includes droplet web-1.').waitFor(UI);
    await dialog().getByRole('button', { name: 'Add outbound rule' }).click();
    await dialog().getByRole('button', { name: 'Create firewall' }).click();
    await dialog().waitFor({ state: 'detached', ...UI });
    const [created] = (await sdk().firewalls.list.query({ projectId, name: 'web' })).items;
    expect(created?.inbound).toHaveLength(2);
    expect(created?.inbound[1]?.sources).toHaveLength(1);
    expect(created?.outbound).toHaveLength(1);
  });

  it("changes a member's role in place", async () => {
    const teammate = await sdk().users.create.mutate({ name: 'ux-teammate' });
    await sdk().projects.addMember.mutate({ projectId, userId: teammate.user.id, role: 'member' });
    await page().goto(projectPath('/settings'));
    await page().getByRole('combobox', { name: 'Role of ux-teammate' }).selectOption('viewer');
    await expect
      .poll(
        async () =>
          (await sdk().projects.members.query({ projectId })).find((m) => m.user.id === teammate.user.id)
            ?.role,
        UI,
      )
      .toBe('viewer');
  });

  it('asks for the name before deleting a project', async () => {
    const spare = await sdk().projects.create.mutate({ name: 'ux-spare' });
    await page().goto(`/p/${spare.id}/settings`);
    await page()
      .getByRole('button', { name: /Delete project/ })
      .first()
      .click();
    const confirm = page().getByRole('alertdialog');
    const button = confirm.getByRole('button', { name: 'Delete project' });
    expect(await button.isDisabled()).toBe(true);
    await confirm.getByLabel(/Type ux-spare to confirm/).fill('ux-spare');
    expect(await button.isDisabled()).toBe(false);
    await button.click();
    await page().waitForURL(/\/projects$/, UI);
  });

  it('loads the overview within its budget: first and largest contentful paint, bytes transferred', async () => {
    // A first visit: a new browser context, so that nothing is cached; the token is in place already.
    const context = await suite.browser.newContext({ baseURL: suite.api.url, viewport: DESKTOP });
    try {
      await context.addInitScript(
        ([token]) => sessionStorage.setItem('uncloud.token', token!),
        [suite.api.adminToken],
      );
      const visit = await context.newPage();
      await visit.goto(projectPath());
      await visit.getByRole('heading', { level: 1, name: 'ux-shop' }).waitFor(UI);
      await visit.getByRole('list', { name: 'Resources' }).waitFor(UI);
      // The charts load after the counts; the page is complete (and its bytes all counted) once one shows.
      await visit.locator('.recharts-wrapper').first().waitFor(UI);
      const figures = await visit.evaluate(async () => {
        const lcp = await new Promise<number>((done) => {
          new PerformanceObserver((list) => done(list.getEntries().at(-1)!.startTime)).observe({
            type: 'largest-contentful-paint',
            buffered: true,
          });
        });
        const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
        const bytes = resources.reduce((sum, r) => sum + r.transferSize, nav.transferSize);
        return { fcp, lcp, bytes, requests: resources.length + 1 };
      });
      const kib = Math.round(figures.bytes / 1024);
      console.info(
        `overview: first contentful paint ${Math.round(figures.fcp)} ms, largest contentful paint ` +
          `${Math.round(figures.lcp)} ms, ${kib} KiB transferred in ${figures.requests} requests ` +
          `(budget ${OVERVIEW_BUDGET.fcpMs} ms, ${OVERVIEW_BUDGET.lcpMs} ms, ${OVERVIEW_BUDGET.transferredKiB} KiB)`,
      );
      expect(figures.fcp).toBeLessThan(OVERVIEW_BUDGET.fcpMs);
      expect(figures.lcp).toBeLessThan(OVERVIEW_BUDGET.lcpMs);
      expect(kib).toBeLessThan(OVERVIEW_BUDGET.transferredKiB);
      await photograph('overview-ux', visit);
    } finally {
      await context.close();
    }
  });
});
