import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import {
  type AppId,
  type AppLogLine,
  type ProjectId,
  type UncloudClient,
  isUncloudError,
} from '@uncloud/sdk';
import { waitFor } from '@uncloud/testing';

// An app's logs end to end: the API lists its pods and reads their logs from the simulated
// cluster's pods/log, with the project's authorisation; followed logs stream over SSE.

let stack: Stack;
let projectId: ProjectId;
let appId: AppId;
let viewer: UncloudClient;
let reader: UncloudClient;

beforeAll(async () => {
  stack = await startStack({ limits: { streamHeartbeatMs: 300 } });
  const c = stack.client;
  projectId = (await c.projects.create.mutate({ name: 'logs' })).id;
  await waitFor(async () => (await c.projects.get.query({ projectId })).state === 'active', {
    timeout: 10_000,
    message: 'project active',
  });
  const { user, token } = await c.users.create.mutate({ name: 'vera' });
  await c.projects.addMember.mutate({ projectId, userId: user.id, role: 'viewer' });
  viewer = stack.clientWith(token.token);
  reader = stack.clientWith((await c.tokens.create.mutate({ name: 'reader', readOnly: true })).token);
  appId = (
    await c.apps.create.mutate({ projectId, name: 'shop', image: 'shop:1.4', port: 8080, replicas: 2 })
  ).id;
  await waitFor(async () => (await c.apps.get.query({ projectId, id: appId })).readyReplicas === 2, {
    timeout: 15_000,
    message: 'two replicas ready',
  });
});
afterAll(() => stack.close());

const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (error) {
    if (isUncloudError(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe("an app's logs", () => {
  it('lists the replicas and their recent lines, each with its pod and time, to a viewer', async () => {
    const logs = await viewer.apps.logs.query({ projectId, id: appId });
    expect(logs.replicas).toHaveLength(2);
    expect(logs.replicas.every((r) => r.phase === 'Running' && r.ready)).toBe(true);
    const pods = logs.replicas.map((r) => r.pod);
    for (const pod of pods) {
      const mine = logs.lines.filter((l) => l.pod === pod);
      expect(mine[0]).toMatchObject({ pod, text: 'starting shop:1.4' });
      expect(Date.parse(mine[0]!.at!)).not.toBeNaN();
    }
    // Oldest first across replicas.
    const times = logs.lines.map((l) => l.at!);
    expect([...times].sort()).toEqual(times);
  });

  it('reads one replica, its last lines only, with a read-only token', async () => {
    const { replicas } = await reader.apps.logs.query({ projectId, id: appId, tailLines: 1 });
    const pod = replicas[1]!.pod;
    const one = await reader.apps.logs.query({ projectId, id: appId, pod, tailLines: 1 });
    expect(one.lines).toHaveLength(1);
    expect(one.lines[0]!.pod).toBe(pod);
  });

  it('refuses a replica the app does not have, a tail over the limit, and other projects', async () => {
    const stranger = await refusal(
      stack.client.apps.logs.query({ projectId, id: appId, pod: 'someone-else-7d9f-abcde' }),
    );
    expect(stranger).toMatchObject({ code: 'NOT_FOUND', field: 'pod' });
    const tooMany = await refusal(viewer.apps.logs.query({ projectId, id: appId, tailLines: 5001 }));
    expect(tooMany).toMatchObject({ code: 'BAD_REQUEST', field: 'tailLines' });
    const other = (await stack.client.projects.create.mutate({ name: 'other' })).id;
    const { user, token } = await stack.client.users.create.mutate({ name: 'olga' });
    await stack.client.projects.addMember.mutate({ projectId: other, userId: user.id, role: 'member' });
    const outsider = stack.clientWith(token.token);
    expect(await refusal(outsider.apps.logs.query({ projectId, id: appId }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    // The app by id, asked for under the outsider's own project: not there either.
    expect(await refusal(outsider.apps.logs.query({ projectId: other, id: appId }))).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('follows: new lines arrive as the replicas write them, until the caller leaves', async () => {
    const received: AppLogLine[] = [];
    let failure: unknown;
    const subscription = viewer.apps.followLogs.subscribe(
      { projectId, id: appId },
      { onData: (line) => received.push(line), onError: (error) => (failure = error) },
    );
    const since = new Date().toISOString();
    try {
      await waitFor(
        () => {
          if (failure) throw failure;
          return new Set(received.map((l) => l.pod)).size === 2;
        },
        { timeout: 10_000, message: 'new lines of both replicas' },
      );
      // Only new lines (the default tail is 0), each a request the container served.
      expect(received.every((l) => l.at! >= since.slice(0, 19))).toBe(true);
      expect(received[0]!.text).toMatch(/^GET \//);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('ends a followed log once its reader is removed from the project', async () => {
    const { user, token } = await stack.client.users.create.mutate({ name: 'rita' });
    await stack.client.projects.addMember.mutate({ projectId, userId: user.id, role: 'viewer' });
    const leaving = stack.clientWith(token.token);
    let lines = 0;
    let failure: unknown;
    const subscription = leaving.apps.followLogs.subscribe(
      { projectId, id: appId },
      { onData: () => (lines += 1), onError: (error) => (failure = error) },
    );
    try {
      await waitFor(() => lines > 0, { timeout: 10_000, message: 'a first line' });
      await stack.client.projects.removeMember.mutate({ projectId, userId: user.id });
      await waitFor(() => failure !== undefined, { timeout: 10_000, message: 'the stream refused' });
      expect(failure).toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      subscription.unsubscribe();
    }
  });

  it('refuses a followed log of another project', async () => {
    const { user, token } = await stack.client.users.create.mutate({ name: 'otto' });
    const other = (await stack.client.projects.create.mutate({ name: 'elsewhere' })).id;
    await stack.client.projects.addMember.mutate({ projectId: other, userId: user.id, role: 'owner' });
    const outsider = stack.clientWith(token.token);
    const error = await new Promise<unknown>((resolve) => {
      const sub = outsider.apps.followLogs.subscribe(
        { projectId, id: appId },
        {
          onData: () => resolve(new Error('a line reached an outsider')),
          onError: (e) => {
            sub.unsubscribe();
            resolve(e);
          },
        },
      );
    });
    expect(error).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('serves the same over REST: the recent lines, and the stream as server-sent events', async () => {
    const headers = { authorization: `Bearer ${stack.adminToken}` };
    const base = `${stack.url}/api/v1/projects/${projectId}/apps/${appId}/logs`;
    const recent = await fetch(`${base}?tailLines=1`, { headers });
    expect(recent.status).toBe(200);
    const body = (await recent.json()) as { replicas: unknown[]; lines: unknown[] };
    expect(body.replicas).toHaveLength(2);
    expect(body.lines).toHaveLength(2);
    const controller = new AbortController();
    const stream = await fetch(`${base}/stream?tailLines=1`, { headers, signal: controller.signal });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reader = stream.body!.getReader();
    let text = '';
    while (!/data: \{"pod"/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(text).toMatch(/data: \{"pod":"[^"]+","at":"[^"]+","text":"/);
  });

  it('answers UNAVAILABLE with a clear message while the cluster cannot be reached', async () => {
    await stack.sim!.refuseConnections();
    try {
      const error = await refusal(viewer.apps.logs.query({ projectId, id: appId }));
      expect(error).toMatchObject({ code: 'UNAVAILABLE' });
      expect(error.message).toBe('the cluster cannot be reached right now; try again shortly');
    } finally {
      await stack.sim!.acceptConnections();
    }
  });
});
