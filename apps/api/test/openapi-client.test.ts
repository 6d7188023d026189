import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { validate, compileErrors } from '@readme/openapi-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Middleware } from 'openapi-fetch';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import type { OpenApiDocument } from '@uncloud/sdk/contract';
import { newSshPublicKey, waitFor } from '@uncloud/testing';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = join(here, 'fixtures/openapi-client');
const require = createRequire(import.meta.url);

/**
 * What the test needs of the lifecycle script. The script itself is typed by the generated client
 * (see the compile test), so it stays out of this package's program and is loaded by path.
 */
interface LifecycleScript {
  createUncloudApi(options: { baseUrl: string; headers: Record<string, string> }): {
    use(middleware: Middleware): void;
  };
  lifecycle(
    api: unknown,
    options: {
      publicKey: string;
      until: (condition: () => Promise<boolean>, what: string) => Promise<unknown>;
    },
  ): Promise<Record<string, Record<string, unknown>>>;
}
const script = () => import(/* @vite-ignore */ join(fixture, 'lifecycle.ts')) as Promise<LifecycleScript>;

let stack: Stack;
let document: OpenApiDocument;

beforeAll(async () => {
  stack = await startStack();
  document = (await (await fetch(`${stack.url}/api/v1/openapi.json`)).json()) as OpenApiDocument;
});
afterAll(() => stack?.close());

/**
 * Checks every JSON answer against the document's schema for its operation and status: the
 * document must describe what the server really sends, field for field.
 */
const answersAsDocumented = (checked: string[], failures: string[]): Middleware => {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ $id: 'uncloud', components: document.components }, 'uncloud');
  return {
    async onResponse({ request, response, schemaPath }) {
      if (!response.headers.get('content-type')?.startsWith('application/json')) return;
      const operation = document.paths[schemaPath]?.[request.method.toLowerCase()];
      const responses = (operation?.responses ?? {}) as Record<string, { $ref?: string; content?: unknown }>;
      const documented = responses[String(response.status)];
      if (!documented) {
        failures.push(`${request.method} ${schemaPath}: ${response.status} is not documented`);
        return;
      }
      const schema = documented.$ref
        ? { $ref: 'uncloud#/components/schemas/Error' }
        : {
            $ref: `uncloud${(documented.content as Record<string, { schema: { $ref: string } }>)['application/json']!.schema.$ref}`,
          };
      const check = ajv.compile(schema);
      checked.push(`${request.method} ${schemaPath} ${response.status}`);
      if (!check(await response.clone().json()))
        failures.push(`${request.method} ${schemaPath} ${response.status}: ${ajv.errorsText(check.errors)}`);
    },
  };
};

describe('the OpenAPI document, from outside', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? '' : compileErrors(result)).toBe('');
  });

  it(
    'generates a typed client (openapi-typescript) that compiles against the lifecycle script',
    { timeout: 60_000 },
    async () => {
      const types = astToString(await openapiTS(structuredClone(document) as never));
      expect(types).toContain('"/projects/{projectId}/droplets/{id}/actions"');
      // Compiled where node_modules resolves openapi-fetch and the shared tsconfig, outside the tree.
      const cache = join(here, '../node_modules/.cache');
      mkdirSync(cache, { recursive: true });
      const dir = mkdtempSync(join(cache, 'openapi-client-'));
      try {
        writeFileSync(join(dir, 'uncloud-api.d.ts'), types);
        for (const file of ['lifecycle.ts', 'tsconfig.json'])
          copyFileSync(join(fixture, file), join(dir, file));
        const tsc = require.resolve('typescript/bin/tsc');
        const compiled = await promisify(execFile)(process.execPath, [tsc, '-p', dir]).then(
          () => '',
          (error: { stdout?: string }) => error.stdout ?? String(error),
        );
        expect(compiled).toBe('');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it(
    'runs the droplet lifecycle through openapi-fetch, every answer as documented',
    { timeout: 60_000 },
    async () => {
      const checked: string[] = [];
      const failures: string[] = [];
      const { createUncloudApi, lifecycle } = await script();
      const api = createUncloudApi({
        baseUrl: `${stack.url}/api/v1`,
        headers: { authorization: `Bearer ${stack.adminToken}` },
      });
      api.use(answersAsDocumented(checked, failures));
      const run = await lifecycle(api, {
        publicKey: await newSshPublicKey(),
        until: (condition, what) => waitFor(condition, { timeout: 20_000, interval: 50, message: what }),
      });
      const { created, key, active, listed, powerOff, action, stopped, deleting, gone } = run;
      expect(created).toMatchObject({ name: 'web-1', sshKeyIds: [key!.id] });
      expect(active).toMatchObject({ id: created!.id, state: 'active' });
      expect(listed).toMatchObject({ items: [{ id: created!.id }], nextCursor: null });
      expect(powerOff).toMatchObject({ type: 'powerOff', resourceId: created!.id });
      expect(action).toMatchObject({ id: powerOff!.id, status: 'completed', error: null });
      expect(stopped).toMatchObject({ state: 'stopped', poweredOn: false });
      expect(deleting).toMatchObject({ state: 'deleting' });
      expect(gone).toMatchObject({ code: 'NOT_FOUND' });
      expect(failures).toEqual([]);
      expect(checked).toEqual(
        expect.arrayContaining([
          'POST /projects 201',
          'POST /projects/{projectId}/droplets/{id}/actions 201',
          'DELETE /projects/{projectId}/droplets/{id} 202',
          'GET /projects/{projectId}/droplets/{id} 404',
        ]),
      );
    },
  );
});
