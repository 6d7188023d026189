import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { build } from 'esbuild';
import { startStack, type Stack } from '@uncloud/api/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { run, runOk, type Run } from '@uncloud/testing';

const consumerDir = inject('consumerDir');
const tsc = (project: string) =>
  run(
    process.execPath,
    [join(consumerDir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project],
    consumerDir,
  );
const printed = (result: Run) => `${result.stdout}${result.stderr}`;

describe('the packed @uncloud/sdk', () => {
  let node: Run;
  let browser: Run;
  let wrong: Run;
  beforeAll(async () => {
    // Independent compilations, so they share the machine's cores.
    [node, browser, wrong] = await Promise.all([
      tsc('tsconfig.json'),
      tsc('tsconfig.browser.json'),
      tsc('tsconfig.wrong.json'),
    ]);
  }, 180_000);

  it('holds only the build, the README and the changelog, without source maps', () => {
    expect(inject('packedFiles')).toEqual([
      'CHANGELOG.md',
      'README.md',
      'dist/index.cjs',
      'dist/index.d.cts',
      'dist/index.d.ts',
      'dist/index.js',
      'package.json',
    ]);
  });

  it('installs with only the client runtime as dependencies', () => {
    const installed = JSON.parse(
      readFileSync(join(consumerDir, 'node_modules', '@uncloud', 'sdk', 'package.json'), 'utf8'),
    ) as { dependencies: Record<string, string> };
    // `eventsource` because neither browsers' EventSource nor Node 20 can send the token as a header,
    // and the change stream (`watch`, and `waitFor` on it) needs one.
    expect(Object.keys(installed.dependencies).sort()).toEqual([
      '@trpc/client',
      '@trpc/server',
      'eventsource',
      'zod',
    ]);
  });

  it('type-checks a Node script, and a CommonJS module, against the published declarations', () => {
    expect(node.code, printed(node)).toBe(0);
  });

  it('type-checks a browser module with the DOM library and no Node types', () => {
    expect(browser.code, printed(browser)).toBe(0);
  });

  it('refuses every wrong call at compile time', () => {
    expect(wrong.code).not.toBe(0);
    const source = readFileSync(join(consumerDir, 'wrong.ts'), 'utf8').split('\n');
    const wrongLines = source.flatMap((line, i) => (line.includes('// WRONG') ? [i + 1] : []));
    const errorLines = [...wrong.stdout.matchAll(/^wrong\.ts\((\d+),\d+\): error TS\d+/gm)].map((m) =>
      Number(m[1]),
    );
    expect(wrongLines).toHaveLength(6);
    expect(
      [...new Set(errorLines)].sort((a, b) => a - b),
      printed(wrong),
    ).toEqual(wrongLines);
  });

  describe('against a server', () => {
    let stack: Stack;
    let env: Record<string, string>;
    beforeAll(async () => {
      stack = await startStack();
      env = { UNCLOUD_URL: stack.url, UNCLOUD_TOKEN: stack.adminToken };
    });
    afterAll(() => stack?.close());

    it('runs the compiled script with Node', async () => {
      expect(node.code, printed(node)).toBe(0);
      const { stdout } = await runOk(process.execPath, ['out/script.js'], consumerDir, env);
      expect(JSON.parse(stdout)).toEqual({
        user: 'admin',
        listed: ['data-1', 'data-2', 'data-3'],
        state: 'active',
        action: { type: 'resize', status: 'completed' },
        refusal: { code: 'BAD_REQUEST', fields: ['name'] },
      });
    });

    it('bundles for the browser and runs without any Node global', async () => {
      // A Node built-in anywhere in the import graph fails the bundle; `process`, `Buffer` or
      // `require` at run time fail in the sandbox, which offers only what browsers have.
      const bundle = await build({
        absWorkingDir: consumerDir,
        entryPoints: ['browser-probe.ts'],
        bundle: true,
        platform: 'browser',
        format: 'iife',
        globalName: 'probe',
        write: false,
        logLevel: 'silent',
      });
      const browserGlobals = { fetch, URL, AbortController, AbortSignal, Headers, Request, Response };
      const sandbox = createContext({
        ...browserGlobals,
        ...{ TextEncoder, TextDecoder, DOMException, Event, EventTarget, setTimeout, clearTimeout, console },
      });
      runInContext(bundle.outputFiles[0]!.text, sandbox);
      const probe = sandbox.probe as {
        whoami: (url: string, token: string) => Promise<string>;
        withoutUrl: () => string;
      };
      expect(await probe.whoami(stack.url, stack.adminToken)).toBe('admin');
      expect(probe.withoutUrl()).toMatch(
        /^No Uncloud URL: pass \{ url \} to createUncloudClient or set UNCLOUD_URL/,
      );
    });

    it('works from CommonJS with require()', async () => {
      const { stdout } = await runOk(process.execPath, ['require-check.cjs'], consumerDir, env);
      expect(JSON.parse(stdout)).toEqual({ user: 'admin', notFound: 'NOT_FOUND', knowsConflict: true });
    });
  });
});
