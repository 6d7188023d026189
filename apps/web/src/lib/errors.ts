import type { ErrorCode, UncloudErrorData } from '@uncloud/sdk';
import { TRPCClientError } from '@trpc/client';

/** The Uncloud part of a tRPC error (`error.data`), or null for network and other failures. */
export const uncloudErrorData = (error: unknown): Partial<UncloudErrorData> | null => {
  if (!(error instanceof TRPCClientError)) return null;
  const data: unknown = error.data;
  return data && typeof data === 'object' ? (data as Partial<UncloudErrorData>) : null;
};

export const isUncloudError = (error: unknown, code: ErrorCode) => uncloudErrorData(error)?.code === code;

/** True when the server no longer accepts the token; the app then returns to sign-in. */
export const isUnauthorized = (error: unknown) =>
  isUncloudError(error, 'UNAUTHORIZED') ||
  (error instanceof TRPCClientError &&
    (error.data as { httpStatus?: number } | undefined)?.httpStatus === 401);

/** A sentence a person can act on. */
export const errorMessage = (error: unknown): string => {
  if (error instanceof TRPCClientError) {
    const code = uncloudErrorData(error)?.code;
    if (code === 'QUOTA_EXCEEDED')
      return `${error.message}. Raise the project's quota or remove something first.`;
    if (code === 'FORBIDDEN') return `${error.message}. Ask a project owner for a higher role.`;
    if (!error.data) return `The Uncloud API could not be reached (${error.message}).`;
    return error.message;
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
};
