import { statSync, readFileSync } from 'node:fs';
import { startStack, type Stack } from '@uncloud/api/testing';
import { sshPublicKeys } from '@uncloud/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exitCodes } from '../src/errors.ts';
import { cliUser, type CliRun } from './run-cli.ts';

const shown = (r: CliRun) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

describe('uncloud against a running server', () => {
  let stack: Stack;
  let user: ReturnType<typeof cliUser>;
  const ok = async (args: string[]) => {
    const result = await user.run(args);
    expect(result.code, shown(result)).toBe(0);
    return result;
  };

  beforeAll(async () => {
    stack = await startStack();
    user = cliUser();
  });
  afterAll(() => stack?.close());

  it('signs in, checking the token, and keeps it in a file only its owner can read', async () => {
    const refused = await user.run(['auth', 'login', '--url', stack.url, '--token', 'not-a-token']);
    expect(refused.code).toBe(exitCodes.unauthorized);
    expect(refused.stderr).toMatch(/uncloud auth login/);

    const stdinLogin = await user.run(['auth', 'login', '--url', stack.url, '--token', '-', '--context', 'local'], {
      stdin: `${stack.adminToken}\n`,
    });
    expect(stdinLogin.code, shown(stdinLogin)).toBe(0);
    expect(statSync(user.configPath).mode & 0o777).toBe(0o600);
    const config = JSON.parse(readFileSync(user.configPath, 'utf8')) as {
      currentContext: string;
      contexts: Record<string, { url: string; token: string }>;
    };
    expect(config.currentContext).toBe('local');
    expect(config.contexts.local).toMatchObject({ url: stack.url, token: stack.adminToken });

    const status = await ok(['auth', 'status', '-o', 'json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ context: 'local', url: stack.url, user: 'admin' });
  });

  it('creates a project and makes it current, then runs the quick start by names', async () => {
    await ok(['project', 'create', 'shop']);
    const use = await ok(['project', 'use', 'shop']);
    expect(use.stderr).toMatch(/Project shop \(proj_\w+\) is now current in context "local"/);

    await ok(['ssh-key', 'create', 'laptop', '--public-key', sshPublicKeys.ed25519.line]);
    const created = await ok([
      'droplet', 'create', 'web-1', '--size', 's-1vcpu-1gb', '--image', 'ubuntu-24-04', '--ssh-key', 'laptop', '--wait',
    ]);
    expect(created.stdout).toMatch(/^ID\s+NAME\s+STATE/);
    expect(created.stdout).toMatch(/dpl_\w+\s+web-1\s+active/);
    // Not a terminal: one plain line per state seen, on stderr.
    expect(created.stderr).toMatch(/droplet web-1: active after \d+s/);

    const listed = await ok(['droplet', 'list', '-o', 'json']);
    const droplets = JSON.parse(listed.stdout) as { name: string; sshKeyIds: string[]; state: string }[];
    expect(droplets).toMatchObject([{ name: 'web-1', state: 'active' }]);
    expect(droplets[0]!.sshKeyIds).toHaveLength(1);

    const off = await ok(['droplet', 'power-off', 'web-1', '--wait', '-o', 'yaml']);
    expect(parse(off.stdout)).toMatchObject({ type: 'powerOff', status: 'completed' });
    const columns = await ok(['droplet', 'get', 'web-1', '--format', 'name,state,poweredOn', '--no-header']);
    expect(columns.stdout.trim().split(/\s+/)).toEqual(['web-1', 'stopped', 'false']);

    await ok(['droplet', 'delete', 'web-1', '--wait']);
    const gone = await user.run(['droplet', 'get', 'web-1']);
    expect(gone.code, shown(gone)).toBe(exitCodes.notFound);
    expect(gone.stderr).toMatch(/No droplet named "web-1" in this project/);
    expect(gone.stderr).toMatch(/uncloud droplet list/);
  });
});
