import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { exitCodes } from '../src/errors.ts';
import { cliUser } from './run-cli.ts';

const projectId = 'proj_aaaaaaaaaaaaaaaaaaaa';

/** A loopback port nothing listens on: a server that is down. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe('the command line, before any call', () => {
  const user = cliUser({ UNCLOUD_URL: 'http://127.0.0.1:9', UNCLOUD_TOKEN: 'token' });

  it('prints help and the version, exiting 0', async () => {
    const help = await user.run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/droplet\|droplets/);
    expect((await user.run(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exits 2 on an unknown command, with a suggestion', async () => {
    const result = await user.run(['droplet', 'rebot', 'web-1']);
    expect(result.code).toBe(exitCodes.usage);
    expect(result.stderr).toMatch(/Did you mean reboot\?/);
  });

  it('exits 2 when a required flag is missing, naming it and what it takes', async () => {
    const result = await user.run(['droplet', 'create', 'web-1', '--image', 'debian-12', '-p', projectId]);
    expect(result.code).toBe(exitCodes.usage);
    expect(result.stderr).toMatch(
      /^Error: --size is required\n--size: .*one of s-1vcpu-512mb-10gb, s-1vcpu-1gb/,
    );
  });

  it('exits 2 on a value a flag does not take', async () => {
    const choice = await user.run(['droplet', 'create', 'web-1', '--size', 'huge', '-p', projectId]);
    expect(choice.code).toBe(exitCodes.usage);
    expect(choice.stderr).toMatch(/argument 'huge' is invalid\. Allowed choices are s-1vcpu-512mb-10gb/);
    const number = await user.run(['app', 'scale', 'shop', '--replicas', 'two', '-p', projectId]);
    expect(number.code).toBe(exitCodes.usage);
    expect(number.stderr).toMatch(/--replicas must be a whole number, not "two"/);
    const env = await user.run(['app', 'deploy', 'shop', '--env', 'NOVALUE', '-p', projectId]);
    expect(env.code).toBe(exitCodes.usage);
    expect(env.stderr).toMatch(/--env takes KEY=VALUE, not "NOVALUE"/);
  });

  it('exits 2 with what to do when no project is chosen', async () => {
    const result = await user.run(['droplet', 'list']);
    expect(result.code).toBe(exitCodes.usage);
    expect(result.stderr).toMatch(
      /No project chosen\nPass --project <name>, or pick one .* `uncloud project use <name>`/,
    );
  });

  it('exits 6 with how to sign in when there is no server or token', async () => {
    const result = await cliUser().run(['droplet', 'list']);
    expect(result.code).toBe(exitCodes.unauthorized);
    expect(result.stderr).toMatch(/Not signed in .*\nRun `uncloud auth login --url <url> --token <token>`/);
  });

  it('exits 7 when the server does not answer, asking whether it is up', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const result = await cliUser({ UNCLOUD_URL: url, UNCLOUD_TOKEN: 't' }).run([
      'droplet',
      'list',
      '-p',
      projectId,
    ]);
    expect(result.code).toBe(exitCodes.unavailable);
    expect(result.stderr).toMatch(`Is the server at ${url} up?`);
  });

  it('exits 2 on a server URL that is not one, saying what it expects', async () => {
    const result = await cliUser({ UNCLOUD_URL: 'ftp://example.com', UNCLOUD_TOKEN: 't' }).run([
      'droplet',
      'list',
    ]);
    expect(result.code).toBe(exitCodes.usage);
    expect(result.stderr).toMatch(/^Error: UNCLOUD_URL must start with http:\/\/ or https:\/\//);
  });

  it('refuses an --output it does not know', async () => {
    const result = await user.run(['droplet', 'list', '-o', 'xml', '-p', projectId]);
    expect(result.code).toBe(exitCodes.usage);
    expect(result.stderr).toMatch(/Allowed choices are table, json, yaml/);
  });
});
