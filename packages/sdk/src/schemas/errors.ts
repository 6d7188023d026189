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
