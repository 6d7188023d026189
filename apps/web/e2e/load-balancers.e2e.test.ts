// The Load balancers page in a real browser: create a load balancer in front of two droplets with an
// HTTP health check, see it get an address and both targets healthy; make one droplet's guest fail
// the check (through the simulated cluster's control API) and see it unhealthy with the reason, then
// healthy again; edit it down to one droplet with sticky sessions, see that droplet unhealthy once
// powered off, and add a droplet back with an action followed in the action tray.
// The droplets and project are made through the SDK; the load balancer through the dashboard.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DropletId, ProjectId, UncloudClient } from '@uncloud/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONVERGE, CONVERGE_SDK, UI, startBrowserSuite } from './browser-suite.ts';
import type { RunningApi } from './server.ts';

let api: RunningApi;
let sdk: UncloudClient;
let projectId: ProjectId;
const droplets: Record<string, DropletId> = {};

const suite = startBrowserSuite({ project: 'e2e-load-balancers' });
const page = () => suite.page;
const dialog = () => page().getByRole('dialog');
const rowOf = (name: string) =>
  page()
    .getByRole('row')
    .filter({ has: page().getByRole('link', { name, exact: true }) });
const health = (name: string) => page().getByTestId(`health-${droplets[name]}`);

/**
 * What a droplet's simulated guest answers on a port, set through the embedded cluster's control
 * API (its address and token are in the kubeconfig the server wrote in its data directory).
 */
const serve = async (name: string, port: number, answer: { kind: 'http'; status: number } | null) => {
  const kubeconfig = readFileSync(join(api.dataDir, 'simulated-cluster.kubeconfig'), 'utf8');
  const server = /server:\s*(\S+)/.exec(kubeconfig)?.[1]?.replace(/^https:/, 'http:');
  const token = /token:\s*(\S+)/.exec(kubeconfig)?.[1];
  if (!server || !token) throw new Error('the embedded cluster’s kubeconfig has no server or token');
  // The Kubernetes names Uncloud gives a project's namespace and a droplet's VM (ids, '_' → '-').
  const res = await fetch(`${server}/_sim/guest/serve`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      namespace: `uc-${projectId.replace('_', '-')}`,
      vm: droplets[name]!.replace('_', '-'),
      port,
      answer,
    }),
  });
  expect(res.status, await res.text()).toBe(200);
};

describe('the Load balancers page', () => {
  beforeAll(async () => {
    ({ api, sdk, projectId } = suite);
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

  it('signs in and opens the project’s load balancers, empty', async () => {
    await page().goto('/');
    await page().getByLabel('API token').fill(api.adminToken);
    await page().getByRole('button', { name: 'Sign in' }).click();
    await page().getByRole('button', { name: /admin/ }).waitFor(UI);
    await page().goto(`/p/${projectId}`);
    await page()
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('link', { name: 'Load balancers', exact: true })
      .click();
    await page().getByRole('heading', { level: 1, name: 'Load balancers' }).waitFor(UI);
    await page().getByText('No load balancers yet').waitFor(UI);
  });

  it('creates a load balancer in front of two droplets and shows both healthy', async () => {
    await page().getByRole('button', { name: 'Create load balancer' }).first().click();
    await dialog().getByLabel('Name', { exact: true }).fill('front');
    await dialog().getByLabel('Forwarding rules', { exact: true }).fill('HTTP 80 8080');
    await dialog().getByLabel('Check protocol', { exact: true }).selectOption('http');
    await dialog().getByLabel('Check path', { exact: true }).fill('/healthz');
    // The quickest check there is: every 3 s, one answer decides.
    await dialog().getByLabel('Every (s)', { exact: true }).fill('3');
    await dialog().getByLabel('Timeout (s)', { exact: true }).fill('1');
    await dialog().getByLabel('Healthy after', { exact: true }).fill('1');
    await dialog().getByLabel('Unhealthy after', { exact: true }).fill('1');
    await dialog().getByLabel('Droplet web-1').check();
    await dialog().getByLabel('Droplet web-2').check();
    await dialog().getByRole('button', { name: 'Create load balancer' }).click();
    await dialog().waitFor({ state: 'detached', ...UI });
    await rowOf('front').getByText('2 of 2 healthy').waitFor(CONVERGE);
    await rowOf('front')
      .getByText(/^198\.51\.100\.\d+$/)
      .waitFor(UI);
    await rowOf('front').getByRole('link', { name: 'front', exact: true }).click();
    await page().getByRole('heading', { level: 1, name: 'front' }).waitFor(UI);
    await health('web-1').getByText('Healthy', { exact: true }).waitFor(UI);
    await health('web-2').getByText('Healthy', { exact: true }).waitFor(UI);
    await page().getByText('HTTP 80 → 8080').waitFor(UI);
    await page().getByTestId(`reason-${droplets['web-2']}`).getByText('HTTP 200 from /healthz').waitFor(UI);
  });

  it('shows a target that fails its health check unhealthy with the reason, then healthy again', async () => {
    await serve('web-2', 8080, { kind: 'http', status: 503 });
    await health('web-2').getByText('Unhealthy', { exact: true }).waitFor(CONVERGE);
    await page().getByTestId(`reason-${droplets['web-2']}`).getByText('HTTP 503 from /healthz').waitFor(UI);
    await health('web-1').getByText('Healthy', { exact: true }).waitFor(UI);
    await page().getByText('1 of 2 healthy').waitFor(UI);
    const [lb] = (await sdk.loadBalancers.list.query({ projectId })).items;
    expect(lb!.targets.find((t) => t.dropletId === droplets['web-2'])).toMatchObject({
      healthy: false,
      reason: 'HTTP 503 from /healthz',
    });
    await serve('web-2', 8080, null);
    await health('web-2').getByText('Healthy', { exact: true }).waitFor(CONVERGE);
  });

  it('edits it to send to one droplet with sticky sessions', async () => {
    await page().getByRole('button', { name: 'Edit', exact: true }).click();
    await dialog().getByLabel('Droplet web-1').uncheck();
    await dialog()
      .getByLabel(/Sticky sessions/)
      .check();
    await dialog().getByRole('button', { name: 'Save' }).click();
    await dialog().waitFor({ state: 'detached', ...UI });
    await page().getByText('On: a client keeps reaching the same droplet').waitFor(UI);
    await health('web-1').waitFor({ state: 'detached', ...UI });
    const [lb] = (await sdk.loadBalancers.list.query({ projectId })).items;
    expect(lb).toMatchObject({ stickySessions: true, dropletIds: [droplets['web-2']] });
  });

  it('shows a powered-off droplet unhealthy', async () => {
    const off = await sdk.droplets.powerOff.mutate({ projectId, id: droplets['web-2']! });
    await sdk.waitForAction(off, CONVERGE_SDK);
    await health('web-2').getByText('Unhealthy', { exact: true }).waitFor(CONVERGE);
    await page()
      .getByTestId(`reason-${droplets['web-2']}`)
      .getByText('the droplet is powered off')
      .waitFor(UI);
  });

  it('adds a droplet back with an action, followed in the action tray', async () => {
    await page().getByRole('button', { name: 'Add droplets' }).click();
    await dialog().getByLabel('Droplet web-1').check();
    await dialog()
      .getByRole('button', { name: /Add droplets/ })
      .click();
    await dialog().waitFor({ state: 'detached', ...UI });
    const tray = page().getByRole('region', { name: 'Actions' });
    await tray.getByText(/Droplets added/).waitFor(CONVERGE);
    await health('web-1').getByText('Healthy', { exact: true }).waitFor(CONVERGE);
  });
});
