import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUncloudClient, type UncloudClient } from '@uncloud/sdk';
import { ConfigError, loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { startServer, type RunningServer } from '../src/server.ts';
import { failure } from './errors.ts';

// Small limits so the tests reach them in a few calls; the defaults come from config.ts.
const maxProjectsPerUser = 2;
const maxTokensPerUser = 3;

const dir = mkdtempSync(join(tmpdir(), 'uncloud-limits-'));
let server: RunningServer;
let admin: UncloudClient;
const as = (token: string) => createUncloudClient({ url: server.url, token });
const newUser = async (name: string) => {
  const { user, token } = await admin.users.create.mutate({ name });
  return { id: user.id, client: as(token.token) };
};

beforeAll(async () => {
  server = await startServer(
    {
      port: 0,
      host: '127.0.0.1',
      databasePath: join(dir, 'uncloud.db'),
      adminToken: 'user-limits-admin-token',
      webDir: dir,
      cluster: false,
      userLimits: { maxProjectsPerUser, maxTokensPerUser },
    },
    createLogger('silent', false),
  );
  admin = as('user-limits-admin-token');
});
afterAll(async () => {
  await server.close(1000);
  rmSync(dir, { recursive: true, force: true });
});

describe('quotas', () => {
  it("refuses a project's owner who tries to raise its quota, and lets them read it", async () => {
    const { client: owner } = await newUser('olga');
    const project = await owner.projects.create.mutate({ name: 'olgas' });
    const before = await owner.quotas.get.query({ projectId: project.id });
    const refused = await failure(owner.quotas.update.mutate({ projectId: project.id, droplets: 10_000 }));
    expect(refused.data).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403 });
    expect(refused.message).toMatch(/Only administrators change quotas; ask one/);
    expect(await owner.quotas.get.query({ projectId: project.id })).toEqual(before);
  });

  it('lets an administrator change any project’s quota', async () => {
    const { client: owner } = await newUser('paul');
    const project = await owner.projects.create.mutate({ name: 'pauls' });
    await admin.quotas.update.mutate({ projectId: project.id, droplets: 40 });
    expect((await owner.quotas.get.query({ projectId: project.id })).droplets).toBe(40);
  });
});

describe('projects per user', () => {
  it('refuses a user a project beyond the limit with QUOTA_EXCEEDED, saying what to do', async () => {
    const { client: user } = await newUser('quinn');
    for (let i = 0; i < maxProjectsPerUser; i++) await user.projects.create.mutate({ name: `q-${i}` });
    const refused = await failure(user.projects.create.mutate({ name: 'q-extra' }));
    expect(refused.data).toMatchObject({ code: 'QUOTA_EXCEEDED', httpStatus: 403 });
    expect(refused.message).toBe(
      `you already own ${maxProjectsPerUser} projects, the most one user may own here; delete one you no longer need, or ask an administrator to create this one`,
    );
    expect((await user.projects.list.query({})).items).toHaveLength(maxProjectsPerUser);
  });

  it('makes room again once a project is deleted', async () => {
    const { client: user } = await newUser('rita');
    const first = await user.projects.create.mutate({ name: 'r-0' });
    await user.projects.create.mutate({ name: 'r-1' });
    await user.projects.delete.mutate({ projectId: first.id });
    expect((await user.projects.create.mutate({ name: 'r-2' })).name).toBe('r-2');
  });

  it('accepts exactly the limit when creates race', async () => {
    const { client: user } = await newUser('sam');
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => user.projects.create.mutate({ name: `s-${i}` })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(maxProjectsPerUser);
  });

  it('does not limit administrators', async () => {
    for (let i = 0; i <= maxProjectsPerUser; i++) await admin.projects.create.mutate({ name: `admin-${i}` });
  });
});

describe('API tokens per user', () => {
  it('refuses a user a token beyond the limit with QUOTA_EXCEEDED, saying what to do', async () => {
    const { client: viewer } = await newUser('tara'); // holds the initial token already; in no project
    for (let i = 1; i < maxTokensPerUser; i++) await viewer.tokens.create.mutate({ name: `t-${i}` });
    const refused = await failure(viewer.tokens.create.mutate({ name: 'one-too-many' }));
    expect(refused.data).toMatchObject({ code: 'QUOTA_EXCEEDED', httpStatus: 403 });
    expect(refused.message).toMatch(/revoke ones you no longer use \(tokens\.revoke\)/);
    const tokens = await viewer.tokens.list.query();
    expect(tokens).toHaveLength(maxTokensPerUser);
    await viewer.tokens.revoke.mutate({ id: tokens.at(-1)!.id });
    await viewer.tokens.create.mutate({ name: 'after-revoking' });
  });

  it('does not limit administrators', async () => {
    for (let i = 0; i <= maxTokensPerUser; i++) await admin.tokens.create.mutate({ name: `admin-${i}` });
  });
});

describe('settings', () => {
  it('default to 10 projects and 50 tokens per user, and take the variables', () => {
    expect(loadConfig({}).userLimits).toEqual({ maxProjectsPerUser: 10, maxTokensPerUser: 50 });
    expect(
      loadConfig({ UNCLOUD_MAX_PROJECTS_PER_USER: '0', UNCLOUD_MAX_TOKENS_PER_USER: '5' }).userLimits,
    ).toEqual({ maxProjectsPerUser: 0, maxTokensPerUser: 5 });
    expect(() => loadConfig({ UNCLOUD_MAX_TOKENS_PER_USER: '-1' })).toThrow(ConfigError);
  });
});
