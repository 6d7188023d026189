import { fieldWords, isUncloudError, issueReason, plainReason } from '@uncloud/sdk';

/**
 * The dashboard's client turns every failure into the SDK's `UncloudError` (see `trpc.ts`), so
 * errors are read here exactly as a script reads them: `isUncloudError(error, 'CONFLICT')`.
 */
export { fieldWords, isUncloudError, issueReason, plainReason };

/** True when the server no longer accepts the token; the app then returns to sign-in. */
export const isUnauthorized = (error: unknown) =>
  isUncloudError(error, 'UNAUTHORIZED') || (isUncloudError(error) && error.httpStatus === 401);

/** A sentence a person can act on. */
export const errorMessage = (error: unknown): string => {
  if (isUncloudError(error)) {
    switch (error.code) {
      case 'BAD_REQUEST': {
        const reasons = Object.entries(error.fieldErrors);
        if (reasons.length === 0) return plainReason(error.message.replace(/^Invalid input: /, ''));
        return `Not accepted: ${reasons
          .map(([field, why]) => `${fieldWords(field)} ${why.map(plainReason).join(' and ')}`)
          .join('; ')}.`;
      }
      case 'QUOTA_EXCEEDED':
        // The server says what to do; only administrators change quotas, so no "raise it" here.
        return /[.!?)]$/.test(error.message) ? error.message : `${error.message}.`;
      case 'FORBIDDEN':
        // Only a refusal for the role deserves the hint; a read-only token or an admin-only change
        // already says what to do.
        return /needs the \w+ role/.test(error.message)
          ? `${error.message}. Ask a project owner for a higher role.`
          : error.message;
      case 'TOO_MANY_REQUESTS':
        return 'Too many requests in a short time. Wait a few seconds and try again.';
      case 'INTERNAL_SERVER_ERROR':
        return 'Something went wrong on the Uncloud server. Try again; if it keeps happening, tell an administrator.';
      case 'NETWORK_ERROR':
      case 'TIMEOUT':
        return 'The Uncloud API could not be reached. Check your connection; the page retries on its own.';
      default:
        return error.message;
    }
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
};
