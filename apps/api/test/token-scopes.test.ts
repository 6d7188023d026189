import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectId, TokenId } from '@uncloud/sdk';
import { startStack, type Stack } from '@uncloud/api/testing';
import { failure } from './errors.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ cluster: false });
});
afterAll(() => stack.close());

const DAY_MS = 24 * 60 * 60 * 1000;
const missingProject = `proj_${'z'.repeat(20)}` as ProjectId;

const newUser = async (name: string, isAdmin = false) => {
  const { user, token } = await stack.client.users.create.mutate({ name, isAdmin });
  return { id: user.id, token: token.token, client: stack.clientWith(token.token) };
};

/** Moves a token's expiry, as if time had passed. */
const expireAt = (id: TokenId, at: number) =>
  stack.api.store.sqlite.prepare('update api_tokens set expires_at = ? where id = ?').run(at, id);

describe('token prefixes', () => {
  it('keeps the first characters of each new token, to recognise it, and never the rest', async () => {
    const issued = await stack.client.tokens.create.mutate({ name: 'prefixed' });
    expect(issued.prefix).toBe(issued.token.slice(0, 11));
    expect(issued.prefix).toMatch(/^uc_[A-Za-z0-9_-]{8}$/);
    const listed = (await stack.client.tokens.list.query()).find((t) => t.id === issued.id);
    expect(listed?.prefix).toBe(issued.prefix);
    const stored = JSON.stringify(stack.api.store.sqlite.prepare('select * from api_tokens').all());
    expect(stored).toContain(issued.prefix);
    expect(stored).not.toContain(issued.token.slice(0, 16));
  });

  it("shows at most a quarter of a short chosen token (the admin's)", async () => {
    const admin = (await stack.client.tokens.list.query()).find((t) => t.current);
    expect(admin?.prefix).toBe(
      stack.adminToken.slice(0, Math.min(11, Math.floor(stack.adminToken.length / 4))),
    );
  });
});

describe('the current token', () => {
  it('is marked in tokens.list, whichever token lists', async () => {
    const kim = await newUser('kim');
    const second = await kim.client.tokens.create.mutate({ name: 'second' });
    expect(second.current).toBe(false);
    const byFirst = await kim.client.tokens.list.query();
    expect(byFirst.map((t) => [t.name, t.current])).toEqual([
      ['initial', true],
      ['second', false],
    ]);
    const bySecond = await stack.clientWith(second.token).tokens.list.query();
    expect(bySecond.map((t) => [t.name, t.current])).toEqual([
      ['initial', false],
      ['second', true],
    ]);
    // An administrator looking at someone's tokens is using none of them.
    const seen = await stack.client.users.tokens.query({ userId: kim.id });
    expect(seen.map((t) => t.current)).toEqual([false, false]);
  });
});

describe('token expiry', () => {
  it('sets the expiry from expiresInDays, and never by default', async () => {
    const before = Date.now();
    const week = await stack.client.tokens.create.mutate({ name: 'week', expiresInDays: 7 });
    const at = Date.parse(week.expiresAt!);
    expect(at).toBeGreaterThanOrEqual(before + 7 * DAY_MS);
    expect(at).toBeLessThanOrEqual(Date.now() + 7 * DAY_MS);
    expect((await stack.client.tokens.create.mutate({ name: 'forever' })).expiresAt).toBeNull();
  });

  it('refuses an expired token with UNAUTHORIZED, saying so and what to do', async () => {
    const issued = await stack.client.tokens.create.mutate({ name: 'short', expiresInDays: 1 });
    const client = stack.clientWith(issued.token);
    await client.auth.whoami.query();
    expireAt(issued.id, Date.now() - 1000);
    const refused = await failure(client.auth.whoami.query());
    expect(refused.data).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
    expect(refused.message).toMatch(/^This API token expired at .+; create a new one/);
    expect((await failure(client.projects.create.mutate({ name: 'late' }))).data.code).toBe('UNAUTHORIZED');
  });

  it('refuses expiries that are not whole days from 1 to 3650, naming the field', async () => {
    for (const expiresInDays of [0, 3651, 1.5, -1]) {
      const refused = await failure(stack.client.tokens.create.mutate({ name: 'bad', expiresInDays }));
      expect(refused.data).toMatchObject({ code: 'BAD_REQUEST', field: 'expiresInDays' });
    }
  });

  it('never lets an expiring token create one that outlives it', async () => {
    const parent = await stack.client.tokens.create.mutate({ name: 'parent', expiresInDays: 10 });
    const client = stack.clientWith(parent.token);
    const child = await client.tokens.create.mutate({ name: 'child' });
    expect(child.expiresAt).toBe(parent.expiresAt);
    expect((await client.tokens.create.mutate({ name: 'shorter', expiresInDays: 2 })).expiresAt).not.toBe(
      parent.expiresAt,
    );
    const refused = await failure(client.tokens.create.mutate({ name: 'longer', expiresInDays: 30 }));
    expect(refused.data).toMatchObject({ code: 'BAD_REQUEST', field: 'expiresInDays' });
    expect(refused.message).toMatch(/cannot outlive it: ask for at most 9 days/);
  });
});

describe('read-only tokens', () => {
  it('reads everything the user may read and is refused every change', async () => {
    const project = await stack.client.projects.create.mutate({ name: 'read-only-here' });
    const issued = await stack.client.tokens.create.mutate({ name: 'reader', readOnly: true });
    expect(issued.readOnly).toBe(true);
    const reader = stack.clientWith(issued.token);
    expect((await reader.auth.whoami.query()).token).toMatchObject({ id: issued.id, readOnly: true });
    expect((await reader.projects.list.query({})).items.map((p) => p.id)).toContain(project.id);
    await reader.sshKeys.list.query({ projectId: project.id });
    for (const call of [
      () => reader.projects.create.mutate({ name: 'not-by-reader' }),
      () => reader.projects.update.mutate({ projectId: project.id, description: 'changed' }),
      () => reader.tokens.create.mutate({ name: 'escalate' }),
      () => reader.tokens.revoke.mutate({ id: issued.id }),
      () => reader.users.create.mutate({ name: 'not-by-reader' }),
    ]) {
      const refused = await failure(call());
      expect(refused.data).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403 });
      expect(refused.message).toBe('this token is read-only; use a token without the read-only scope');
    }
    expect((await stack.client.projects.get.query({ projectId: project.id })).description).toBe('');
  });
});

describe('tokens limited to projects', () => {
  it('sees and touches only its projects; others answer exactly as to a non-member', async () => {
    const lee = await newUser('lee');
    const mine = await lee.client.projects.create.mutate({ name: 'lee-one' });
    const other = await lee.client.projects.create.mutate({ name: 'lee-two' });
    const issued = await lee.client.tokens.create.mutate({ name: 'one-project', projectIds: [mine.id] });
    expect(issued).toMatchObject({ projectIds: [mine.id], readOnly: false });
    const scoped = stack.clientWith(issued.token);

    expect((await scoped.projects.list.query({})).items.map((p) => p.id)).toEqual([mine.id]);
    const whoami = await scoped.auth.whoami.query();
    expect(whoami.projects.map((p) => p.id)).toEqual([mine.id]);
    expect(whoami.token).toEqual({
      id: issued.id,
      prefix: issued.prefix,
      expiresAt: null,
      readOnly: false,
      projectIds: [mine.id],
    });
    await scoped.sshKeys.list.query({ projectId: mine.id });
    await scoped.projects.update.mutate({ projectId: mine.id, description: 'in scope' });

    const stranger = await newUser('stranger');
    const calls = (client: typeof scoped, projectId: ProjectId) => [
      () => client.projects.get.query({ projectId }),
      () => client.sshKeys.list.query({ projectId }),
      () => client.projects.update.mutate({ projectId, description: 'out of scope' }),
      () => client.projects.delete.mutate({ projectId }),
    ];
    const outOfScope = calls(scoped, other.id);
    const nonMember = calls(stranger.client, other.id);
    const missing = calls(scoped, missingProject);
    for (let i = 0; i < outOfScope.length; i++) {
      const answer = await failure(outOfScope[i]!());
      expect(answer).toEqual(await failure(nonMember[i]!()));
      expect(answer.data.code).toBe('NOT_FOUND');
      expect(answer.message.replace(other.id, missingProject)).toBe((await failure(missing[i]!())).message);
    }
    expect((await lee.client.projects.get.query({ projectId: other.id })).description).toBe('');
  });

  it('creates no projects and uses no administrator procedure, even for an administrator', async () => {
    const project = await stack.client.projects.create.mutate({ name: 'admin-scoped' });
    const issued = await stack.client.tokens.create.mutate({ name: 'admin-one', projectIds: [project.id] });
    const scoped = stack.clientWith(issued.token);
    await scoped.projects.update.mutate({ projectId: project.id, description: 'owner here' });
    const create = await failure(scoped.projects.create.mutate({ name: 'from-scoped' }));
    expect(create.data).toMatchObject({ code: 'FORBIDDEN' });
    expect(create.message).toMatch(/limited to some projects and cannot create new ones/);
    for (const call of [
      () => scoped.users.list.query(),
      () => scoped.users.create.mutate({ name: 'by-scoped-admin' }),
      () => scoped.quotas.update.mutate({ projectId: project.id, droplets: 99 }),
    ]) {
      expect((await failure(call())).data).toMatchObject({ code: 'FORBIDDEN' });
    }
    expect((await stack.client.projects.list.query({})).items.map((p) => p.name)).not.toContain(
      'from-scoped',
    );
  });

  it('never creates a broader token than itself', async () => {
    const mo = await newUser('mo');
    const a = await mo.client.projects.create.mutate({ name: 'mo-a' });
    const b = await mo.client.projects.create.mutate({ name: 'mo-b' });
    const onlyA = stack.clientWith(
      (await mo.client.tokens.create.mutate({ name: 'only-a', projectIds: [a.id] })).token,
    );
    expect((await onlyA.tokens.create.mutate({ name: 'inherits' })).projectIds).toEqual([a.id]);
    expect((await onlyA.tokens.create.mutate({ name: 'same', projectIds: [a.id, a.id] })).projectIds).toEqual(
      [a.id],
    );
    const wider = await failure(onlyA.tokens.create.mutate({ name: 'wider', projectIds: [a.id, b.id] }));
    const unknown = await failure(
      onlyA.tokens.create.mutate({ name: 'unknown', projectIds: [missingProject] }),
    );
    expect(wider.data).toMatchObject({ code: 'NOT_FOUND', field: 'projectIds' });
    expect(wider.message.replace(b.id, missingProject)).toBe(unknown.message);
  });

  it('sees and revokes only tokens no broader than itself', async () => {
    const pat = await newUser('pat');
    const a = await pat.client.projects.create.mutate({ name: 'pat-a' });
    const b = await pat.client.projects.create.mutate({ name: 'pat-b' });
    const onlyA = await pat.client.tokens.create.mutate({ name: 'only-a', projectIds: [a.id] });
    const onlyB = await pat.client.tokens.create.mutate({ name: 'only-b', projectIds: [b.id] });
    const scoped = stack.clientWith(onlyA.token);
    const narrower = await scoped.tokens.create.mutate({ name: 'narrower' });

    expect((await scoped.tokens.list.query()).map((t) => t.name)).toEqual(['only-a', 'narrower']);
    expect(JSON.stringify(await scoped.tokens.list.query())).not.toContain(b.id);
    const initial = (await pat.client.tokens.list.query()).find((t) => t.name === 'initial')!;
    for (const id of [initial.id, onlyB.id]) {
      const refused = await failure(scoped.tokens.revoke.mutate({ id }));
      expect(refused.data).toMatchObject({ code: 'NOT_FOUND' });
      expect(refused.message).toBe(`token ${id} was not found`);
    }
    await scoped.tokens.revoke.mutate({ id: narrower.id });
    expect((await pat.client.tokens.list.query()).map((t) => t.name)).toEqual([
      'initial',
      'only-a',
      'only-b',
    ]);
  });

  it('refuses projects the user is not a member of, naming projectIds, without telling they exist', async () => {
    const ned = await newUser('ned');
    const theirs = await stack.client.projects.create.mutate({ name: 'not-neds' });
    const refused = await failure(ned.client.tokens.create.mutate({ name: 'x', projectIds: [theirs.id] }));
    const missing = await failure(
      ned.client.tokens.create.mutate({ name: 'x', projectIds: [missingProject] }),
    );
    expect(refused.data).toMatchObject({ code: 'NOT_FOUND', field: 'projectIds' });
    expect(refused.message.replace(theirs.id, missingProject)).toBe(missing.message);
    const empty = await failure(ned.client.tokens.create.mutate({ name: 'x', projectIds: [] }));
    expect(empty.data).toMatchObject({ code: 'BAD_REQUEST', field: 'projectIds' });

    // Administrators see every project, so they are told why a token cannot reach one.
    const admin = await newUser('admin-nonmember', true);
    const own = await failure(admin.client.tokens.create.mutate({ name: 'x', projectIds: [theirs.id] }));
    expect(own.data).toMatchObject({ code: 'BAD_REQUEST', field: 'projectIds' });
    expect(own.message).toMatch(/you are not a member of project .*add yourself to the project first/);
  });
});
