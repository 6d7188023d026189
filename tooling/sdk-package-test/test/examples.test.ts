import { join } from 'node:path';
import { startStack, type Stack } from '@uncloud/api/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { run, runOk } from '@uncloud/testing';

// The examples of packages/sdk/examples, copied next to the packed SDK, run as a user would run them
// against the embedded default: the API with the simulated cluster and the sync engine.
const consumerDir = inject('consumerDir');
const example = (name: string, args: string[] = []) =>
  runOk(process.execPath, [join('examples', name), ...args], consumerDir, env);

let stack: Stack;
let env: Record<string, string>;
beforeAll(async () => {
  stack = await startStack();
  env = { UNCLOUD_URL: stack.url, UNCLOUD_TOKEN: stack.adminToken };
});
afterAll(() => stack?.close());

const projectNamed = async (name: string) => {
  const { items } = await stack.client.projects.list.query({ name });
  return items.find((p) => p.name === name);
};

describe('the SDK examples', () => {
  it('type-check against the published declarations', async () => {
    const tsc = join(consumerDir, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.examples.json'], consumerDir);
    expect(result.code, result.stdout).toBe(0);
  });

  it('create a web app with a database and a domain', async () => {
    const { stdout } = await example('create-web-app.mjs', ['shop', 'shop.example.com']);
    const project = await projectNamed('shop');
    expect(project).toBeDefined();
    const projectId = project!.id;
    const [app] = (await stack.client.apps.list.query({ projectId })).items;
    const [database] = (await stack.client.databases.list.query({ projectId })).items;
    expect(app).toMatchObject({
      name: 'web',
      state: 'active',
      domains: ['shop.example.com'],
      readyReplicas: 2,
    });
    expect(database).toMatchObject({ name: 'main', engine: 'postgres', state: 'active' });
    expect(app!.env).toEqual({
      DATABASE_HOST: database!.connection!.host,
      DATABASE_PORT: String(database!.connection!.port),
      DATABASE_NAME: database!.connection!.database,
      DATABASE_USER: database!.connection!.user,
    });
    expect(stdout).toContain(`app web is up: `);
  });

  it('report quota usage of every project', async () => {
    const { stdout } = await example('quota-usage.mjs', ['--json']);
    const report = JSON.parse(stdout) as {
      project: string;
      usage: Record<string, { used: number; limit: number }>;
    }[];
    const shop = report.find((r) => r.project === 'shop');
    expect(shop?.usage).toMatchObject({ apps: { used: 1, limit: 25 }, databases: { used: 1, limit: 10 } });
    expect(report.map((r) => r.project)).toContain('default');
    const table = await example('quota-usage.mjs');
    expect(table.stdout).toMatch(/^shop\n(.*\n)*\s+apps\s+1 \/ 25\s+4%$/m);
  });

  it('tear down a project and everything in it', async () => {
    const { stdout } = await example('teardown-project.mjs', ['shop']);
    expect(stdout).toContain('deleted 1 apps');
    expect(stdout).toContain('deleted 1 databases');
    expect(stdout).toMatch(/project shop \(proj_\w+\) is gone/);
    expect(await projectNamed('shop')).toBeUndefined();
  });

  it('tell the user what to pass when the project is missing', async () => {
    const result = await run(process.execPath, [join('examples', 'teardown-project.mjs')], consumerDir, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage: node teardown-project.mjs <project name or id>');
  });
});
