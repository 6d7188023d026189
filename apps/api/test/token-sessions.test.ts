// Who is signed in with which token: each token records when, from which address and with which
// client it was last used; a user sees their own tokens, an administrator everyone's, and either
// revokes what they see. Uses are recorded once a minute, or at once from another client.
import { createUncloudClient } from '@uncloud/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import { failure } from './errors.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ cluster: false });
});
afterAll(() => stack.close());

const BROWSER =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
/** A client that announces itself with this User-Agent. */
const clientAs = (token: string, userAgent: string) =>
  createUncloudClient({ url: stack.url, token, headers: { 'user-agent': userAgent } });

const newUser = async (name: string, isAdmin = false) => {
  const { user, token } = await stack.client.users.create.mutate({ name, isAdmin });
  return { id: user.id, token: token.token, tokenId: token.id, client: stack.clientWith(token.token) };
};

describe('where a token was last used', () => {
  it('records the address and the client, a browser as the dashboard and anything else as the API', async () => {
    const ann = await newUser('ann');
    await clientAs(ann.token, BROWSER).auth.whoami.query();
    const [seen] = await ann.client.tokens.list.query();
    // The listing itself came from a script: another client, recorded at once (after a second).
    expect(seen).toMatchObject({ lastUsedIp: '127.0.0.1', current: true });
    expect(seen!.lastUsedAt).not.toBeNull();
    const fromBrowser = await clientAs(ann.token, BROWSER).tokens.list.query();
    expect(fromBrowser[0]).toMatchObject({ lastUsedClient: 'dashboard', lastUsedUserAgent: BROWSER });
  });

  it('records a use from another client at once, and the same client at most once a minute', async () => {
    const bo = await newUser('bo');
    await clientAs(bo.token, 'uncloud-test/1').auth.whoami.query();
    const first = (await stack.client.users.tokens.query({ userId: bo.id }))[0]!;
    expect(first).toMatchObject({ lastUsedUserAgent: 'uncloud-test/1', lastUsedClient: 'api' });
    // The same client again within the minute: no write, the time stays.
    await clientAs(bo.token, 'uncloud-test/1').auth.whoami.query();
    expect((await stack.client.users.tokens.query({ userId: bo.id }))[0]!.lastUsedAt).toBe(first.lastUsedAt);
    // Another client more than a second later: recorded.
    const later = Date.parse(first.lastUsedAt!) + 1_100;
    while (Date.now() < later) await new Promise((resolve) => setImmediate(resolve));
    await clientAs(bo.token, BROWSER).auth.whoami.query();
    const second = (await stack.client.users.tokens.query({ userId: bo.id }))[0]!;
    expect(second).toMatchObject({ lastUsedUserAgent: BROWSER, lastUsedClient: 'dashboard' });
    expect(Date.parse(second.lastUsedAt!)).toBeGreaterThan(Date.parse(first.lastUsedAt!));
  });

  it('keeps at most 256 characters of a User-Agent', async () => {
    const cy = await newUser('cy');
    await clientAs(cy.token, `x/${'a'.repeat(5000)}`).auth.whoami.query();
    const [token] = await stack.client.users.tokens.query({ userId: cy.id });
    expect(token!.lastUsedUserAgent).toHaveLength(256);
  });
});

describe("everyone's tokens, for administrators", () => {
  it('lists every user’s tokens with their user, the most recently used first', async () => {
    const dee = await newUser('dee');
    const ci = await dee.client.tokens.create.mutate({ name: 'ci' });
    await dee.client.tokens.create.mutate({ name: 'unused' });
    await clientAs(ci.token, 'curl/8.5.0').auth.whoami.query();
    const all = await stack.client.users.allTokens.query();
    const dees = all.filter((t) => t.user.id === dee.id);
    expect(dees.map((t) => t.name).sort()).toEqual(['ci', 'initial', 'unused']);
    expect(dees.find((t) => t.name === 'ci')).toMatchObject({
      user: { id: dee.id, name: 'dee', isAdmin: false },
      lastUsedUserAgent: 'curl/8.5.0',
      lastUsedClient: 'api',
    });
    // The administrator's own token, used for this very call, is marked current.
    expect(all.filter((t) => t.current)).toMatchObject([{ user: { isAdmin: true } }]);
    const used = all.filter((t) => t.lastUsedAt).map((t) => Date.parse(t.lastUsedAt!));
    expect(used).toEqual([...used].sort((a, b) => b - a));
    // Never-used tokens come last.
    expect(all.slice(used.length).map((t) => t.lastUsedAt)).toEqual(all.slice(used.length).map(() => null));
    expect(all.slice(used.length).map((t) => t.name)).toContain('unused');
  });

  it('revokes another user’s token seen in the list, which then stops working', async () => {
    const eve = await newUser('eve');
    const laptop = await eve.client.tokens.create.mutate({ name: 'laptop' });
    const row = (await stack.client.users.allTokens.query()).find((t) => t.id === laptop.id)!;
    await stack.client.users.revokeToken.mutate({ userId: row.user.id, id: row.id });
    expect((await failure(stack.clientWith(laptop.token).auth.whoami.query())).data).toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('refuses users who are not administrators, and an administrator’s project-limited token', async () => {
    const fay = await newUser('fay');
    expect((await failure(fay.client.users.allTokens.query())).data).toMatchObject({
      code: 'FORBIDDEN',
      httpStatus: 403,
    });
    const gil = await newUser('gil', true);
    const projectId = (await gil.client.projects.create.mutate({ name: 'gil-shop' })).id;
    const limited = await gil.client.tokens.create.mutate({ name: 'shop-only', projectIds: [projectId] });
    expect((await failure(stack.clientWith(limited.token).users.allTokens.query())).data).toMatchObject({
      code: 'FORBIDDEN',
    });
    // A user still sees their own tokens, with where they were used, and no one else's.
    const own = await fay.client.tokens.list.query();
    expect(own.map((t) => t.name)).toEqual(['initial']);
    expect(own[0]).toHaveProperty('lastUsedIp');
  });
});
