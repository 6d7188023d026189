// Photographs the dashboard for docs/screenshots: starts the real server on the simulated cluster,
// fills a project with demo data through the SDK, signs in in Debian's Chromium and captures each
// page at 1440 and 390 px. `npm run screenshots -w @uncloud/web`. The dashboard is built into a
// directory of its own, so a build of apps/web/dist running meanwhile cannot pull it away.
// A page that still shows a spinner or an error after its content should be there fails the run.
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createUncloudClient, type ProjectId } from '@uncloud/sdk';
import { newSshPublicKey } from '@uncloud/testing';
import type { Page } from 'playwright-core';
import { launchChromium } from '../e2e/browser.ts';
import { build } from 'vite';
import { startApi } from '../e2e/server.ts';

const outDir = resolve(import.meta.dirname, '../../../docs/screenshots');
const WIDTHS = [
  { label: '1440', viewport: { width: 1440, height: 900 }, maxHeight: 1400 },
  { label: '390', viewport: { width: 390, height: 844 }, maxHeight: 2200 },
] as const;
const CONVERGE = { timeoutMs: 120_000 };
const UI = { timeout: 30_000 };

interface Shot {
  name: string;
  path: string;
  /** What must be on the page before it is photographed. */
  ready: (page: Page) => Promise<unknown>;
  /** Something to do once it is there (open a dialog, scroll to a card). */
  then?: (page: Page) => Promise<unknown>;
}

const heading = (name: string | RegExp) => (page: Page) =>
  page.getByRole('heading', { level: 1, name }).waitFor(UI);

/** No loading placeholder and no error left on the page. */
const settled = async (page: Page, name: string) => {
  await page
    .waitForFunction(() => document.querySelectorAll('[aria-busy="true"]').length === 0, undefined, UI)
    .catch(() => {
      throw new Error(`${name}: still loading after ${UI.timeout} ms`);
    });
  const errors = await page.getByRole('alert').allTextContents();
  const real = errors.filter((text) => /went wrong|failed|error|refused/i.test(text));
  if (real.length) throw new Error(`${name}: the page shows an error: ${real.join(' | ')}`);
};

const seed = async (url: string, token: string) => {
  const sdk = createUncloudClient({ url, token });
  const projectId: ProjectId = (
    await sdk.projects.create.mutate({ name: 'shop', description: 'The web shop' })
  ).id;
  await sdk.waitFor(sdk.projects, { projectId }, 'active', CONVERGE);
  const key = await sdk.sshKeys.create.mutate({
    projectId,
    name: 'laptop',
    publicKey: await newSshPublicKey(),
  });
  const droplets = [];
  for (const [name, size] of [
    ['web-1', 's-1vcpu-2gb'],
    ['web-2', 's-1vcpu-2gb'],
    ['worker-1', 's-2vcpu-4gb'],
  ] as const)
    droplets.push(
      await sdk.droplets.create.mutate({
        projectId,
        name,
        size,
        image: 'ubuntu-24-04',
        sshKeyIds: [key.id],
        tags: name.startsWith('web') ? ['web'] : ['jobs'],
      }),
    );
  await sdk.volumes.create.mutate({ projectId, name: 'uploads', sizeGiB: 20 });
  const app = await sdk.apps.create.mutate({
    projectId,
    name: 'storefront',
    image: 'shop/storefront:1.4',
    port: 8080,
    replicas: 2,
    env: { NODE_ENV: 'production' },
  });
  await sdk.databases.create.mutate({
    projectId,
    name: 'orders',
    engine: 'postgres',
    size: 'db-s-1vcpu-2gb',
  });
  await sdk.firewalls.create.mutate({
    projectId,
    name: 'web-in',
    inbound: [
      { protocol: 'tcp', ports: '443', sources: ['0.0.0.0/0'] },
      { protocol: 'tcp', ports: '22', sources: ['203.0.113.0/24'] },
    ],
    targets: ['tag:web'],
  });
  await sdk.buckets.create.mutate({ projectId, name: 'assets' });
  for (const d of droplets) await sdk.waitFor(sdk.droplets, { projectId, id: d.id }, 'active', CONVERGE);
  await sdk.loadBalancers.create.mutate({
    projectId,
    name: 'front',
    forwardingRules: [{ entryProtocol: 'http', entryPort: 80, targetPort: 8080 }],
    dropletIds: [droplets[0]!.id, droplets[1]!.id],
  });
  await sdk.waitForAction(
    await sdk.droplets.snapshot.mutate({ projectId, id: droplets[0]!.id, name: 'before-upgrade' }),
    CONVERGE,
  );
  await sdk.waitFor(sdk.apps, { projectId, id: app.id }, (a) => a.readyReplicas === 2, CONVERGE);
  await sdk.waitForAction(
    await sdk.apps.deploy.mutate({ projectId, id: app.id, image: 'shop/storefront:1.5' }),
    CONVERGE,
  );
  // Another person, signed in from a script, for the sign-ins page.
  const ada = await sdk.users.create.mutate({ name: 'ada', email: 'ada@example.com' });
  await sdk.projects.addMember.mutate({ projectId, userId: ada.user.id, role: 'member' });
  await createUncloudClient({
    url,
    token: ada.token.token,
    headers: { 'user-agent': 'uncloud-cli/0.4.0' },
  }).auth.whoami.query();
  return { projectId, dropletId: droplets[0]!.id, appId: app.id };
};

const main = async () => {
  mkdirSync(outDir, { recursive: true });
  const webDir = mkdtempSync(join(tmpdir(), 'uncloud-screenshots-'));
  await build({
    root: resolve(import.meta.dirname, '..'),
    logLevel: 'warn',
    build: { outDir: webDir, emptyOutDir: true, sourcemap: false },
  });
  const api = await startApi({ UNCLOUD_WEB_DIR: webDir });
  const browser = await launchChromium();
  try {
    const { projectId, dropletId, appId } = await seed(api.url, api.adminToken);
    const p = (rest = '') => `/p/${projectId}${rest}`;
    const shots: Shot[] = [
      { name: 'overview', path: p(), ready: heading('shop') },
      { name: 'droplets', path: p('/droplets'), ready: heading('Droplets') },
      { name: 'droplet-detail', path: p(`/droplets/${dropletId}`), ready: heading('web-1') },
      {
        name: 'app-detail',
        path: p(`/apps/${appId}`),
        ready: async (page) => {
          await heading('storefront')(page);
          await page.getByRole('table', { name: 'Deployment history' }).waitFor(UI);
          await page
            .getByRole('log', { name: 'App log lines' })
            .getByText(/starting/)
            .first()
            .waitFor(UI);
        },
      },
      {
        name: 'firewall-create',
        path: p('/firewalls'),
        ready: heading('Firewalls'),
        then: async (page) => {
          await page.getByRole('button', { name: 'Create firewall' }).first().click();
          await page.getByRole('dialog').waitFor(UI);
        },
      },
      { name: 'quotas', path: p('/quotas'), ready: heading('Quotas') },
      { name: 'setup', path: '/setup', ready: heading(/Setup|Set up/) },
      { name: 'tokens', path: '/tokens', ready: heading('API tokens') },
      { name: 'sessions', path: '/sessions', ready: heading('Sign-ins and tokens') },
      { name: 'buckets', path: p('/buckets'), ready: heading('Buckets') },
      { name: 'snapshots', path: p('/snapshots'), ready: heading('Snapshots') },
      { name: 'load-balancers', path: p('/load-balancers'), ready: heading('Load balancers') },
    ];
    const context = await browser.newContext({ baseURL: api.url, colorScheme: 'light' });
    await context.addInitScript(
      ([token]) => sessionStorage.setItem('uncloud.token', token!),
      [api.adminToken],
    );
    const page = await context.newPage();
    for (const { label, viewport, maxHeight } of WIDTHS) {
      await page.setViewportSize(viewport);
      for (const shot of shots) {
        await page.goto(shot.path);
        await shot.ready(page);
        await settled(page, shot.name);
        await shot.then?.(page);
        // Charts and rows fade in; the picture waits for them to stand still.
        await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 300))));
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        const file = join(outDir, `${shot.name}-${label}.png`);
        const open = await page.getByRole('dialog').count();
        await page.screenshot({
          path: file,
          animations: 'disabled',
          // A dialog is photographed as the viewport shows it; a page down to its content's end.
          ...(open
            ? {}
            : {
                fullPage: true,
                clip: { x: 0, y: 0, width: viewport.width, height: Math.min(height, maxHeight) },
              }),
        });
        console.log(`${file} (${Math.round(statSync(file).size / 1024)} KiB)`);
      }
    }
    await context.close();
  } finally {
    await browser.close();
    await api.close();
    rmSync(webDir, { recursive: true, force: true });
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
