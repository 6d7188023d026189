import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type ProjectId, type UncloudClient, createUncloudClient } from '@uncloud/sdk';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { launchChromium, openWatchedPage, type WatchedPage } from './browser.ts';
import { assertFreshBuild, startApi, type RunningApi } from './server.ts';

/** Where a failing test leaves a picture of the page it failed on. */
export const failureShotDir = resolve(import.meta.dirname, 'screenshots');

/** Long enough for a cold server on a busy two-core machine; waits end as soon as the UI is there. */
export const UI = { timeout: 30_000 };
export const CONVERGE = { timeout: 90_000 };
export const CONVERGE_SDK = { timeoutMs: 90_000 };

export interface BrowserSuiteOptions {
  /** A project made through the SDK, active before the first test, as `suite.projectId`. */
  project?: string;
  /**
   * More environment for the server, computed before it starts (another cluster, a catalogue);
   * what it returns is awaited inside the suite's `beforeAll`.
   */
  env?: () => Promise<Record<string, string>> | Record<string, string>;
  /** A prefix for the picture taken of a failing test's page (none: no picture). */
  failureShots?: string;
  /** Stops what `env` started, once the server has stopped. */
  cleanup?: () => Promise<void> | void;
}

export interface BrowserSuite {
  readonly api: RunningApi;
  readonly browser: Browser;
  readonly tab: WatchedPage;
  readonly page: Page;
  /** An SDK client signed in with the administrator's token. */
  readonly sdk: UncloudClient;
  readonly projectId: ProjectId;
  /** Signs the tab (or `of`) in with the administrator's token, as a person would. */
  signIn(options?: { of?: Page; keep?: boolean; path?: string }): Promise<void>;
}

/**
 * The set-up every browser suite shares, registered as hooks of the calling `describe`: the built
 * dashboard served by the real API, Debian's Chromium with one watched tab, an SDK client, and
 * optionally a project. A test fails on any console error of the page; a failing test prints the
 * page's address and the server's output (and leaves a screenshot when asked).
 */
export const startBrowserSuite = (options: BrowserSuiteOptions = {}): BrowserSuite => {
  let api: RunningApi | undefined;
  let browser: Browser | undefined;
  let tab: WatchedPage | undefined;
  let sdk: UncloudClient | undefined;
  let projectId: ProjectId | undefined;
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined)
      throw new Error(`the browser suite has no ${what}: its beforeAll did not finish`);
    return value;
  };

  beforeAll(async () => {
    assertFreshBuild();
    const env = (await options.env?.()) ?? {};
    api = await startApi(env);
    browser = await launchChromium();
    tab = await openWatchedPage(browser, api.url);
    sdk = createUncloudClient({ url: api.url, token: api.adminToken });
    if (options.project) {
      projectId = (await sdk.projects.create.mutate({ name: options.project })).id;
      await sdk.waitFor(sdk.projects, { projectId }, 'active', CONVERGE_SDK);
    }
  });

  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      let shot = '';
      if (options.failureShots && tab) {
        mkdirSync(failureShotDir, { recursive: true });
        const path = join(
          failureShotDir,
          `failed-${options.failureShots}${task.name.replace(/\W+/g, '-')}.png`,
        );
        shot = await tab.page
          .screenshot({ path, fullPage: true })
          .then(() => ` (screenshot: ${path})`)
          .catch(() => '');
      }
      console.error(`failed on ${tab?.page.url()}${shot}\nserver output:\n${api?.output()}`);
    });
  });

  afterEach(() => {
    expect(tab?.takeProblems() ?? [], 'the browser reported errors').toEqual([]);
  });

  afterAll(async () => {
    await tab?.context.close();
    await browser?.close();
    await api?.close();
    await options.cleanup?.();
  });

  return {
    get api() {
      return ready(api, 'server');
    },
    get browser() {
      return ready(browser, 'browser');
    },
    get tab() {
      return ready(tab, 'tab');
    },
    get page() {
      return ready(tab, 'tab').page;
    },
    get sdk() {
      return ready(sdk, 'SDK client');
    },
    get projectId() {
      return ready(projectId, 'project (pass `project` to startBrowserSuite)');
    },
    async signIn({ of, keep = false, path = '/sign-in' } = {}) {
      const target = of ?? ready(tab, 'tab').page;
      await target.goto(path);
      await target.getByLabel('API token').fill(ready(api, 'server').adminToken);
      if (keep) await target.getByRole('checkbox', { name: /Keep me signed in/ }).check();
      await target.getByRole('button', { name: 'Sign in' }).click();
      await target.getByRole('button', { name: /admin/ }).waitFor(UI);
    },
  };
};
