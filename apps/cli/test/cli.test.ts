import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

    const stdinLogin = await user.run(
      ['auth', 'login', '--url', stack.url, '--token', '-', '--context', 'local'],
      {
        stdin: `${stack.adminToken}\n`,
      },
    );
    expect(stdinLogin.code, shown(stdinLogin)).toBe(0);
    expect(statSync(user.configPath).mode & 0o777).toBe(0o600);
    const asked = await user.run(['auth', 'login', '--url', stack.url, '--context', 'local'], {
      secret: stack.adminToken,
    });
    expect(asked.code, shown(asked)).toBe(0);
    const noTerminal = await user.run(['auth', 'login', '--url', stack.url]);
    expect(noTerminal.code).toBe(exitCodes.usage);
    expect(noTerminal.stderr).toMatch(
      /No token given\nPass --token <token> \(or --token - to read it from standard input\)/,
    );
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
    const project = await ok(['project', 'create', 'shop', '--wait', '-o', 'json']);
    expect(JSON.parse(project.stdout)).toMatchObject({ name: 'shop', state: 'active' });
    const use = await ok(['project', 'use', 'shop']);
    expect(use.stderr).toMatch(/Project shop \(proj_\w+\) is now current in context "local"/);

    const keyFile = join(user.home, 'id_ed25519.pub');
    writeFileSync(keyFile, `${sshPublicKeys.ed25519.line}\n`);
    await ok(['ssh-key', 'create', 'laptop', '--public-key', `@${keyFile}`]);
    const created = await ok([
      'droplet',
      'create',
      'web-1',
      '--size',
      's-1vcpu-1gb',
      '--image',
      'ubuntu-24-04',
      '--ssh-key',
      'laptop',
      '--wait',
    ]);
    expect(created.stdout).toMatch(/^ID\s+NAME\s+STATE/);
    expect(created.stdout).toMatch(/dpl_\w+\s+web-1\s+active/);
    // Not a terminal: one plain line per state seen, on stderr.
    expect(created.stderr).toMatch(
      /^droplet web-1: pending\n(droplet web-1: provisioning\n)?droplet web-1: active\ndroplet web-1: done after \d+s\n$/,
    );

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

  it('exits 4 on a conflict and 2 on input the server refuses, naming the flag', async () => {
    const again = await user.run(['ssh-key', 'create', 'laptop', '--public-key', sshPublicKeys.ed25519.line]);
    expect(again.code, shown(again)).toBe(exitCodes.conflict);
    expect(again.stderr).toMatch(/^Error: .* \(--public-key\)\nChoose another --public-key/);

    const tooSmall = await user.run(['volume', 'create', 'data', '--size-gib', '0']);
    expect(tooSmall.code, shown(tooSmall)).toBe(exitCodes.usage);
    expect(tooSmall.stderr).toMatch(/^Error: --size-gib must be at least 1 GiB$/m);
  });

  it('exits 5 when the quota is spent, saying where to look', async () => {
    await ok(['quota', 'update', '--droplets', '0']);
    try {
      const refused = await user.run([
        'droplet',
        'create',
        'web-2',
        '--size',
        's-1vcpu-1gb',
        '--image',
        'debian-12',
      ]);
      expect(refused.code, shown(refused)).toBe(exitCodes.quota);
      expect(refused.stderr).toMatch(/`uncloud quota get`/);
    } finally {
      await ok(['quota', 'update', '--droplets', '25']);
    }
    const quota = await ok(['quota', 'get', '-o', 'json']);
    expect(JSON.parse(quota.stdout)).toMatchObject({ droplets: 25 });
  });

  it('lets UNCLOUD_TOKEN override the context, and exits 6 when that token may not act', async () => {
    const issued = await ok(['token', 'create', 'ci', '--read-only', '-o', 'json']);
    const { token } = JSON.parse(issued.stdout) as { token: string };
    const readOnly = { env: { UNCLOUD_TOKEN: token } };
    const listed = await user.run(['droplet', 'list'], readOnly);
    expect(listed.code, shown(listed)).toBe(0);
    const refused = await user.run(['volume', 'create', 'logs', '--size-gib', '1'], readOnly);
    expect(refused.code, shown(refused)).toBe(exitCodes.unauthorized);
    expect(refused.stderr).toMatch(/ask a project owner or an administrator/);
  });

  it("takes KEY=VALUE maps and JSON flags, and shows a database's credentials", async () => {
    const app = await ok([
      'app',
      'create',
      'shop',
      '--image',
      'nginx:1.27',
      '--port',
      '80',
      '--env',
      'MODE=prod',
      '--env',
      'X=a=b',
      '-o',
      'json',
    ]);
    expect(JSON.parse(app.stdout)).toMatchObject({ name: 'shop', env: { MODE: 'prod', X: 'a=b' } });

    const rules = JSON.stringify([{ protocol: 'tcp', ports: '22', sources: ['10.0.0.0/8'] }]);
    const firewall = await ok(['firewall', 'create', 'ssh-only', '--inbound', rules, '-o', 'json']);
    expect(JSON.parse(firewall.stdout)).toMatchObject({ inbound: [{ protocol: 'tcp', ports: '22' }] });
    const badJson = await user.run(['firewall', 'create', 'broken', '--inbound', '[{']);
    expect(badJson.code).toBe(exitCodes.usage);
    expect(badJson.stderr).toMatch(/--inbound is not valid JSON/);

    // `--version` after a command is the field's, not the program's.
    const pg = await ok([
      'db',
      'create',
      'main-pg',
      '--engine',
      'postgres',
      '--version',
      '16',
      '--size',
      'db-s-1vcpu-1gb',
      '--wait',
      '-o',
      'json',
    ]);
    expect(JSON.parse(pg.stdout)).toMatchObject({
      name: 'main-pg',
      engine: 'postgres',
      version: '16',
      state: 'active',
    });
    const credentials = await ok(['db', 'credentials', 'main-pg', '-o', 'json']);
    expect(JSON.parse(credentials.stdout)).toMatchObject({
      password: expect.any(String),
      uri: expect.stringMatching(/^postgres/),
    });
  });

  it("streams the project's changes as JSON lines until stopped", async () => {
    const stop = new AbortController();
    const watching = user.run(['event', 'watch'], {
      signal: stop.signal,
      onStdout: (out) => {
        if (out.includes('"kind":"volume"')) stop.abort();
      },
    });
    // The stream follows from when it opens: make changes until one is seen, or the deadline passes.
    const deadline = Date.now() + 10_000;
    for (let i = 1; !stop.signal.aborted && Date.now() < deadline; i += 1) {
      await ok(['volume', 'create', `logs-${i}`, '--size-gib', '1']);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const watched = await watching;
    expect(watched.code, shown(watched)).toBe(0);
    const events = watched.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'change', kind: 'volume', change: 'created' }),
    );
    expect(events.some((e) => e.type === 'heartbeat')).toBe(false);
  });

  it('lists every page by default, and one page with --limit, saying where the next starts', async () => {
    await ok(['volume', 'create', 'page-a', '--size-gib', '1']);
    await ok(['volume', 'create', 'page-b', '--size-gib', '1']);
    const all = JSON.parse((await ok(['volume', 'list', '-o', 'json'])).stdout) as { name: string }[];
    expect(all.map((v) => v.name)).toEqual(expect.arrayContaining(['page-a', 'page-b']));
    const page = JSON.parse((await ok(['volume', 'list', '--limit', '1', '-o', 'json'])).stdout) as {
      items: unknown[];
      nextCursor: string;
    };
    expect(page.items).toHaveLength(1);
    const table = await ok(['volume', 'list', '--limit', '1']);
    expect(table.stdout.trim().split('\n')).toHaveLength(2);
    expect(table.stderr).toBe(`More with --cursor ${page.nextCursor}\n`);
  });

  it('exits 130 when interrupted', async () => {
    const interrupted = await user.run(['droplet', 'list'], { signal: AbortSignal.abort() });
    expect(interrupted.code, shown(interrupted)).toBe(exitCodes.interrupted);
  });

  it('keeps several servers as contexts, and forgets them on logout', async () => {
    await ok(['auth', 'login', '--url', stack.url, '--token', stack.adminToken, '--context', 'other']);
    const listed = await ok(['context', 'list']);
    expect(listed.stdout).toMatch(/^CURRENT\s+NAME\s+URL\s+PROJECT\n\s+local\s+\S+\s+proj_\w+\n\*\s+other\s/);
    await ok(['context', 'use', 'local']);
    const viaOther = await ok(['auth', 'status', '--context', 'other', '-o', 'json']);
    expect(JSON.parse(viaOther.stdout)).toMatchObject({ context: 'other' });
    await ok(['context', 'delete', 'other']);
    expect((await user.run(['context', 'use', 'other'])).code).toBe(exitCodes.usage);

    await ok(['auth', 'logout']);
    const status = await user.run(['auth', 'status']);
    expect(status.code).toBe(exitCodes.unauthorized);
  });
});
