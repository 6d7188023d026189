import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenId, UserId } from '@uncloud/sdk';
import { startStack, type Stack } from '@uncloud/api/testing';
import { failure } from './errors.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ cluster: false });
});
afterAll(() => stack.close());

const newUser = async (name: string, isAdmin = false) => {
  const { user, token } = await stack.client.users.create.mutate({ name, isAdmin });
  return { id: user.id, token: token.token, client: stack.clientWith(token.token) };
};

describe('disabling users', () => {
  it("refuses every one of a disabled user's tokens at once, and takes them back when enabled", async () => {
    const dora = await newUser('dora');
    const second = (await dora.client.tokens.create.mutate({ name: 'ci' })).token;
    await dora.client.auth.whoami.query();

    const disabled = await stack.client.users.disable.mutate({ userId: dora.id });
    expect(disabled.disabledAt).not.toBeNull();
    for (const token of [dora.token, second]) {
      const refused = await failure(stack.clientWith(token).auth.whoami.query());
      expect(refused.data).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
    }
    expect((await stack.client.users.list.query()).find((u) => u.id === dora.id)?.disabledAt).toBe(
      disabled.disabledAt,
    );

    await stack.client.users.enable.mutate({ userId: dora.id });
    expect((await dora.client.auth.whoami.query()).user.disabledAt).toBeNull();
  });

  it('keeps a disabled member out of their projects without losing the membership', async () => {
    const project = await stack.client.projects.create.mutate({ name: 'kept' });
    const ed = await newUser('ed');
    await stack.client.projects.addMember.mutate({ projectId: project.id, userId: ed.id, role: 'member' });
    await stack.client.users.disable.mutate({ userId: ed.id });
    const refused = await failure(ed.client.droplets.list.query({ projectId: project.id }));
    expect(refused.data).toMatchObject({ code: 'UNAUTHORIZED' });
    const members = await stack.client.projects.members.query({ projectId: project.id });
    expect(members.find((m) => m.user.id === ed.id)?.user.disabledAt).not.toBeNull();
  });

  it('refuses an administrator who would disable or delete themselves, or the last administrator', async () => {
    const me = (await stack.client.auth.whoami.query()).user.id;
    for (const call of [
      () => stack.client.users.disable.mutate({ userId: me }),
      () => stack.client.users.delete.mutate({ userId: me }),
    ]) {
      const refused = await failure(call());
      expect(refused.data).toMatchObject({ code: 'CONFLICT', field: 'userId' });
      expect(refused.message).toMatch(/^you cannot (disable|delete) yourself; ask another administrator$/);
    }
    // A second administrator may shut the first out only while one of them can still sign in.
    const other = await newUser('root2', true);
    await other.client.users.disable.mutate({ userId: me });
    const refused = await failure(stack.client.auth.whoami.query());
    expect(refused.data).toMatchObject({ code: 'UNAUTHORIZED' });
    await other.client.users.enable.mutate({ userId: me });
    await stack.client.users.delete.mutate({ userId: other.id });
  });

  it('is for administrators only', async () => {
    const fay = await newUser('fay');
    const gus = await newUser('gus');
    for (const call of [
      () => fay.client.users.disable.mutate({ userId: gus.id }),
      () => fay.client.users.delete.mutate({ userId: gus.id }),
      () => fay.client.users.tokens.query({ userId: gus.id }),
      () =>
        fay.client.users.revokeToken.mutate({ userId: gus.id, id: 'tok_0123456789abcdefghij' as TokenId }),
    ]) {
      expect((await failure(call())).data).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403 });
    }
  });
});

describe('deleting users', () => {
  it('removes the user, their tokens and their memberships', async () => {
    const project = await stack.client.projects.create.mutate({ name: 'team-del' });
    const hal = await newUser('hal');
    await stack.client.projects.addMember.mutate({ projectId: project.id, userId: hal.id, role: 'viewer' });
    await stack.client.users.delete.mutate({ userId: hal.id });
    expect((await failure(hal.client.auth.whoami.query())).data).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await stack.client.users.list.query()).map((u) => u.id)).not.toContain(hal.id);
    const members = await stack.client.projects.members.query({ projectId: project.id });
    expect(members.map((m) => m.user.id)).not.toContain(hal.id);
    const again = await failure(stack.client.users.delete.mutate({ userId: hal.id }));
    expect(again.data).toMatchObject({ code: 'NOT_FOUND', field: 'userId' });
  });

  it("refuses to delete a project's only owner, naming the project and what to do", async () => {
    const ivy = await newUser('ivy');
    await ivy.client.projects.create.mutate({ name: 'ivys' });
    const refused = await failure(stack.client.users.delete.mutate({ userId: ivy.id }));
    expect(refused.data).toMatchObject({ code: 'CONFLICT', field: 'userId' });
    expect(refused.message).toBe(
      'ivy is the only owner of project ivys; make someone else owner there first, or disable ivy instead',
    );
  });
});

describe("administrators and other users' tokens", () => {
  it("lists and revokes any user's tokens; a revoked token stops working at once", async () => {
    const jo = await newUser('jo');
    const ci = await jo.client.tokens.create.mutate({ name: 'ci' });
    const listed = await stack.client.users.tokens.query({ userId: jo.id });
    expect(listed.map((t) => t.name)).toEqual(['initial', 'ci']);
    expect(JSON.stringify(listed)).not.toContain(ci.token);

    await stack.client.users.revokeToken.mutate({ userId: jo.id, id: ci.id });
    expect((await failure(stack.clientWith(ci.token).auth.whoami.query())).data).toMatchObject({
      code: 'UNAUTHORIZED',
    });
    expect((await stack.client.users.tokens.query({ userId: jo.id })).map((t) => t.name)).toEqual([
      'initial',
    ]);
    await jo.client.auth.whoami.query();
  });

  it("answers NOT_FOUND for a token that is not that user's", async () => {
    const kim = await newUser('kim');
    const lee = await newUser('lee');
    const [leeToken] = await stack.client.users.tokens.query({ userId: lee.id });
    const refused = await failure(
      stack.client.users.revokeToken.mutate({ userId: kim.id, id: leeToken!.id }),
    );
    expect(refused.data).toMatchObject({ code: 'NOT_FOUND' });
    await lee.client.auth.whoami.query();
    expect(
      (await failure(stack.client.users.tokens.query({ userId: 'usr_0123456789abcdefghij' as UserId }))).data,
    ).toMatchObject({ code: 'NOT_FOUND' });
  });
});
