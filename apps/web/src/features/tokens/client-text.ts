import type { ApiToken } from '@uncloud/sdk';

const browsers: Array<[RegExp, string]> = [
  [/Edg\//, 'Edge'],
  [/Firefox\//, 'Firefox'],
  [/Chrom(e|ium)\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];
const systems: Array<[RegExp, string]> = [
  [/Android/, 'Android'],
  [/iPhone|iPad/, 'iOS'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Windows/, 'Windows'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

const first = (table: Array<[RegExp, string]>, text: string) => table.find(([re]) => re.test(text))?.[1];

/**
 * The client that last used a token, in a few words: "Chrome on Linux" for a browser (the
 * dashboard), the first product of the User-Agent for anything else ("curl/8.5.0", "node").
 */
export const clientText = (token: Pick<ApiToken, 'lastUsedUserAgent' | 'lastUsedClient'>): string | null => {
  const agent = token.lastUsedUserAgent;
  if (!agent) return null;
  if (token.lastUsedClient === 'dashboard') {
    const browser = first(browsers, agent) ?? 'A browser';
    const system = first(systems, agent);
    return system ? `${browser} on ${system}` : browser;
  }
  return agent.split(/\s/)[0]!.slice(0, 40);
};

/** "Dashboard" or "API", the kind of client a token was last used by. */
export const clientKindText = (token: Pick<ApiToken, 'lastUsedClient'>) =>
  token.lastUsedClient === 'dashboard' ? 'Dashboard' : token.lastUsedClient === 'api' ? 'API' : null;
