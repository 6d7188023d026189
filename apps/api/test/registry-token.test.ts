import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { ProjectId } from '@uncloud/sdk';
import { startStack, type Stack } from '@uncloud/api/testing';
import { basic } from './registry-client.ts';

// The token endpoint against the exchanges the Docker registry token specification documents:
// GET realm?service=…&scope=… with basic credentials → { token, access_token, expires_in,
// issued_at }, a JWT whose `access` claim holds what was granted; scopes the caller may not have
// are left out, not refused. The same flow against a real registry: registry.real.test.ts.

let stack: Stack;
let shop: ProjectId;
const tokens = { member: '', viewer: '', outsider: '', readOnly: '' };

beforeAll(async () => {
  stack = await startStack({ cluster: false });
  shop = (await stack.client.projects.create.mutate({ name: 'shop' })).id;
  await stack.client.projects.create.mutate({ name: 'other' });
  for (const [who, role] of [
    ['member', 'member'],
    ['viewer', 'viewer'],
    ['outsider', undefined],
  ] as const) {
    const { user, token } = await stack.client.users.create.mutate({ name: who });
    tokens[who] = token.token;
    if (role) await stack.client.projects.addMember.mutate({ projectId: shop, userId: user.id, role });
  }
  tokens.readOnly = (
    await stack.clientWith(tokens.member).tokens.create.mutate({ name: 'ci-pull', readOnly: true })
  ).token;
});
afterAll(() => stack.close());

const ask = (password: string | undefined, scopes: string[], service = 'uncloud-registry') => {
  const url = new URL(`${stack.url}/registry/token`);
  url.searchParams.set('service', service);
  for (const scope of scopes) url.searchParams.append('scope', scope);
  url.searchParams.set('account', 'someone@example.com');
  return fetch(url, { headers: password === undefined ? {} : { authorization: basic('someone', password) } });
};

const verify = async (token: string) => {
  const jwks = (await (await fetch(`${stack.url}/registry/jwks.json`)).json()) as { keys: object[] };
  return (
    await jwtVerify(token, createLocalJWKSet(jwks as never), {
      issuer: 'uncloud',
      audience: 'uncloud-registry',
    })
  ).payload;
};

const accessOf = async (password: string, scopes: string[]) => {
  const answer = await ask(password, scopes);
  expect(answer.status).toBe(200);
  return (await verify(((await answer.json()) as { token: string }).token)).access;
};

describe('the registry token endpoint', () => {
  it('answers a token request as the specification shows, signed with the published key', async () => {
    const answer = await ask(tokens.member, ['repository:shop/api:pull,push']);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const body = (await answer.json()) as Record<string, unknown>;
    expect(body).toEqual({
      token: expect.any(String),
      access_token: body.token,
      expires_in: 300,
      issued_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const token = body.token as string;
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', kid: stack.api.registry.keyId });
    const claims = await verify(token);
    expect(claims).toMatchObject({
      iss: 'uncloud',
      aud: 'uncloud-registry',
      access: [{ type: 'repository', name: 'shop/api', actions: ['pull', 'push'] }],
    });
    expect(claims.sub).toMatch(/^usr_/);
    expect(claims.exp! - claims.iat!).toBe(300);
    expect(claims.nbf).toBe(claims.iat);
    expect(Date.parse(body.issued_at as string) / 1000).toBe(claims.iat);
  });

  it('grants per project and role, and drops what is not granted instead of failing', async () => {
    const scopes = ['repository:shop/api:pull,push', 'repository:other/api:pull', 'registry:catalog:*'];
    expect(await accessOf(tokens.member, scopes)).toEqual([
      { type: 'repository', name: 'shop/api', actions: ['pull', 'push'] },
    ]);
    expect(await accessOf(tokens.viewer, scopes)).toEqual([
      { type: 'repository', name: 'shop/api', actions: ['pull'] },
    ]);
    expect(await accessOf(tokens.outsider, scopes)).toEqual([]);
    expect(await accessOf(tokens.readOnly, scopes)).toEqual([
      { type: 'repository', name: 'shop/api', actions: ['pull'] },
    ]);
    // The administrator is an owner everywhere; no user gets the catalogue of every project.
    expect(await accessOf(stack.adminToken, scopes)).toEqual([
      { type: 'repository', name: 'shop/api', actions: ['pull', 'push'] },
      { type: 'repository', name: 'other/api', actions: ['pull'] },
    ]);
    // docker login asks for no scope at all: a token that proves the credentials and grants nothing.
    expect(await accessOf(tokens.member, [])).toEqual([]);
  });

  it('refuses missing or wrong credentials with a basic challenge, and a token for another service', async () => {
    for (const password of [undefined, 'uc_wrong', '']) {
      const answer = await ask(password, ['repository:shop/api:pull']);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Basic realm="Uncloud registry"');
      expect(await answer.json()).toEqual({
        errors: [{ code: 'UNAUTHORIZED', message: expect.stringContaining('API token') }],
      });
    }
    const elsewhere = await ask(tokens.member, ['repository:shop/api:pull'], 'docker.io');
    expect(elsewhere.status).toBe(400);
    expect(((await elsewhere.json()) as { errors: { message: string }[] }).errors[0]!.message).toContain(
      'uncloud-registry',
    );
  });

  it('stops granting once an API token is revoked or a member removed', async () => {
    const { user, token } = await stack.client.users.create.mutate({ name: 'leaver' });
    await stack.client.projects.addMember.mutate({ projectId: shop, userId: user.id, role: 'member' });
    expect(await accessOf(token.token, ['repository:shop/api:push'])).toHaveLength(1);
    await stack.client.projects.removeMember.mutate({ projectId: shop, userId: user.id });
    expect(await accessOf(token.token, ['repository:shop/api:push'])).toEqual([]);
    await stack.clientWith(token.token).tokens.revoke.mutate({ id: token.id });
    expect((await ask(token.token, [])).status).toBe(401);
  });

  it("takes a project's pull credential for pulls of that project, as the image pull Secret sends it", async () => {
    const { password } = stack.api.registry.pullCredential(shop);
    expect(await accessOf(password, ['repository:shop/api:pull,push', 'repository:other/api:pull'])).toEqual([
      { type: 'repository', name: 'shop/api', actions: ['pull'] },
    ]);
  });

  it('takes the OAuth 2 password grant that containerd posts, and refuses refresh tokens it never issued', async () => {
    const post = (form: Record<string, string>) =>
      fetch(`${stack.url}/registry/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
    const answer = await post({
      grant_type: 'password',
      service: 'uncloud-registry',
      client_id: 'containerd-client',
      username: 'someone',
      password: tokens.viewer,
      scope: 'repository:shop/api:pull,push repository:other/api:pull',
    });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { access_token: string; expires_in: number };
    expect(body.expires_in).toBe(300);
    expect((await verify(body.access_token)).access).toEqual([
      { type: 'repository', name: 'shop/api', actions: ['pull'] },
    ]);
    const wrong = await post({
      grant_type: 'password',
      service: 'uncloud-registry',
      username: 'x',
      password: 'uc_nope',
    });
    expect(wrong.status).toBe(401);
    const refresh = await post({
      grant_type: 'refresh_token',
      service: 'uncloud-registry',
      refresh_token: 'r',
    });
    expect(refresh.status).toBe(400);
    expect(await refresh.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it("keeps a renamed or deleted project's images from a later project that takes its name", async () => {
    const old = await stack.client.projects.create.mutate({ name: 'legacy' });
    expect(await accessOf(stack.adminToken, ['repository:legacy/api:pull'])).toHaveLength(1);
    await stack.client.projects.update.mutate({ projectId: old.id, name: 'renamed' });
    const newcomer = await stack.client.projects.create.mutate({ name: 'legacy' });
    expect(await accessOf(stack.adminToken, ['repository:legacy/api:pull,push'])).toEqual([]);
    const { password } = stack.api.registry.pullCredential(newcomer.id);
    expect(await accessOf(password, ['repository:legacy/api:pull'])).toEqual([]);
    // A name never used in the registry goes to the project that bears it.
    expect(await accessOf(stack.adminToken, ['repository:renamed/api:pull'])).toHaveLength(1);
  });
});
