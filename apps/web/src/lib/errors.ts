import { isUncloudError } from '@uncloud/sdk';

/**
 * The dashboard's client turns every failure into the SDK's `UncloudError` (see `trpc.ts`), so
 * errors are read here exactly as a script reads them: `isUncloudError(error, 'CONFLICT')`.
 */
export { isUncloudError };

/** True when the server no longer accepts the token; the app then returns to sign-in. */
export const isUnauthorized = (error: unknown) =>
  isUncloudError(error, 'UNAUTHORIZED') || (isUncloudError(error) && error.httpStatus === 401);

/** A sentence a person can act on. */
export const errorMessage = (error: unknown): string => {
  if (isUncloudError(error)) {
    switch (error.code) {
      case 'QUOTA_EXCEEDED':
        return `${error.message}. Raise the project's quota or remove something first.`;
      case 'FORBIDDEN':
        return `${error.message}. Ask a project owner for a higher role.`;
      case 'NETWORK_ERROR':
      case 'TIMEOUT':
        return 'The Uncloud API could not be reached. Check your connection; the page retries on its own.';
      default:
        return error.message;
    }
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
};
