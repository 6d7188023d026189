// An app's logs in a real browser: the dashboard reads its replicas' logs through the API from the
// simulated cluster's pods/log; Follow appends the lines the containers write afterwards. A deploy
// then shows in the app's deployment history.
import type { AppId } from '@uncloud/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONVERGE_SDK, UI, startBrowserSuite } from './browser-suite.ts';

const suite = startBrowserSuite({ project: 'e2e-logs' });
let appId: AppId;

const page = () => suite.page;
const log = () => page().getByRole('log', { name: 'App log lines' });
const requestNumbers = async () =>
  [...((await log().textContent()) ?? '').matchAll(/\(request (\d+),/g)].map((m) => Number(m[1]));

describe("an app's logs", () => {
  beforeAll(async () => {
    const { sdk, projectId } = suite;
    appId = (
      await sdk.apps.create.mutate({ projectId, name: 'shop', image: 'shop:3.1', port: 8080, replicas: 2 })
    ).id;
    await sdk.waitFor(sdk.apps, { projectId, id: appId }, (a) => a.readyReplicas === 2, CONVERGE_SDK);
  });

  it('signs in, opens the app and sees its replicas’ lines', async () => {
    await suite.signIn({ path: '/' });
    await page().goto(`/p/${suite.projectId}/apps/${appId}`);
    await page().getByRole('heading', { level: 1, name: 'shop' }).waitFor(UI);
    await expect.poll(async () => (await log().textContent()) ?? '', UI).toContain('starting shop:3.1');
    await expect
      .poll(async () => await page().getByLabel('Replica', { exact: true }).locator('option').count(), UI)
      .toBe(3);
  });

  it('follows: new lines appear without reloading', async () => {
    const before = Math.max(0, ...(await requestNumbers()));
    await page().getByLabel('Follow').check();
    await expect.poll(async () => Math.max(0, ...(await requestNumbers())), UI).toBeGreaterThan(before + 1);
  });

  it('shows one replica alone when picked', async () => {
    await page().getByLabel('Follow').uncheck();
    const picker = page().getByLabel('Replica', { exact: true });
    const [, first, second] = await picker
      .locator('option')
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    // Several replicas: each line names the replica that wrote it.
    expect((await log().textContent()) ?? '').toContain(second!);
    await picker.selectOption(first!);
    await expect
      .poll(async () => {
        const text = (await log().textContent()) ?? '';
        return text.includes('starting shop:3.1') && !text.includes(second!);
      }, UI)
      .toBe(true);
  });

  it('lists a deploy in the deployment history with its image, actor and outcome', async () => {
    await suite.sdk.waitForAction(
      await suite.sdk.apps.deploy.mutate({ projectId: suite.projectId, id: appId, image: 'shop:3.2' }),
      CONVERGE_SDK,
    );
    await page().reload();
    const history = page().getByRole('table', { name: 'Deployment history' });
    await expect
      .poll(async () => (await history.textContent()) ?? '', UI)
      .toMatch(/deploy\s*shop:3\.2\s*admin\s*Succeeded/);
  });
});
