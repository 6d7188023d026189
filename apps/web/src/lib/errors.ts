import { isUncloudError } from '@uncloud/sdk';

/**
 * The dashboard's client turns every failure into the SDK's `UncloudError` (see `trpc.ts`), so
 * errors are read here exactly as a script reads them: `isUncloudError(error, 'CONFLICT')`.
 */
export { isUncloudError };

/** True when the server no longer accepts the token; the app then returns to sign-in. */
export const isUnauthorized = (error: unknown) =>
  isUncloudError(error, 'UNAUTHORIZED') || (isUncloudError(error) && error.httpStatus === 401);

const kinds: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'yes or no',
  array: 'a list',
  object: 'a set of fields',
};

/**
 * Validation reasons in plain words. The SDK's schemas word most of their own messages, but where
 * they leave it to zod (in the browser, or from the server), its defaults read like a type checker
 * ("Too small: expected string to have >=1 characters"); those become "is required" and the like.
 * Reasons already in plain words pass through.
 */
export const plainReason = (reason: string): string => {
  let m: RegExpMatchArray | null;
  if ((m = /^Too small: expected string to have >=?(\d+) characters?$/.exec(reason)))
    return m[1] === '1' ? 'is required' : `must be at least ${m[1]} characters`;
  if ((m = /^Too small: expected (?:array|set) to have >=?(\d+) items?$/.exec(reason)))
    return m[1] === '1' ? 'needs at least one' : `needs at least ${m[1]}`;
  if ((m = /^Too small: expected \w+ to be (>=?)(\S+)$/.exec(reason)))
    return `must be ${m[1] === '>' ? 'more than' : 'at least'} ${m[2]}`;
  if ((m = /^Too big: expected string to have <=?(\d+) characters?$/.exec(reason)))
    return `must be at most ${m[1]} characters`;
  if ((m = /^Too big: expected (?:array|set) to have <=?(\d+) items?$/.exec(reason)))
    return `may have at most ${m[1]}`;
  if ((m = /^Too big: expected \w+ to be (<=?)(\S+)$/.exec(reason)))
    return `must be ${m[1] === '<' ? 'less than' : 'at most'} ${m[2]}`;
  if ((m = /^Invalid input: expected (\w+), received (\w+)$/.exec(reason)))
    return m[2] === 'undefined' ? 'is required' : `must be ${kinds[m[1]!] ?? m[1]}`;
  if ((m = /^Invalid option: expected one of (.+)$/.exec(reason)))
    return `must be one of ${m[1]!.replace(/"/g, '').split('|').join(', ')}`;
  if (
    (m = /^Invalid (email address|url|URL|UUID|uuid|date|datetime|IPv4 address|IPv6 address)$/.exec(reason))
  )
    return `must be a valid ${m[1]!.replace(/^(url|uuid)$/, (s) => s.toUpperCase())}`;
  if (/^Unrecognized keys?:/.test(reason)) return 'is not expected here';
  if (reason === 'Invalid input') return 'is not valid';
  return reason;
};

/** An input path in words: `inbound.0.sources.1` → "inbound #1 sources #2"; `(input)` → "the input". */
export const fieldWords = (path: string) =>
  path === '(input)' || path === ''
    ? 'the input'
    : path
        .split('.')
        .map((part) =>
          /^\d+$/.test(part) ? `#${Number(part) + 1}` : part.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`),
        )
        .join(' ');

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
        return `${error.message}. Raise the project's quota or remove something first.`;
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
