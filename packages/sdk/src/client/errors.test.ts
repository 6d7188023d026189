import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { createUncloudClient } from '../client.ts';
import { conflict, notFound, quotaExceeded } from '../schemas/errors.ts';
import { fakeId, fakeServer, projectId, token, url } from '../../test/fake-server.ts';
import { UncloudError, isUncloudError } from './errors.ts';

const failure = async (call: Promise<unknown>): Promise<UncloudError> => {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(UncloudError);
    return error as UncloudError;
  }
  throw new Error('expected the call to fail, and it succeeded');
};

const dropletId = fakeId('dpl', 1);

describe('UncloudError from the server', () => {
  const server = fakeServer({
    droplets: {
      get: () => {
        throw notFound('droplet', dropletId);
      },
      update: () => {
        throw conflict('a droplet named web-1 already exists in this project', 'name');
      },
      create: () => {
        throw quotaExceeded('the project may hold 25 droplets; raise its quota', 'size');
      },
    },
  });
  const client = createUncloudClient({ url, token, fetch: server.fetch });

  it('carries the code and reasons of every invalid field', async () => {
    const error = await failure(
      client.droplets.create.mutate({
        projectId,
        name: 'Web 1',
        size: 's-1vcpu-1gb',
        image: 'ubuntu-24-04',
        tags: ['no spaces'],
      }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.httpStatus).toBe(400);
    expect(Object.keys(error.fieldErrors).sort()).toEqual(['name', 'tags.0']);
    expect(error.fieldErrors.name?.[0]).toMatch(/lowercase/);
    expect(error.field).toBe('name');
    expect(error.message).toMatch(/^Invalid input: name: /);
  });

  it('words the reasons zod leaves to its defaults, for scripts as for the dashboard', async () => {
    const error = await failure(
      client.droplets.create.mutate({
        projectId,
        size: 's-1vcpu-1gb',
        image: 'ubuntu-24-04',
        tags: 'web',
      } as never),
    );
    expect(error.fieldErrors).toEqual({ name: ['is required'], tags: ['must be a list'] });
    expect(error.message).toBe('Invalid input: name: is required; tags: must be a list');
  });

  it('says a body that is not JSON is not JSON, about the whole input', async () => {
    const answer = await server.fetch(`${url}/trpc/droplets.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: '{"name":',
    });
    expect(answer.status).toBe(400);
    const { error } = (await answer.json()) as { error: { message: string; data: Record<string, unknown> } };
    expect(error.message).toMatch(
      /^Invalid input: the request body is not valid JSON \(.+\); send the input as a JSON object$/,
    );
    expect(error.data).toMatchObject({ code: 'BAD_REQUEST', field: '(input)' });
  });

  it('carries the field a conflict is about', async () => {
    const error = await failure(client.droplets.update.mutate({ projectId, id: dropletId, name: 'web-1' }));
    expect(error).toMatchObject({ code: 'CONFLICT', field: 'name', httpStatus: 409, fieldErrors: {} });
    expect(error.message).toBe('a droplet named web-1 already exists in this project');
  });

  it('keeps our code where tRPC has none of its own', async () => {
    const error = await failure(
      client.droplets.create.mutate({ projectId, name: 'web-1', size: 's-1vcpu-1gb', image: 'ubuntu-24-04' }),
    );
    expect(error).toMatchObject({ code: 'QUOTA_EXCEEDED', httpStatus: 403, field: 'size' });
    expect(isUncloudError(error, 'QUOTA_EXCEEDED')).toBe(true);
    expect(isUncloudError(error, 'FORBIDDEN')).toBe(false);
  });

  it('answers NOT_FOUND and stays a TRPCClientError with the raw data', async () => {
    const error = await failure(client.droplets.get.query({ projectId, id: dropletId }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.name).toBe('UncloudError');
    expect(error).toBeInstanceOf(TRPCClientError);
    expect(error.data).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404, path: 'droplets.get' });
  });

  it('answers UNAUTHORIZED for a wrong token', async () => {
    const stranger = createUncloudClient({ url, token: 'not-the-token', fetch: server.fetch });
    const error = await failure(stranger.auth.whoami.query());
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
  });
});

describe('UncloudError without an answer from the API', () => {
  it('says which server could not be reached', async () => {
    const fetch = () => Promise.reject(new TypeError('fetch failed'));
    const client = createUncloudClient({ url, token, fetch });
    const error = await failure(client.auth.whoami.query());
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toBe('auth.whoami: could not reach http://uncloud.test (fetch failed)');
    expect(error.httpStatus).toBeUndefined();
  });

  it('says when the answer is not the Uncloud API', async () => {
    const fetch = () => Promise.resolve(new Response('<h1>Not Found</h1>', { status: 404 }));
    const client = createUncloudClient({ url, token, fetch });
    const error = await failure(client.auth.whoami.query());
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', httpStatus: 404 });
    expect(error.message).toMatch(/answered HTTP 404 but not as the Uncloud API; is UNCLOUD_URL right\?/);
  });

  it('gives up on a request after timeoutMs', async () => {
    // A server that never answers: only the client's deadline ends the request.
    const fetch = (_input: unknown, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error));
      });
    const client = createUncloudClient({
      url,
      token,
      fetch: fetch as typeof globalThis.fetch,
      timeoutMs: 50,
    });
    const error = await failure(client.auth.whoami.query());
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toBe(
      'auth.whoami: no answer from http://uncloud.test within 50 ms (raise timeoutMs if the server is slow)',
    );
  });

  it("reports the caller's own abort as ABORTED", async () => {
    const fetch = (_input: unknown, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error));
      });
    const client = createUncloudClient({ url, token, fetch: fetch as typeof globalThis.fetch });
    const controller = new AbortController();
    const call = client.auth.whoami.query(undefined, { signal: controller.signal });
    controller.abort();
    expect((await failure(call)).code).toBe('ABORTED');
  });
});
