import { TRPCError } from '@trpc/server';
import { type ErrorCode, trpcCodeFor } from '../schemas/errors.ts';

/**
 * The one error type services throw. It is a TRPCError, so tRPC passes it through untouched with
 * the right HTTP status; the error formatter adds our stable `code` and the offending `field`.
 */
export class UncloudServiceError extends TRPCError {
  readonly uncloudCode: ErrorCode;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, field?: string) {
    super({ code: trpcCodeFor[code], message });
    this.name = 'UncloudServiceError';
    this.uncloudCode = code;
    this.field = field;
  }
}

export const notFound = (kind: string, id: string, field = 'id') =>
  new UncloudServiceError('NOT_FOUND', `${kind} ${id} was not found`, field);
export const conflict = (message: string, field?: string) =>
  new UncloudServiceError('CONFLICT', message, field);
export const badRequest = (message: string, field?: string) =>
  new UncloudServiceError('BAD_REQUEST', message, field);
export const forbidden = (message: string) => new UncloudServiceError('FORBIDDEN', message);
export const quotaExceeded = (message: string, field?: string) =>
  new UncloudServiceError('QUOTA_EXCEEDED', message, field);
export const unavailable = (message: string) => new UncloudServiceError('UNAVAILABLE', message);
