import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium; the suite never downloads a browser of its own. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
];

export const launchChromium = async (): Promise<Browser> => {
  if (!existsSync(chromiumPath))
    throw new Error(
      `Chromium is not installed at ${chromiumPath}; the browser tests drive Debian's Chromium.\n` +
        'Install it with `apt-get install chromium` (as root, after `apt-get update`),\n' +
        'or point CHROMIUM_PATH at another Chromium binary.',
    );
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
};

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions since the last `takeProblems()`. */
  takeProblems(): string[];
}

/**
 * A fresh tab that records every console error and uncaught page error: a dashboard that works
 * says nothing in red, so any of them fails the test that caused it.
 */
export const openWatchedPage = async (browser: Browser, baseURL: string): Promise<WatchedPage> => {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 1440, height: 900 },
    colorScheme: 'light',
  });
  const page = await context.newPage();
  let problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.location();
    problems.push(
      `console error: ${message.text()}${where.url ? ` (${where.url}:${where.lineNumber})` : ''}`,
    );
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.stack ?? error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400)
      problems.push(`HTTP ${response.status()} ${response.request().method()} ${response.url()}`);
  });
  return {
    context,
    page,
    takeProblems() {
      const taken = problems;
      problems = [];
      return taken;
    },
  };
};
