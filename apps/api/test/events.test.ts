import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '@uncloud/api/testing';
import {
  type ProjectEvent,
  type ProjectId,
  type ProjectRole,
  type UncloudClient,
  type WatchedEvent,
  isUncloudError,
} from '@uncloud/sdk';
import { waitFor } from '@uncloud/testing';

/** Collects a stream's events in the background; `stop()` ends it. */
const collect = (client: UncloudClient, projectId: ProjectId, lastEventId?: string) => {
  const controller = new AbortController();
  const events: WatchedEvent[] = [];
  let failure: unknown;
  let ended = false;
  const done = (async () => {
    try {
      for await (const event of client.watch(
        { projectId, ...(lastEventId ? { lastEventId } : {}) },
        { signal: controller.signal },
      ))
        events.push(event);
    } catch (error) {
      failure = error;
    } finally {
      ended = true;
    }
  })();
  return {
    events,
    changes: () =>
      events
        .map((e) => e.event)
        .filter((e): e is Extract<ProjectEvent, { type: 'change' }> => e.type === 'change'),
    get failure() {
      return failure;
    },
    get ended() {
      return ended;
    },
    /** Resolves once the server said the stream is open (its first heartbeat). */
    opened: () =>
      waitFor(() => events.some((e) => e.event.type === 'heartbeat'), { message: 'the stream open' }),
    stop: async () => {
      controller.abort();
      await done;
    },
  };
};

/** The raw bytes of a stream for a while: what a proxy or a curious viewer would see. */
const rawStream = async (url: string, token: string, projectId: string, ms: number) => {
  const input = encodeURIComponent(JSON.stringify({ projectId }));
  const res = await fetch(`${url}/trpc/events.watch?input=${input}`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(ms),
  });
  let text = '';
  const reader = res.body!.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
  } catch {
    // The timeout ended the read: what arrived until then is the answer.
  }
  return { status: res.status, type: res.headers.get('content-type'), text };
};

describe('the change stream (events.watch)', () => {
  let stack: Stack;
  let projectId: ProjectId;
  const member = async (name: string, role: ProjectRole) => {
    const { user, token } = await stack.client.users.create.mutate({ name });
    await stack.client.projects.addMember.mutate({ projectId, userId: user.id, role });
    return { user, token: token.token, client: stack.clientWith(token.token) };
  };

  beforeAll(async () => {
    stack = await startStack({
      cluster: false,
      limits: { maxStreams: 6, maxStreamsPerUser: 3, streamHeartbeatMs: 1000 },
    });
    projectId = (await stack.client.projects.create.mutate({ name: 'live' })).id;
  });
  afterAll(() => stack.close());

  it('delivers a change made by another client within a second', async () => {
    const viewer = await member('watcher', 'viewer');
    const stream = collect(viewer.client, projectId);
    await stream.opened();
    const started = Date.now();
    const key = await stack.client.sshKeys.create.mutate({
      projectId,
      name: 'laptop',
      publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@host',
    });
    await waitFor(() => stream.changes().some((c) => c.id === key.id && c.change === 'created'), {
      timeout: 1000,
      message: 'the new key on the stream',
    });
    expect(Date.now() - started).toBeLessThan(1000);
    const created = stream.changes().find((c) => c.id === key.id)!;
    expect(created).toMatchObject({ kind: 'sshKey', projectId, type: 'change' });
    await stream.stop();
  });

  it('carries field names to a viewer, never env values', async () => {
    const viewer = await member('peeker', 'viewer');
    const secret = 'hunter2-very-secret-value';
    const app = await stack.client.apps.create.mutate({
      projectId,
      name: 'api',
      image: 'nginx:1.27',
      port: 80,
      replicas: 1,
      env: { PASSWORD: 'first-secret-value' },
    });
    const raw = rawStream(stack.url, viewer.token, projectId, 1500);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await stack.client.apps.deploy.mutate({
      projectId,
      id: app.id,
      env: { PASSWORD: secret },
    });
    const { status, type, text } = await raw;
    expect(status).toBe(200);
    expect(type).toContain('text/event-stream');
    expect(text).toContain(app.id);
    expect(text).toContain('"env"');
    expect(text).not.toContain(secret);
    expect(text).not.toContain('first-secret-value');
  });

  it('refuses a non-member and a token limited to other projects as a query is refused', async () => {
    const { token } = await stack.client.users.create.mutate({ name: 'stranger' });
    const stranger = stack.clientWith(token.token);
    const asQuery = await stranger.projects.get.query({ projectId }).catch((e: unknown) => e);
    const stream = collect(stranger, projectId);
    await waitFor(() => stream.ended, { message: 'the refusal' });
    expect(isUncloudError(asQuery, 'NOT_FOUND')).toBe(true);
    expect(isUncloudError(stream.failure, 'NOT_FOUND')).toBe(true);

    const other = await stack.client.projects.create.mutate({ name: 'elsewhere' });
    const limited = await stack.client.tokens.create.mutate({
      name: 'elsewhere-only',
      projectIds: [other.id],
    });
    const scoped = collect(stack.clientWith(limited.token), projectId);
    await waitFor(() => scoped.ended, { message: 'the refusal' });
    expect(isUncloudError(scoped.failure, 'NOT_FOUND')).toBe(true);
    // On the wire: the code a query gets, and nothing of the project.
    const raw = await rawStream(stack.url, limited.token, projectId, 1000);
    expect(raw.text).toContain('"code":"NOT_FOUND"');
    expect(raw.text).not.toContain('heartbeat');
  });

  it('stops a member removed from the project at the next heartbeat', async () => {
    const leaving = await member('leaving', 'member');
    const stream = collect(leaving.client, projectId);
    await stream.opened();
    await stack.client.projects.removeMember.mutate({
      projectId,
      userId: leaving.user.id,
    });
    await waitFor(() => stream.ended, { timeout: 3000, message: 'the stream ended' });
    expect(isUncloudError(stream.failure, 'NOT_FOUND')).toBe(true);
  });

  it('stops a stream whose token was revoked', async () => {
    const issued = await stack.client.tokens.create.mutate({ name: 'short-lived' });
    const stream = collect(stack.clientWith(issued.token), projectId);
    await stream.opened();
    await stack.client.tokens.revoke.mutate({ id: issued.id });
    await waitFor(() => stream.ended, { timeout: 3000, message: 'the stream ended' });
    expect(isUncloudError(stream.failure, 'UNAUTHORIZED')).toBe(true);
  });

  it('replays what a stream missed after its last event id, and asks for a resync when that is too old', async () => {
    const first = collect(stack.client, projectId);
    await first.opened();
    await stack.client.firewalls.create.mutate({
      projectId,
      name: 'one',
      inbound: [],
      outbound: [],
      targets: [],
    });
    await waitFor(() => first.changes().some((c) => c.kind === 'firewall'), {
      message: 'the first firewall',
    });
    const lastId = first.events.at(-1)!.id;
    await first.stop();

    const missed = await stack.client.firewalls.create.mutate({
      projectId,
      name: 'two',
      inbound: [],
      outbound: [],
      targets: [],
    });
    const resumed = collect(stack.client, projectId, lastId);
    await waitFor(() => resumed.changes().some((c) => c.id === missed.id), {
      message: 'the missed firewall',
    });
    expect(
      resumed.changes().some((c) => c.kind === 'firewall' && c.id !== missed.id && c.change === 'created'),
    ).toBe(false);
    await resumed.stop();

    const stale = collect(stack.client, projectId, 'from-another-server.12');
    await waitFor(() => stale.events.length > 0, { message: 'the first event' });
    expect(stale.events[0]!.event).toMatchObject({ type: 'resync', projectId });
    await stale.stop();
  });

  it('refuses streams beyond the limit per user, with TOO_MANY_REQUESTS', async () => {
    const busy = await member('busy', 'viewer');
    const open = [
      collect(busy.client, projectId),
      collect(busy.client, projectId),
      collect(busy.client, projectId),
    ];
    await Promise.all(open.map((s) => s.opened()));
    const fourth = collect(busy.client, projectId);
    await waitFor(() => fourth.ended, { message: 'the refusal' });
    expect(isUncloudError(fourth.failure, 'TOO_MANY_REQUESTS')).toBe(true);
    expect(stack.api.streams.open).toBe(3);
    await Promise.all(open.map((s) => s.stop()));
    await waitFor(() => stack.api.streams.open === 0, { message: 'the streams released' });
  });
});

describe('the SDK waiting on the change stream', () => {
  it('resolves waitFor and waitForAction from the stream, long before their next read', async () => {
    const stack = await startStack();
    try {
      const c = stack.client;
      // Reads every minute unless the stream says something changed: only the stream can make these quick.
      const streamOnly = { intervalMs: 60_000, timeoutMs: 20_000 };
      const projectId = (await c.projects.create.mutate({ name: 'waiting' })).id;
      await c.waitFor(c.projects, { projectId }, 'active', { intervalMs: 50 });
      const droplet = await c.droplets.create.mutate({
        projectId,
        name: 'web-1',
        size: 's-1vcpu-1gb',
        image: 'ubuntu-24-04',
      });
      const started = Date.now();
      await c.waitFor(c.droplets, { projectId, id: droplet.id }, 'active', streamOnly);
      const action = await c.droplets.powerOff.mutate({ projectId, id: droplet.id });
      await expect(c.waitForAction(action, streamOnly)).resolves.toMatchObject({ status: 'completed' });
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      await stack.close();
    }
  });
});

describe('the change stream on shutdown', () => {
  it('ends open streams, so that shutting down does not wait for them', async () => {
    const stack = await startStack({ cluster: false });
    const projectId = (await stack.client.projects.create.mutate({ name: 'closing' })).id;
    const stream = collect(stack.client, projectId);
    await stream.opened();
    const started = Date.now();
    await stack.api.close(10_000);
    expect(Date.now() - started).toBeLessThan(2000);
    await waitFor(() => stream.ended, { message: 'the stream ended' });
    await stream.stop();
  });
});
