import type { ApiToken } from '@uncloud/sdk';
import { formatAge } from '../../lib/format.ts';

/** When a token stops working, in words: "never", "in 12 days", "expired". */
export const expiryText = (expiresAt: string | null, now = Date.now()) => {
  if (expiresAt === null) return 'never';
  return new Date(expiresAt).getTime() <= now ? 'expired' : formatAge(expiresAt, now);
};

/** The same in a sentence: "never expires", "expires in 12 days", "expired". */
export const expiryPhrase = (expiresAt: string | null, now = Date.now()) => {
  const text = expiryText(expiresAt, now);
  return text === 'never' ? 'never expires' : text === 'expired' ? text : `expires ${text}`;
};

/** What a token may reach: "all your projects", or the projects it is limited to, and "read-only". */
export const scopeText = (
  token: Pick<ApiToken, 'readOnly' | 'projectIds'>,
  projectName: (id: string) => string | undefined,
) => {
  const projects =
    token.projectIds === null
      ? 'all your projects'
      : token.projectIds.map((id) => projectName(id) ?? 'a project you are no longer in').join(', ');
  return token.readOnly ? `read-only · ${projects}` : projects;
};

/** The expiry choices of a new token, in days; empty: never. */
export const expiryChoices: Array<{ value: string; label: string }> = [
  { value: '', label: 'Never' },
  { value: '7', label: 'In 7 days' },
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In a year' },
];
