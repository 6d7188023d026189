import { describe, expect, it } from 'vitest';
import { startStack } from '@uncloud/api/testing';
import { waitFor } from '@uncloud/testing';

describe('graceful shutdown', () => {
  it('finishes requests in flight, then refuses new connections and closes the database', async () => {
    const stack = await startStack();
    const c = stack.client;
    const projectId = (await c.projects.create.mutate({ name: 'closing' })).id;
    await waitFor(async () => (await c.projects.get.query({ projectId })).state === 'active', {
      timeout: 10_000,
    });
    const db = await c.databases.create.mutate({
      projectId,
      name: 'main',
      engine: 'postgres',
      size: 'db-s-1vcpu-1gb',
    });
    await waitFor(async () => (await c.databases.get.query({ projectId, id: db.id })).state === 'active', {
      timeout: 10_000,
    });

    // Reading credentials goes to the cluster; slow it down so the request is in flight at close.
    stack.sim!.addLatency({ ms: 400, path: '/secrets' });
    const before = stack.sim!.requestTotal({ resource: 'secrets' });
    const inFlight = c.databases.credentials.query({ projectId, id: db.id });
    await waitFor(() => stack.sim!.requestTotal({ resource: 'secrets' }) > before, {
      message: 'the secret read under way',
    });
    const closed = stack.close();

    expect((await inFlight).user).toBe('app');
    await closed;
    await expect(fetch(`${stack.url}/healthz`)).rejects.toThrow();
    expect(stack.api.store.sqlite.open).toBe(false);
  });
});
