import { CreateTokenInput, UncloudError } from '@uncloud/sdk';
import { describe, expect, it, vi } from 'vitest';
import { fakeApi, projectId, unauthorized } from '../test/fake-api.ts';
import { actionRefusalText, asActionRefusal } from './action-errors.ts';
import { errorMessage, fieldWords, isUncloudError, isUnauthorized, plainReason } from './errors.ts';
import { createApiClient } from './trpc.ts';

const clientWith = (fetch: typeof globalThis.fetch) =>
  createApiClient({ getToken: () => 't', url: 'http://api.test/trpc', fetch });

const failureOf = async (call: Promise<unknown>) => {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
};

describe("the dashboard's errors", () => {
  it("are the SDK's UncloudError, with the server's code and field", async () => {
    const fetch = fakeApi({
      'volumes.create': {
        error: {
          message: 'a volume with this name already exists in the project',
          status: 409,
          data: { code: 'CONFLICT', field: 'name' },
        },
      },
    });
    const error = await failureOf(
      clientWith(fetch).volumes.create.mutate({ projectId, name: 'data', sizeGiB: 1 }),
    );
    expect(error).toBeInstanceOf(UncloudError);
    expect(isUncloudError(error, 'CONFLICT')).toBe(true);
    expect(error).toMatchObject({ field: 'name', httpStatus: 409 });
    // A conflict about a field stays as it is, so that forms put it next to that field.
    expect(asActionRefusal(error)).toBe(error);
  });

  it('say in words that the API could not be reached', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(() => Promise.reject(new TypeError('Failed to fetch')));
    const error = await failureOf(clientWith(fetch).auth.whoami.query());
    expect(isUncloudError(error, 'NETWORK_ERROR')).toBe(true);
    expect(errorMessage(error)).toBe(
      'The Uncloud API could not be reached. Check your connection; the page retries on its own.',
    );
  });

  it('recognise a token the server refuses', async () => {
    const error = await failureOf(clientWith(fakeApi({ 'auth.whoami': unauthorized })).auth.whoami.query());
    expect(isUnauthorized(error)).toBe(true);
  });

  it('say how to get past a refused action', async () => {
    const fetch = fakeApi({
      'droplets.powerOff': {
        error: { message: 'act_1 is still running on this droplet', status: 409, data: { code: 'CONFLICT' } },
      },
    });
    const error = await failureOf(
      clientWith(fetch).droplets.powerOff.mutate({ projectId, id: 'dpl_0123456789abcdefghij' }),
    );
    expect(actionRefusalText(error)).toBe('Not started: act_1 is still running on this droplet');
  });
});

describe('validation reasons', () => {
  it("put zod's own wording into plain words, and leave the schemas' words alone", () => {
    const reasons = (input: unknown) =>
      CreateTokenInput.safeParse(input).error?.issues.map(
        (i) => `${fieldWords(i.path.join('.'))} ${plainReason(i.message)}`,
      );
    expect(reasons({ name: '' })).toEqual(['name is required']);
    expect(reasons({ name: 'x'.repeat(101), expiresInDays: 5000 })).toEqual([
      'name must be at most 100 characters',
      'expires in days must be at most 3650 days',
    ]);
    expect(reasons({})).toEqual(['name is required']);
    expect(plainReason('Invalid input: expected number, received string')).toBe('must be a number');
    expect(plainReason('Invalid option: expected one of "viewer"|"member"|"owner"')).toBe(
      'must be one of viewer, member, owner',
    );
    expect(plainReason('Too small: expected number to be >=1')).toBe('must be at least 1');
    expect(plainReason("must be lowercase letters, digits, '-', '.' or '_'")).toBe(
      "must be lowercase letters, digits, '-', '.' or '_'",
    );
  });

  it("turn the server's refusal of bad input into one sentence naming the fields", async () => {
    const fetch = fakeApi({
      'firewalls.create': {
        error: {
          message: 'Invalid input: inbound.0.sources.1: Invalid input: expected string, received number',
          status: 400,
          data: {
            code: 'BAD_REQUEST',
            field: 'inbound.0.sources.1',
            fieldErrors: {
              'inbound.0.sources.1': ['Invalid input: expected string, received number'],
              name: ['Too small: expected string to have >=1 characters'],
            },
          },
        },
      },
    });
    const error = await failureOf(
      clientWith(fetch).firewalls.create.mutate({
        projectId,
        name: 'fw',
        inbound: [],
        outbound: [],
        targets: [],
      }),
    );
    expect(errorMessage(error)).toBe('Not accepted: inbound #1 sources #2 must be text; name is required.');
  });

  it('never show a server failure in its own words', async () => {
    const fetch = fakeApi({
      'auth.whoami': {
        error: { message: 'Internal server error', status: 500, data: { code: 'INTERNAL_SERVER_ERROR' } },
      },
    });
    const error = await failureOf(clientWith(fetch).auth.whoami.query());
    expect(errorMessage(error)).toMatch(/^Something went wrong on the Uncloud server\. Try again/);
  });

  it('suggest a higher role only when the role is what was missing', async () => {
    const refusal = (message: string) =>
      failureOf(
        clientWith(
          fakeApi({ 'droplets.reboot': { error: { message, status: 403, data: { code: 'FORBIDDEN' } } } }),
        ).droplets.reboot.mutate({ projectId, id: 'dpl_0123456789abcdefghij' }),
      );
    expect(errorMessage(await refusal('This needs the member role in the project'))).toBe(
      'This needs the member role in the project. Ask a project owner for a higher role.',
    );
    expect(
      errorMessage(await refusal('this token is read-only; use a token without the read-only scope')),
    ).toBe('this token is read-only; use a token without the read-only scope');
  });
});
