import { type TRPCError, getTRPCErrorFromUnknown, getTRPCErrorShape } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { DomainError, type ErrorCode } from '@uncloud/sdk';
import { type ContractContext, type RestError, appRouter } from '@uncloud/sdk/contract';
import { refusal } from './input.ts';

export interface RestFailure {
  error: TRPCError;
  status: number;
  body: RestError;
}

interface Failed {
  cause: unknown;
  requestId: string;
  procedure?: string | undefined;
  type?: 'query' | 'mutation' | 'subscription' | undefined;
  input?: unknown;
  ctx?: ContractContext | undefined;
}

/**
 * Any failure as the REST answer: the contract's own error formatter words it (so `code`, `field`
 * and the message are the ones a tRPC call gets), and tRPC's table gives the HTTP status.
 */
export const restFailure = ({ cause, requestId, procedure, type, input, ctx }: Failed): RestFailure => {
  const error = getTRPCErrorFromUnknown(cause);
  const shape = getTRPCErrorShape({
    config: appRouter._def._config,
    error,
    type: type ?? 'unknown',
    path: procedure,
    input,
    ctx,
  });
  const { code, field, fieldErrors } = shape.data as {
    code: ErrorCode;
    field?: string;
    fieldErrors?: Record<string, string[]>;
  };
  return {
    error,
    status: getHTTPStatusCodeFromError(error),
    body: {
      code,
      message: shape.message,
      ...(field ? { field } : {}),
      ...(fieldErrors ? { fieldErrors } : {}),
      requestId,
    },
  };
};

/** A REST error answer for a refusal before any procedure runs (no such path, body too large). */
export const restErrorAnswer = (
  code: ErrorCode,
  message: string,
  requestId: string,
  headers: Record<string, string> = {},
) => {
  const { status, body } = restFailure({ cause: refusal(new DomainError(code, message)), requestId });
  return Response.json(body, { status, headers: { 'x-request-id': requestId, ...headers } });
};
