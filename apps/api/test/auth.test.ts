import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import { failure } from './errors.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ cluster: false });
});
afterAll(() => stack.close());

describe('authentication', () => {
  it('answers health checks without a token', async () => {
    expect(await (await fetch(`${stack.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${stack.url}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('refuses calls without a token with 401', async () => {
    const response = await fetch(`${stack.url}/trpc/auth.whoami`);
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { data: { code: string } } };
    expect(body.error.data.code).toBe('UNAUTHORIZED');
  });

  it('refuses a wrong token with UNAUTHORIZED, on every kind of procedure', async () => {
    const stranger = stack.clientWith('not-a-real-token');
    for (const call of [
      () => stranger.auth.whoami.query(),
      () => stranger.projects.list.query({}),
      () => stranger.sizes.list.query(),
      () => stranger.projects.create.mutate({ name: 'x' }),
    ]) {
      const { data } = await failure(call());
      expect(data).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
    }
  });

  it('creates the admin and the default project on first start', async () => {
    const me = await stack.client.auth.whoami.query();
    expect(me.user).toMatchObject({ name: 'admin', isAdmin: true });
    expect(me.projects).toEqual([expect.objectContaining({ name: 'default', role: 'owner' })]);
  });

  it('stores tokens only as hashes', async () => {
    const issued = await stack.client.tokens.create.mutate({ name: 'ci' });
    const rows = stack.api.store.sqlite.prepare('select * from api_tokens').all();
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(issued.token);
    expect(dump).not.toContain(stack.adminToken);
    expect(await stack.clientWith(issued.token).auth.whoami.query()).toMatchObject({
      user: { name: 'admin' },
    });
  });

  it('stops accepting a revoked token', async () => {
    const issued = await stack.client.tokens.create.mutate({ name: 'temporary' });
    const client = stack.clientWith(issued.token);
    await client.auth.whoami.query();
    await stack.client.tokens.revoke.mutate({ id: issued.id });
    expect((await failure(client.auth.whoami.query())).data.code).toBe('UNAUTHORIZED');
    expect((await stack.client.tokens.list.query()).map((t) => t.id)).not.toContain(issued.id);
  });

  it('lets only administrators manage users', async () => {
    const { user, token } = await stack.client.users.create.mutate({ name: 'bob' });
    expect(user.isAdmin).toBe(false);
    const bob = stack.clientWith(token.token);
    expect((await failure(bob.users.list.query())).data).toMatchObject({
      code: 'FORBIDDEN',
      httpStatus: 403,
    });
    expect((await stack.client.users.list.query()).map((u) => u.name)).toEqual(['admin', 'bob']);
    expect((await failure(stack.client.users.create.mutate({ name: 'bob' }))).data).toMatchObject({
      code: 'CONFLICT',
      field: 'name',
    });
  });

  it('serves the catalogues to any signed-in user', async () => {
    const sizes = await stack.client.sizes.list.query();
    expect(sizes).toContainEqual(expect.objectContaining({ slug: 's-1vcpu-1gb', vcpus: 1, memoryMiB: 1024 }));
    const images = await stack.client.images.list.query();
    expect(images).toContainEqual(expect.objectContaining({ slug: 'ubuntu-24-04', distribution: 'Ubuntu' }));
    const options = await stack.client.databaseOptions.list.query();
    expect(options.engines.map((e) => e.engine)).toEqual(['postgres', 'mysql', 'valkey']);
  });
});
