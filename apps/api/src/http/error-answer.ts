import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { type ErrorCode, trpcCodeFor } from '@uncloud/sdk';

/**
 * An error answered before tRPC runs (a body over the limit, a batch too big, a preflight), in
 * the shape of tRPC's own errors with our `data.code`, so that the SDK and the dashboard read it
 * like any other failure. A single error stands for every call of a batch.
 */
export const errorAnswer = (code: ErrorCode, message: string, headers: Record<string, string> = {}) => {
  const trpcCode = trpcCodeFor[code];
  const httpStatus = getHTTPStatusCodeFromError(new TRPCError({ code: trpcCode }));
  const body = { error: { message, code: TRPC_ERROR_CODES_BY_KEY[trpcCode], data: { code, httpStatus } } };
  return new Response(JSON.stringify(body), {
    status: httpStatus,
    headers: { 'content-type': 'application/json', ...headers },
  });
};
