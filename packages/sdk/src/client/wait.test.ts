import { describe, expect, it } from 'vitest';
import { createUncloudClient } from '../client.ts';
import { notFound } from '../schemas/errors.ts';
import { fakeId, fakeServer, projectId, token, url } from '../../test/fake-server.ts';
import { UncloudError } from './errors.ts';
import type { ChangeSource } from './wait.ts';

const id = fakeId('dpl', 7);
const ref = { projectId, id };
const fast = { intervalMs: 2, timeoutMs: 2_000 };

/** A droplet whose `get` answers the given states one after another, then the last one forever. */
const dropletGoingThrough = (...states: (string | 'gone')[]) => {
  let reads = 0;
  const get = () => {
    const state = states[Math.min(reads++, states.length - 1)];
    if (state === 'gone') throw notFound('droplet', id);
    return {
      id,
      projectId,
      name: 'web-1',
      state,
      syncError: state === 'error' ? 'the image could not be pulled' : null,
    };
  };
  const client = createUncloudClient({
    url,
    token,
    fetch: fakeServer({ droplets: { get: get as never } }).fetch,
  });
  return { client, reads: () => reads };
};

const rejection = async (call: Promise<unknown>) => {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(UncloudError);
    return error as UncloudError;
  }
  throw new Error('expected the wait to fail, and it succeeded');
};

describe('waitFor', () => {
  it('reads until the resource is in the awaited state and returns it', async () => {
    const { client, reads } = dropletGoingThrough('pending', 'provisioning', 'active');
    const droplet = await client.waitFor(client.droplets, ref, 'active', fast);
    expect(droplet).toMatchObject({ id, state: 'active' });
    expect(reads()).toBe(3);
  });

  it('times out naming the resource, the awaited state and the last state seen', async () => {
    const { client } = dropletGoingThrough('pending', 'error');
    const error = await rejection(
      client.waitFor(client.droplets, ref, 'active', { intervalMs: 5, timeoutMs: 60 }),
    );
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toBe(
      `Timed out after 60 ms waiting for droplet ${id} to be active; last seen: error (the image could not be pulled)`,
    );
  });

  it('waits for a condition, described in the timeout message', async () => {
    const { client } = dropletGoingThrough('provisioning', 'active');
    const named = await client.waitFor(
      client.droplets,
      ref,
      (d) => d.name === 'web-1' && d.state === 'active',
      fast,
    );
    expect(named.state).toBe('active');
    const error = await rejection(
      client.waitFor(client.droplets, ref, (d) => d.name === 'web-2', {
        intervalMs: 5,
        timeoutMs: 30,
        description: 'to be renamed web-2',
      }),
    );
    expect(error.message).toMatch(
      new RegExp(`waiting for droplet ${id} to be renamed web-2; last seen: active$`),
    );
  });

  it("waits for 'gone' until the resource answers NOT_FOUND", async () => {
    const { client, reads } = dropletGoingThrough('deleting', 'deleting', 'gone');
    await expect(client.waitFor(client.droplets, ref, 'gone', fast)).resolves.toBeUndefined();
    expect(reads()).toBe(3);
  });

  it('stops at once when the resource disappears while waiting for a state', async () => {
    const { client, reads } = dropletGoingThrough('provisioning', 'gone');
    const error = await rejection(client.waitFor(client.droplets, ref, 'active', fast));
    expect(error.code).toBe('NOT_FOUND');
    expect(reads()).toBe(2);
  });

  it('reads again after a network failure', async () => {
    let calls = 0;
    const server = fakeServer({ droplets: { get: (() => ({ id, projectId, state: 'active' })) as never } });
    const flaky: typeof globalThis.fetch = (input, init) =>
      calls++ === 0 ? Promise.reject(new TypeError('fetch failed')) : server.fetch(input, init);
    const client = createUncloudClient({ url, token, fetch: flaky });
    await expect(client.waitFor(client.droplets, ref, 'active', fast)).resolves.toMatchObject({
      state: 'active',
    });
    expect(calls).toBe(2);
  });

  it('stops with ABORTED when the signal fires', async () => {
    const { client } = dropletGoingThrough('provisioning');
    const controller = new AbortController();
    const waiting = client.waitFor(client.droplets, ref, 'active', { ...fast, signal: controller.signal });
    controller.abort();
    expect((await rejection(waiting)).code).toBe('ABORTED');
  });
});

describe('waitForAction', () => {
  const actionId = fakeId('act', 1);
  const action = (status: string, error: string | null = null) => ({
    id: actionId,
    projectId,
    type: 'powerOff',
    resourceKind: 'droplet',
    resourceId: id,
    status,
    params: {},
    error,
    startedAt: '2025-01-01T00:00:00.000Z',
    completedAt: status === 'in-progress' ? null : '2025-01-01T00:00:05.000Z',
  });
  const clientWithActions = (...answers: ReturnType<typeof action>[]) => {
    let reads = 0;
    const get = () => answers[Math.min(reads++, answers.length - 1)];
    return createUncloudClient({ url, token, fetch: fakeServer({ actions: { get: get as never } }).fetch });
  };

  it('resolves with the action once it has completed', async () => {
    const client = clientWithActions(action('in-progress'), action('in-progress'), action('completed'));
    const done = await client.waitForAction({ projectId, id: actionId }, fast);
    expect(done).toMatchObject({
      id: actionId,
      status: 'completed',
      completedAt: '2025-01-01T00:00:05.000Z',
    });
  });

  it("rejects with ACTION_ERRORED carrying the action's error", async () => {
    const client = clientWithActions(action('in-progress'), action('errored', 'the droplet is already off'));
    const error = await rejection(client.waitForAction(action('in-progress'), fast));
    expect(error.code).toBe('ACTION_ERRORED');
    expect(error.message).toBe(`powerOff of droplet ${id} failed: the droplet is already off`);
    expect(error.action).toMatchObject({
      id: actionId,
      status: 'errored',
      error: 'the droplet is already off',
    });
  });

  it('times out saying the action is still in progress', async () => {
    const client = clientWithActions(action('in-progress'));
    const error = await rejection(
      client.waitForAction(action('in-progress'), { intervalMs: 5, timeoutMs: 30 }),
    );
    expect(error.message).toBe(
      `Timed out after 30 ms waiting for action ${actionId} to finish; last seen: in-progress`,
    );
  });
});

describe('waiting on news of changes', () => {
  /** A change source the test drives: `change()` says the resource changed, `lose()` that news stopped. */
  const drivenChanges = () => {
    const followers: { onChange: () => void; onLost: () => void; stopped: boolean }[] = [];
    const source: ChangeSource = {
      follow(_projectId, _id, onChange, onLost) {
        const follower = { onChange, onLost, stopped: false };
        followers.push(follower);
        return () => {
          follower.stopped = true;
        };
      },
    };
    return {
      source,
      followers,
      change: () => followers.forEach((f) => f.onChange()),
      lose: () => followers.forEach((f) => f.onLost()),
    };
  };
  const slow = { intervalMs: 60_000, timeoutMs: 5_000 };

  it('reads again as soon as the resource changed, not at the next interval', async () => {
    const { client, reads } = dropletGoingThrough('provisioning', 'active');
    const news = drivenChanges();
    const waiting = client.waitFor(client.droplets, ref, 'active', { ...slow, changes: news.source });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reads()).toBe(1);
    news.change();
    await expect(waiting).resolves.toMatchObject({ state: 'active' });
    expect(reads()).toBe(2);
    expect(news.followers.every((f) => f.stopped)).toBe(true);
  });

  it('falls back to reading every interval once news stops coming', async () => {
    const { client } = dropletGoingThrough('provisioning', 'provisioning', 'active');
    const news = drivenChanges();
    // Streaming, it would read every 2 s and run out of time; lost, it reads every 200 ms.
    const waiting = client.waitFor(client.droplets, ref, 'active', {
      intervalMs: 200,
      timeoutMs: 1_500,
      changes: news.source,
    });
    news.lose();
    await expect(waiting).resolves.toMatchObject({ state: 'active' });
  });
});
