const kinds: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'yes or no',
  array: 'a list',
  object: 'a set of fields',
};

/**
 * Validation reasons in plain words, for every door: the server's answers, the dashboard's own form
 * checks, scripts. The schemas word most of their own messages, but where they leave it to zod, its
 * defaults read like a type checker ("Too small: expected string to have >=1 characters"); those
 * become "is required" and the like. Reasons already in plain words pass through.
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
  if (reason === 'Invalid key in record') return 'has a name that is not allowed';
  if (/^Invalid element in (?:map|set)$/.test(reason)) return 'holds an item that is not valid';
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

/**
 * The parts of a validation issue the words need: zod's issue, typed by shape so that callers with
 * another copy of zod pass theirs.
 */
export interface IssueLike {
  code?: string;
  message: string;
  input?: unknown;
  issues?: IssueLike[] | IssueLike[][];
}

/**
 * One issue in plain words. zod words some issues after their container ("Invalid key in record")
 * and keeps the reason inside; the inner reason is the one that says what to do.
 */
export const issueReason = (issue: IssueLike): string => {
  if (issue.code === 'invalid_key' || issue.code === 'invalid_element') {
    const inner = (issue.issues as IssueLike[] | undefined)?.[0];
    if (inner) return plainReason(inner.message);
  }
  return plainReason(issue.message);
};
