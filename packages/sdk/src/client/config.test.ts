import { afterEach, describe, expect, it, vi } from 'vitest';
import { createUncloudClient } from '../client.ts';
import { fakeServer, token, url } from '../../test/fake-server.ts';

const whoami = { user: { id: 'usr_1', name: 'tester' }, projects: [] };

describe('createUncloudClient', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('takes the URL and token from UNCLOUD_URL and UNCLOUD_TOKEN when not given', async () => {
    vi.stubEnv('UNCLOUD_URL', `${url}/`);
    vi.stubEnv('UNCLOUD_TOKEN', token);
    const server = fakeServer({ auth: { whoami: () => whoami as never } });
    const client = createUncloudClient({ fetch: server.fetch });
    expect(await client.auth.whoami.query()).toEqual(whoami);
    expect(server.requests[0]?.url).toMatch(/^http:\/\/uncloud\.test\/trpc\/auth\.whoami\?/);
    expect(server.requests[0]?.headers.get('authorization')).toBe(`Bearer ${token}`);
  });

  it('prefers the options over the environment, and sends the extra headers', async () => {
    vi.stubEnv('UNCLOUD_URL', 'http://elsewhere.test');
    vi.stubEnv('UNCLOUD_TOKEN', 'some-other-token');
    const server = fakeServer({ auth: { whoami: () => whoami as never } });
    const client = createUncloudClient({
      url,
      token,
      fetch: server.fetch,
      headers: { 'x-request-source': 'nightly' },
    });
    await client.auth.whoami.query();
    expect(server.requests[0]?.url).toMatch(/^http:\/\/uncloud\.test\//);
    expect(server.requests[0]?.headers.get('authorization')).toBe(`Bearer ${token}`);
    expect(server.requests[0]?.headers.get('x-request-source')).toBe('nightly');
  });

  it('says how to give a URL when there is none', () => {
    vi.stubEnv('UNCLOUD_URL', '');
    expect(() => createUncloudClient({ token })).toThrow(
      'No Uncloud URL: pass { url } to createUncloudClient or set UNCLOUD_URL',
    );
  });

  it('says how to give a token when there is none', () => {
    vi.stubEnv('UNCLOUD_TOKEN', '');
    expect(() => createUncloudClient({ url })).toThrow(
      'No Uncloud API token: pass { token } to createUncloudClient or set UNCLOUD_TOKEN',
    );
  });

  it('names the variable that holds a malformed URL', () => {
    vi.stubEnv('UNCLOUD_URL', 'ftp://uncloud.test');
    expect(() => createUncloudClient({ token })).toThrow(
      /^UNCLOUD_URL must start with http:\/\/ or https:\/\//,
    );
    vi.stubEnv('UNCLOUD_URL', 'not a url');
    expect(() => createUncloudClient({ token })).toThrow('UNCLOUD_URL is not a URL: "not a url"');
  });

  it('can be returned from an async function without being taken for a promise', async () => {
    const client = createUncloudClient({ url, token, fetch: fakeServer({}).fetch });
    const make = async () => client;
    expect(await make()).toBe(client);
  });
});
