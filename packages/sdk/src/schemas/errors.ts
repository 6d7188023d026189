import { z } from 'zod';

/**
 * Stable error codes of the Uncloud API. They travel in `error.data.code` of every tRPC error, so
 * scripts can branch on them without parsing messages.
 */
export const ErrorCode = z.enum([
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'QUOTA_EXCEEDED',
  'UNAVAILABLE',
  'TOO_MANY_REQUESTS',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'METHOD_NOT_SUPPORTED',
  'INTERNAL_SERVER_ERROR',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** The tRPC code each of our codes travels under (it decides the HTTP status). */
export const trpcCodeFor = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  QUOTA_EXCEEDED: 'FORBIDDEN',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  METHOD_NOT_SUPPORTED: 'METHOD_NOT_SUPPORTED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const satisfies Record<ErrorCode, string>;

/** What `error.data` carries besides tRPC's own fields. */
export interface UncloudErrorData {
  code: ErrorCode;
  /** Dotted path of the first offending input field, for validation and conflict errors. */
  field?: string;
  /** Every invalid field with its reasons, for validation errors. */
  fieldErrors?: Record<string, string[]>;
}

/**
 * A failure the domain names: what went wrong (`code`), in words a person can act on (`message`),
 * and which input field was at fault (`field`). Services and repositories throw these; they know
 * nothing of HTTP or tRPC. The contract's procedure builders map them to transport codes in one
 * place (`contract/trpc.ts`).
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.field = field;
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;

export const notFound = (kind: string, id: string, field = 'id') =>
  new DomainError('NOT_FOUND', `${kind} ${id} was not found`, field);
export const conflict = (message: string, field?: string) => new DomainError('CONFLICT', message, field);
export const badRequest = (message: string, field?: string) => new DomainError('BAD_REQUEST', message, field);
export const unauthorized = (message: string) => new DomainError('UNAUTHORIZED', message);
export const forbidden = (message: string) => new DomainError('FORBIDDEN', message);
export const quotaExceeded = (message: string, field?: string) =>
  new DomainError('QUOTA_EXCEEDED', message, field);
export const unavailable = (message: string) => new DomainError('UNAVAILABLE', message);
export const tooManyRequests = (message: string) => new DomainError('TOO_MANY_REQUESTS', message);
