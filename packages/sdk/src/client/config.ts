/** What the client needs to reach a server, after falling back to the environment. */
export interface ResolvedConfig {
  /** Base URL without a trailing slash. */
  url: string;
  token: string;
}

export interface ConnectionOptions {
  url?: string | undefined;
  token?: string | undefined;
}

/**
 * The one place the SDK reads the environment. Through `globalThis` because browsers have no
 * `process`, and bundlers must not be tempted to polyfill it.
 */
const environment = (): Record<string, string | undefined> =>
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};

const nonEmpty = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

/** Options first, then `UNCLOUD_URL` / `UNCLOUD_TOKEN`; a missing or malformed value says how to fix it. */
export const resolveConfig = (options: ConnectionOptions): ResolvedConfig => {
  const env = environment();
  const url = nonEmpty(options.url) ?? nonEmpty(env.UNCLOUD_URL);
  const urlSource = nonEmpty(options.url) ? 'the url option' : 'UNCLOUD_URL';
  if (!url) {
    throw new Error(
      'No Uncloud URL: pass { url } to createUncloudClient or set UNCLOUD_URL (for example http://127.0.0.1:8080)',
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${urlSource} is not a URL: "${url}" (expected something like http://127.0.0.1:8080)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`${urlSource} must start with http:// or https://, not "${parsed.protocol}"`);
  }
  const token = nonEmpty(options.token) ?? nonEmpty(env.UNCLOUD_TOKEN);
  if (!token) {
    throw new Error(
      'No Uncloud API token: pass { token } to createUncloudClient or set UNCLOUD_TOKEN ' +
        '(the server prints the admin token on its first start; create more with tokens.create)',
    );
  }
  return { url: url.replace(/\/+$/, ''), token };
};
