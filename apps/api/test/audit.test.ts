import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRepository, newId, openIntentStore } from '@uncloud/db';
import { type AuditEvent, type ProjectId, createUncloudClient } from '@uncloud/sdk';
import { startStack, type Stack } from '@uncloud/api/testing';
import { ConfigError, loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { startServer } from '../src/server.ts';
import { pruneAuditLog } from '../src/services/audit.ts';
import { failure } from './errors.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ cluster: false });
});
afterAll(() => stack.close());

const DAY_MS = 24 * 60 * 60 * 1000;

const newUser = async (name: string) => {
  const { user, token } = await stack.client.users.create.mutate({ name });
  return { id: user.id, token: token.token, client: stack.clientWith(token.token) };
};

/** Every stored audit row, as SQLite holds it. */
const storedRows = () => stack.api.store.sqlite.prepare('select * from audit_events').all();

/** The newest events matching a filter, read as an administrator. */
const events = async (filter: { projectId?: ProjectId; procedure?: string } = {}) =>
  (await stack.client.audit.list.query({ ...filter, limit: 200 })).items;

const currentToken = async () => (await stack.client.tokens.list.query()).find((t) => t.current)!;

describe('recording mutations', () => {
  it('records creates and deletes with who, which token, the project, the resource and the request id', async () => {
    const requestId = 'audit-test-request-1';
    const traced = createUncloudClient({
      url: stack.url,
      token: stack.adminToken,
      headers: { 'x-request-id': requestId },
    });
    const project = await traced.projects.create.mutate({ name: 'audited' });
    const app = await stack.client.apps.create.mutate({
      projectId: project.id,
      name: 'web',
      image: 'nginx:1.27',
      port: 80,
    });
    await stack.client.apps.delete.mutate({ projectId: project.id, id: app.id });
    const token = await currentToken();

    const [deleted, created, projectCreated] = await events({ projectId: project.id });
    expect(projectCreated).toMatchObject({
      procedure: 'projects.create',
      projectId: project.id,
      resourceId: project.id,
      outcome: 'ok',
      errorCode: null,
      requestId,
      actor: { name: 'admin' },
      tokenId: token.id,
      tokenPrefix: token.prefix,
    });
    expect(created).toMatchObject({ procedure: 'apps.create', resourceId: app.id, outcome: 'ok' });
    expect(deleted).toMatchObject({ procedure: 'apps.delete', resourceId: app.id, outcome: 'ok' });
    expect(Date.parse(deleted!.at)).toBeGreaterThan(Date.parse(created!.at));
  });

  it('answers each request with its X-Request-Id, and records that id', async () => {
    const response = await fetch(`${stack.url}/trpc/projects.create`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'by-raw-request' }),
    });
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const [event] = await events({ procedure: 'projects.create' });
    expect(event).toMatchObject({ requestId, outcome: 'ok' });
  });

  it('records refused and failed mutations with their error code, and nothing for reads or strangers', async () => {
    const project = await stack.client.projects.create.mutate({ name: 'refusals' });
    const viewer = await newUser('audit-viewer');
    await stack.client.projects.addMember.mutate({
      projectId: project.id,
      userId: viewer.id,
      role: 'viewer',
    });
    const outsider = await newUser('audit-outsider');
    const before = storedRows().length;

    await failure(
      viewer.client.apps.create.mutate({ projectId: project.id, name: 'no', image: 'nginx', port: 80 }),
    );
    await failure(outsider.client.projects.update.mutate({ projectId: project.id, description: 'x' }));
    await failure(stack.client.projects.create.mutate({ name: 'Not A Valid Name' }));
    await viewer.client.apps.list.query({ projectId: project.id });
    await failure(stack.clientWith('uc_not-a-token').projects.create.mutate({ name: 'anonymous' }));
    expect(storedRows().length).toBe(before + 3);

    const [invalid, outside, forbidden] = await events();
    expect(forbidden).toMatchObject({
      procedure: 'apps.create',
      actor: { id: viewer.id },
      projectId: project.id,
      outcome: 'error',
      errorCode: 'FORBIDDEN',
    });
    // Not let into the project: its id is not recorded, so the owner never sees the probe.
    expect(outside).toMatchObject({ actor: { id: outsider.id }, projectId: null, errorCode: 'NOT_FOUND' });
    expect(invalid).toMatchObject({
      procedure: 'projects.create',
      errorCode: 'BAD_REQUEST',
      projectId: null,
    });
  });

  it('never stores what was sent or answered: env values, tokens, user data', async () => {
    const project = await stack.client.projects.create.mutate({ name: 'secrets' });
    const secret = 'postgres://app:Sup3r-S3cret-Pa55@db:5432/app';
    await stack.client.apps.create.mutate({
      projectId: project.id,
      name: 'api',
      image: 'nginx:1.27',
      port: 80,
      env: { DATABASE_URL: secret },
    });
    // A refused call carrying a secret is recorded too, still without it.
    await failure(
      stack.client.apps.create.mutate({
        projectId: project.id,
        name: 'Bad Name',
        image: 'nginx:1.27',
        port: 80,
        env: { DATABASE_URL: secret },
      }),
    );
    const issued = await stack.client.tokens.create.mutate({ name: 'secret-token' });
    const created = await stack.client.users.create.mutate({ name: 'audit-secret-user' });
    const dump = JSON.stringify(storedRows());
    for (const value of [secret, 'Sup3r-S3cret-Pa55', issued.token, created.token.token, stack.adminToken]) {
      expect(dump).not.toContain(value);
    }
    const [userEvent, tokenEvent] = await events();
    expect(userEvent).toMatchObject({ procedure: 'users.create', resourceId: created.user.id });
    expect(tokenEvent).toMatchObject({ procedure: 'tokens.create', resourceId: issued.id });
  });

  it('shows a deleted actor as null, keeping their events', async () => {
    const gone = await newUser('audit-gone');
    await gone.client.tokens.create.mutate({ name: 'before-leaving' });
    await stack.client.users.delete.mutate({ userId: gone.id });
    const mine = (await stack.client.audit.list.query({ userId: gone.id })).items;
    expect(mine).toEqual([expect.objectContaining({ procedure: 'tokens.create', actor: null })]);
  });
});

describe('an audit log that cannot be written', () => {
  it("leaves the call's answer as it was", async () => {
    const own = await startStack({ cluster: false });
    try {
      own.api.store.sqlite.exec('drop table audit_events');
      const project = await own.client.projects.create.mutate({ name: 'unrecorded' });
      expect((await own.client.projects.get.query({ projectId: project.id })).name).toBe('unrecorded');
    } finally {
      await own.close();
    }
  });
});

describe('audit.list', () => {
  it("lets owners read their project's events only, and refuses members, viewers and outsiders", async () => {
    const owner = await newUser('audit-owner');
    const project = await owner.client.projects.create.mutate({ name: 'owned-log' });
    const elsewhere = await stack.client.projects.create.mutate({ name: 'not-theirs' });
    const member = await newUser('audit-member');
    const viewer = await newUser('audit-viewer2');
    await owner.client.projects.addMember.mutate({
      projectId: project.id,
      userId: member.id,
      role: 'member',
    });
    await owner.client.projects.addMember.mutate({
      projectId: project.id,
      userId: viewer.id,
      role: 'viewer',
    });
    await member.client.projects.create.mutate({ name: 'members-own' });

    const seen: AuditEvent[] = (await owner.client.audit.list.query({ projectId: project.id })).items;
    expect(seen.map((e) => e.procedure)).toEqual([
      'projects.addMember',
      'projects.addMember',
      'projects.create',
    ]);
    expect(seen.every((e) => e.projectId === project.id)).toBe(true);

    const everything = await failure(owner.client.audit.list.query({}));
    expect(everything.data).toMatchObject({ code: 'FORBIDDEN' });
    expect(everything.message).toMatch(
      /^Only administrators read every project's activity; name the projectId/,
    );
    for (const [client, role] of [
      [member.client, 'member'],
      [viewer.client, 'viewer'],
    ] as const) {
      const refused = await failure(client.audit.list.query({ projectId: project.id }));
      expect(refused.data).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403 });
      expect(refused.message).toBe(
        `A project's activity is shown to its owners only, and you are a ${role} of this one; ask an owner`,
      );
    }
    const outside = await failure(owner.client.audit.list.query({ projectId: elsewhere.id }));
    expect(outside.data).toMatchObject({ code: 'NOT_FOUND', field: 'projectId' });

    // A token limited to another project answers as to a non-member.
    const other = await owner.client.projects.create.mutate({ name: 'owned-other' });
    const scoped = stack.clientWith(
      (await owner.client.tokens.create.mutate({ name: 'other-only', projectIds: [other.id] })).token,
    );
    expect((await failure(scoped.audit.list.query({ projectId: project.id }))).data).toMatchObject({
      code: 'NOT_FOUND',
    });
    const adminSees = await stack.client.audit.list.query({ userId: member.id });
    expect(adminSees.items.map((e) => e.procedure)).toEqual(['projects.create']);
  });

  it('pages newest first without gaps or repeats, and filters by procedure, router and outcome', async () => {
    const project = await stack.client.projects.create.mutate({ name: 'paged-log' });
    for (let i = 0; i < 5; i++)
      await stack.client.projects.update.mutate({ projectId: project.id, description: `v${i}` });
    await failure(stack.client.projects.update.mutate({ projectId: project.id, name: 'Bad Name' }));

    const all = await events({ projectId: project.id });
    expect(all).toHaveLength(7);
    const paged: AuditEvent[] = [];
    let cursor: string | undefined;
    do {
      const page = await stack.client.audit.list.query({ projectId: project.id, limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      paged.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(paged.map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(all.map((e) => e.procedure)).toEqual([
      ...Array<string>(6).fill('projects.update'),
      'projects.create',
    ]);
    const times = all.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const failed = await stack.client.audit.list.query({ projectId: project.id, outcome: 'error' });
    expect(failed.items.map((e) => e.errorCode)).toEqual(['BAD_REQUEST']);
    const ok = await stack.client.audit.list.query({ projectId: project.id, outcome: 'ok' });
    expect(ok.items).toHaveLength(6);
    const creates = await stack.client.audit.list.query({
      projectId: project.id,
      procedure: 'projects.create',
    });
    expect(creates.items).toHaveLength(1);
    const router = await stack.client.audit.list.query({ projectId: project.id, procedure: 'projects' });
    expect(router.items).toHaveLength(7);
    const bad = await failure(stack.client.audit.list.query({ procedure: "projects.%' or 1=1" }));
    expect(bad.data).toMatchObject({ code: 'BAD_REQUEST', field: 'procedure' });
  });
});

describe('retention', () => {
  it('keeps 90 days by default, and takes whole days of at least 1 from UNCLOUD_AUDIT_RETENTION_DAYS', () => {
    expect(loadConfig({}).auditRetentionDays).toBe(90);
    expect(loadConfig({ UNCLOUD_AUDIT_RETENTION_DAYS: '7' }).auditRetentionDays).toBe(7);
    for (const value of ['0', '1.5', 'forever'])
      expect(() => loadConfig({ UNCLOUD_AUDIT_RETENTION_DAYS: value })).toThrow(
        expect.objectContaining({
          constructor: ConfigError,
          message: expect.stringContaining('UNCLOUD_AUDIT_RETENTION_DAYS'),
        }),
      );
  });

  const event = (ageDays: number) => ({
    id: newId('auditEvent'),
    createdAt: new Date(Date.now() - ageDays * DAY_MS),
    actorId: newId('user'),
    procedure: 'projects.create',
  });

  it('deletes events older than the retention, keeping the rest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'uncloud-audit-'));
    const store = openIntentStore(join(dir, 'uncloud.db'));
    try {
      const old = event(91);
      const recent = event(89);
      for (const row of [old, recent]) auditRepository.insert(store.db, row);
      expect(pruneAuditLog(store, 90)).toBe(1);
      const ids = store.sqlite.prepare('select id from audit_events').all() as { id: string }[];
      expect(ids.map((r) => r.id)).toEqual([recent.id]);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prunes on start with the configured retention', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uncloud-audit-'));
    const databasePath = join(dir, 'uncloud.db');
    const store = openIntentStore(databasePath);
    const [old, recent] = [event(3), event(0.5)];
    for (const row of [old, recent]) auditRepository.insert(store.db, row);
    store.close();
    const server = await startServer(
      {
        port: 0,
        host: '127.0.0.1',
        databasePath,
        adminToken: undefined,
        webDir: join(dir, 'no-web'),
        cluster: false,
        auditRetentionDays: 1,
      },
      createLogger('silent', false),
    );
    try {
      const ids = server.store.sqlite.prepare('select id from audit_events').all() as { id: string }[];
      expect(ids.map((r) => r.id)).toEqual([recent.id]);
    } finally {
      await server.close(1000);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
