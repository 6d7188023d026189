import { UncloudError } from '@uncloud/sdk';
import { describe, expect, it, vi } from 'vitest';
import { fakeApi, projectId, unauthorized } from '../test/fake-api.ts';
import { actionRefusalText, asActionRefusal } from './action-errors.ts';
import { errorMessage, isUncloudError, isUnauthorized } from './errors.ts';
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
