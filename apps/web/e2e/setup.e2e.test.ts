import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type ManifestServer, startManifestServer, waitFor } from '@uncloud/testing';
import { describe, expect, it } from 'vitest';
import { startBrowserSuite } from './browser-suite.ts';

// From a fresh k3s (the simulator's `bare` profile, run on its own as `kube-sim --profile bare`) to
// a running droplet and PostgreSQL database, through the Setup page alone, with
// UNCLOUD_CLUSTER=kubeconfig and the components' manifests served from 127.0.0.1.
const UI = { timeout: 30_000 };
const CONVERGE = { timeout: 120_000 };

const repo = resolve(import.meta.dirname, '../../..');
let dir: string;
let simProcess: ChildProcess | undefined;
let manifests: ManifestServer;

/** The simulated cluster in a process of its own, as an outside cluster would be. */
const startBareCluster = async (kubeconfig: string) => {
  const tsx = createRequire(join(repo, 'apps/api/package.json')).resolve('tsx/cli');
  const child = spawn(
    process.execPath,
    [
      tsx,
      join(repo, 'packages/kube-sim/src/main.ts'),
      '--profile',
      'bare',
      '--delay',
      '0',
      '--kubeconfig',
      kubeconfig,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(() => output.includes('kubeconfig:') && existsSync(kubeconfig), {
    timeout: 60_000,
    message: 'the simulated cluster to start',
  });
  return child;
};

const card = (title: string) =>
  page()
    .getByRole('article', { name: title })
    .or(page().locator(`[aria-label="${title}"]`));

const suite = startBrowserSuite({
  // The cluster is a process of its own, with the components' manifests served from 127.0.0.1.
  env: async () => {
    dir = mkdtempSync(join(tmpdir(), 'uncloud-setup-e2e-'));
    manifests = await startManifestServer();
    const kubeconfig = join(dir, 'kubeconfig');
    simProcess = await startBareCluster(kubeconfig);
    const catalogue = join(dir, 'components.json');
    writeFileSync(catalogue, JSON.stringify(manifests.catalogue));
    return { UNCLOUD_CLUSTER: 'kubeconfig', KUBECONFIG: kubeconfig, UNCLOUD_COMPONENTS_CATALOGUE: catalogue };
  },
  cleanup: async () => {
    simProcess?.kill('SIGTERM');
    await manifests?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  },
});
const page = () => suite.page;

describe('setting up a fresh cluster in the dashboard', () => {
  it('shows the missing components on the overview, and the preflight with k3s detected', async () => {
    await page().goto('/');
    await page().getByLabel('API token').fill(suite.api.adminToken);
    await page().getByRole('button', { name: 'Sign in' }).click();
    const banner = page().getByTestId('components-banner');
    await banner.waitFor(UI);
    await expect
      .poll(() => banner.textContent(), UI)
      .toMatch(/missing KubeVirt, CDI, a storage class, and CloudNativePG/);
    await banner.getByRole('link', { name: 'Set up the cluster' }).click();
    await page().getByRole('heading', { level: 1, name: 'Setup' }).waitFor(UI);
    await page().getByTestId('k3s').getByText('k3s detected').waitFor(UI);
    expect(await page().locator('[data-check="storage-class"]').getAttribute('data-status')).toBe('failed');
  });

  it('installs the required components with confirmation and watches them become ready', async () => {
    for (const title of ['Storage class', 'CloudNativePG', 'KubeVirt', 'Containerized Data Importer']) {
      await card(title).getByRole('button', { name: 'Install', exact: true }).click();
      const confirm = page().getByRole('alertdialog');
      await confirm
        .getByText('checks its SHA-256', { exact: false })
        .or(confirm.getByText('checks their SHA-256', { exact: false }))
        .first()
        .waitFor(UI);
      await confirm.getByRole('button', { name: 'Install', exact: true }).click();
      await confirm.waitFor({ state: 'detached', ...UI });
    }
    for (const title of ['Storage class', 'CloudNativePG', 'KubeVirt', 'Containerized Data Importer'])
      await card(title).locator('[data-state="ready"]').waitFor(CONVERGE);
    await page().getByRole('button', { name: 'Check again' }).click();
    await expect
      .poll(() => page().locator('[data-check="storage-class"]').getAttribute('data-status'), UI)
      .toBe('ok');
  });

  it('creates a droplet and a PostgreSQL database, which run', async () => {
    // Within the app, as a person would (a full page load would also ask for a favicon there is not).
    const sections = page().getByRole('navigation', { name: 'Sections' });
    await sections.getByRole('link', { name: 'Overview', exact: true }).click();
    await page().getByRole('heading', { level: 1 }).waitFor(UI);
    await expect.poll(() => page().getByTestId('components-banner').count(), UI).toBe(0);

    await sections.getByRole('link', { name: 'Droplets', exact: true }).click();
    await page().getByRole('button', { name: 'Create droplet' }).first().click();
    await page().getByRole('dialog').getByLabel('Name').fill('web-1');
    await page().getByRole('dialog').getByRole('button', { name: 'Create droplet' }).click();
    await page()
      .getByRole('dialog')
      .waitFor({ state: 'detached', ...UI });
    const droplet = page()
      .getByRole('row')
      .filter({ has: page().getByRole('link', { name: 'web-1', exact: true }) });
    await droplet.locator('[data-state="active"]').first().waitFor(CONVERGE);

    await sections.getByRole('link', { name: 'Databases', exact: true }).click();
    await page().getByRole('button', { name: 'Create database' }).first().click();
    await page().getByRole('dialog').getByLabel('Name').fill('main');
    await page().getByRole('dialog').getByRole('button', { name: 'Create database' }).click();
    await page()
      .getByRole('dialog')
      .waitFor({ state: 'detached', ...UI });
    const database = page()
      .getByRole('row')
      .filter({ has: page().getByRole('link', { name: 'main', exact: true }) });
    await database.locator('[data-state="active"]').first().waitFor(CONVERGE);
  });
});
