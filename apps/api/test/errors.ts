import { TRPCClientError } from '@trpc/client';
import type { UncloudErrorData } from '@uncloud/sdk';
import { expect } from 'vitest';

/** Awaits a call that must fail, and returns its Uncloud error data and message for assertions. */
export const failure = async (call: Promise<unknown>) => {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(TRPCClientError);
    const e = error as TRPCClientError<never>;
    return { message: e.message, data: e.data as unknown as UncloudErrorData & { httpStatus: number } };
  }
  throw new Error('expected the call to fail, and it succeeded');
};
