import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import type { ProjectId } from '@uncloud/sdk';
import type { RestError } from '@uncloud/sdk/contract';
import { newSshPublicKey, waitFor } from '@uncloud/testing';
import { failure } from './errors.ts';
import { raw } from './http.ts';

const MAX_BODY = 16 * 1024;
let stack: Stack;
let projectId: ProjectId;

beforeAll(async () => {
  stack = await startStack({
    cluster: false,
    limits: { maxBodyBytes: MAX_BODY, authFailureBurst: 2, authFailuresPerMinute: 1, maxStreamsPerUser: 1 },
  });
  projectId = (await stack.client.projects.create.mutate({ name: 'rest' })).id;
});
afterAll(() => stack?.close());

interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** One REST call as any HTTP client makes it: JSON in, JSON out. */
const rest = async <T = unknown>(
  method: string,
  path: string,
  options: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
): Promise<Answer<T>> => {
  const token = options.token === undefined ? stack.adminToken : options.token;
  const response = await fetch(`${stack.url}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined
      ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }
      : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as T };
};
const refused = (method: string, path: string, options?: Parameters<typeof rest>[2]) =>
  rest<RestError>(method, path, options);

describe('the REST surface at /api/v1', () => {
  it('serves its OpenAPI document to anyone, and nothing else without a token', async () => {
    const document = await rest<{ openapi: string }>('GET', '/openapi.json', { token: null });
    expect(document.status).toBe(200);
    expect(document.body.openapi).toBe('3.1.0');

    const index = await rest<{ openapi: string }>('GET', '', { token: null });
    expect(index).toMatchObject({ status: 200, body: { openapi: '/api/v1/openapi.json' } });

    const anonymous = await refused('GET', '/account', { token: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(/Bearer/) });
    expect(anonymous.headers.get('cache-control')).toBe('no-store');
  });

  it('answers what the tRPC procedure answers, created resources with 201', async () => {
    const created = await rest<{ id: string; name: string }>('POST', `/projects/${projectId}/ssh_keys`, {
      body: { name: 'laptop', publicKey: await newSshPublicKey() },
    });
    expect(created.status).toBe(201);
    const viaTrpc = await stack.client.sshKeys.get.query({ projectId, id: created.body.id });
    expect(created.body).toEqual(viaTrpc);
    expect((await rest('GET', `/projects/${projectId}/ssh_keys/${created.body.id}`)).body).toEqual(viaTrpc);

    const renamed = await rest('PATCH', `/projects/${projectId}/ssh_keys/${created.body.id}`, {
      body: { name: 'desk' },
    });
    expect(renamed).toMatchObject({ status: 200, body: { id: created.body.id, name: 'desk' } });
  });

  it('acts in the project of the path, whatever the body or query string say', async () => {
    const other = (await stack.client.projects.create.mutate({ name: 'rest-other' })).id;
    const created = await rest<{ projectId: string }>('POST', `/projects/${projectId}/ssh_keys`, {
      body: { projectId: other, name: 'path-wins', publicKey: await newSshPublicKey() },
    });
    expect(created).toMatchObject({ status: 201, body: { projectId } });
    const listed = await rest<{ items: { name: string }[] }>(
      'GET',
      `/projects/${projectId}/ssh_keys?projectId=${other}&name=path-wins`,
    );
    expect(listed.body.items.map((k) => k.name)).toEqual(['path-wins']);
  });

  it('refuses bad input with the code, field and message of tRPC', async () => {
    const viaRest = await refused('POST', `/projects/${projectId}/droplets`, {
      body: { name: 'Not A Name', size: 's-1vcpu-1gb', image: 'ubuntu-24-04' },
    });
    const viaTrpc = await failure(
      stack.client.droplets.create.mutate({
        projectId,
        name: 'Not A Name',
        size: 's-1vcpu-1gb',
        image: 'ubuntu-24-04',
      }),
    );
    expect(viaRest.status).toBe(400);
    expect(viaRest.body).toMatchObject({ code: 'BAD_REQUEST', field: 'name', message: viaTrpc.message });
    expect(viaRest.body.fieldErrors).toEqual(viaTrpc.data.fieldErrors);
  });

  it('maps domain errors to the HTTP status tRPC gives them', async () => {
    const missing = await refused('GET', `/projects/${projectId}/droplets/dpl_00000000000000000000`);
    expect(missing).toMatchObject({ status: 404, body: { code: 'NOT_FOUND', field: 'id' } });

    await rest('POST', `/projects/${projectId}/ssh_keys`, {
      body: { name: 'twice', publicKey: await newSshPublicKey() },
    });
    const again = await refused('POST', `/projects/${projectId}/ssh_keys`, {
      body: { name: 'twice', publicKey: await newSshPublicKey() },
    });
    expect(again).toMatchObject({ status: 409, body: { code: 'CONFLICT', field: 'name' } });

    const readOnly = await rest<{ token: string }>('POST', '/tokens', {
      body: { name: 'reader', readOnly: true },
    });
    expect(readOnly.status).toBe(201);
    const write = await refused('POST', '/projects', { body: { name: 'nope' }, token: readOnly.body.token });
    expect(write).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect((await rest('GET', '/account', { token: readOnly.body.token })).status).toBe(200);
  });

  it('pages lists with limit and cursor from the query string', async () => {
    const pages = await rest<{ id: string }>('POST', '/projects', { body: { name: 'paged' } });
    const paged = pages.body.id;
    for (const n of [3, 4, 5])
      await rest('POST', `/projects/${paged}/ssh_keys`, {
        body: { name: `key-${n}`, publicKey: await newSshPublicKey() },
      });
    type Page = { items: { id: string }[]; nextCursor: string | null };
    const first = await rest<Page>('GET', `/projects/${paged}/ssh_keys?limit=2`);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await rest<Page>(
      'GET',
      `/projects/${paged}/ssh_keys?limit=2&cursor=${encodeURIComponent(first.body.nextCursor!)}`,
    );
    expect(second.body).toMatchObject({ nextCursor: null });
    expect(second.body.items).toHaveLength(1);
    const all = await stack.client.sshKeys.list.query({ projectId: paged as ProjectId });
    expect([...first.body.items, ...second.body.items].map((k) => k.id)).toEqual(all.items.map((k) => k.id));

    const bad = await refused('GET', `/projects/${paged}/ssh_keys?limit=lots`);
    expect(bad).toMatchObject({ status: 400, body: { code: 'BAD_REQUEST', field: 'limit' } });
  });

  it('starts an action by its type, and names the field when the type is wrong', async () => {
    const droplet = await rest<{ id: string }>('POST', `/projects/${projectId}/droplets`, {
      body: { name: 'web-1', size: 's-1vcpu-1gb', image: 'ubuntu-24-04' },
    });
    const actions = `/projects/${projectId}/droplets/${droplet.body.id}/actions`;
    const off = await rest<{ id: string; type: string }>('POST', actions, { body: { type: 'power_off' } });
    expect(off).toMatchObject({ status: 201, body: { type: 'powerOff', resourceId: droplet.body.id } });
    expect((await rest('GET', `/projects/${projectId}/actions/${off.body.id}`)).body).toMatchObject({
      id: off.body.id,
    });

    const unknown = await refused('POST', actions, { body: { type: 'teleport' } });
    expect(unknown).toMatchObject({ status: 400, body: { code: 'BAD_REQUEST', field: 'type' } });
    expect(unknown.body.message).toContain('"power_on"');
    const untyped = await refused('POST', actions, { body: {} });
    expect(untyped).toMatchObject({ status: 400, body: { field: 'type' } });
    const resize = await refused('POST', actions, { body: { type: 'resize', size: 'huge' } });
    expect(resize).toMatchObject({ status: 400, body: { field: 'size' } });
  });

  it('answers 204 for a call that returns nothing', async () => {
    const token = await rest<{ id: string }>('POST', '/tokens', { body: { name: 'short-lived' } });
    const revoked = await rest('DELETE', `/tokens/${token.body.id}`);
    expect(revoked.status).toBe(204);
    expect(revoked.body).toBeNull();
  });

  it('refuses bodies that are not JSON objects, in words', async () => {
    const path = `/projects/${projectId}/ssh_keys`;
    const broken = await refused('POST', path, { body: '{"name": ' });
    expect(broken).toMatchObject({ status: 400, body: { code: 'BAD_REQUEST', field: '(input)' } });
    expect(broken.body.message).toMatch(/not valid JSON/);
    const list = await refused('POST', path, { body: '[1]' });
    expect(list).toMatchObject({ status: 400, body: { field: '(input)' } });
    const form = await refused('POST', path, {
      body: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form).toMatchObject({ status: 415, body: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
    const large = await refused('POST', path, { body: { name: 'big', publicKey: 'x'.repeat(MAX_BODY) } });
    expect(large).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('matches fixed paths before parameters (/components/readiness is no component name)', async () => {
    const readiness = await rest<{ missing: unknown }>('GET', '/components/readiness');
    expect(readiness.status).toBe(200);
    expect(readiness.body).toEqual(await stack.client.components.readiness.query());
  });

  it('answers unknown paths with 404 and known paths with the wrong verb with 405', async () => {
    const nowhere = await refused('GET', '/nowhere');
    expect(nowhere).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    const wrongVerb = await refused('PUT', `/projects/${projectId}/droplets`);
    expect(wrongVerb).toMatchObject({ status: 405, body: { code: 'METHOD_NOT_SUPPORTED' } });
    expect(wrongVerb.headers.get('allow')).toBe('GET, POST');
  });

  it('records its changes in the audit log under the procedure and the request id', async () => {
    const requestId = `rest-audit-${Date.now()}`;
    const created = await rest<{ id: string }>('POST', `/projects/${projectId}/volumes`, {
      body: { name: 'audited', sizeGiB: 1 },
      headers: { 'x-request-id': requestId },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-request-id')).toBe(requestId);
    const log = await rest<{ items: { procedure: string; requestId: string; resourceId: string }[] }>(
      'GET',
      `/audit_events?projectId=${projectId}&procedure=volumes.create`,
    );
    expect(log.body.items).toContainEqual(
      expect.objectContaining({ procedure: 'volumes.create', requestId, resourceId: created.body.id }),
    );
  });

  it('counts failed sign-ins per address as tRPC does, and says when to retry', async () => {
    const from = { localAddress: '127.0.0.41', headers: { authorization: 'Bearer wrong' } };
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await raw(`${stack.url}/api/v1/account`, from));
    expect(answers.map((a) => a.status)).toContain(429);
    const limited = answers.find((a) => a.status === 429)!;
    expect(JSON.parse(limited.body)).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  const openEvents = (signal: AbortSignal, headers: Record<string, string> = {}) =>
    fetch(`${stack.url}/api/v1/projects/${projectId}/events`, {
      headers: { authorization: `Bearer ${stack.adminToken}`, accept: 'text/event-stream', ...headers },
      signal,
    });

  /** Reads a stream until it has carried `text`; answers the event (`id:` and `data:` lines) holding it. */
  const eventWith = async (response: Response, text: string) => {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = '';
    await waitFor(
      async () => {
        const { value } = await reader.read();
        received += value ?? '';
        return received.includes(text);
      },
      { timeout: 5000, message: `${text} on the stream` },
    );
    return received.split('\n\n').find((chunk) => chunk.includes(text))!;
  };

  it("streams the project's changes as server-sent events, within the stream limits", async () => {
    const controller = new AbortController();
    const response = await openEvents(controller.signal);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const key = await rest<{ id: string }>('POST', `/projects/${projectId}/ssh_keys`, {
      body: { name: 'streamed', publicKey: await newSshPublicKey() },
    });
    const event = await eventWith(response, key.body.id);
    const lastEventId = /^id: (\S+)$/m.exec(event)![1]!;
    const data = JSON.parse(/^data: (.*)$/m.exec(event)![1]!) as {
      type: string;
      kind: string;
      change: string;
    };
    expect(data).toMatchObject({ type: 'change', kind: 'sshKey', change: 'created' });

    // One stream per user here: a second is refused as any call over a limit is.
    const second = await openEvents(AbortSignal.timeout(5000));
    expect(second.status).toBe(429);
    expect(await second.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    expect(second.headers.get('retry-after')).toEqual(expect.any(String));

    // Hanging up gives the place back, and `Last-Event-ID` replays what happened in between.
    controller.abort();
    const missed = await rest<{ id: string }>('POST', `/projects/${projectId}/ssh_keys`, {
      body: { name: 'missed', publicKey: await newSshPublicKey() },
    });
    const resume = new AbortController();
    let resumed: Response | undefined;
    await waitFor(
      async () => {
        const answer = await openEvents(resume.signal, { 'last-event-id': lastEventId });
        if (answer.status === 200) resumed = answer;
        else await answer.body?.cancel();
        return resumed !== undefined;
      },
      { timeout: 5000, message: 'a new stream once the first one hung up' },
    );
    expect(await eventWith(resumed!, missed.body.id)).toMatch(/"change":"created"/);
    resume.abort();
  });
});
