import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack, type Stack } from '@uncloud/api/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { run, sshPublicKeys, type Run } from '@uncloud/testing';

const consumerDir = inject('consumerDir');
const shown = (r: Run) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

describe('the packed @uncloud/cli', () => {
  it('holds only the executable, the README and its package.json', () => {
    expect(inject('cliFiles')).toEqual(['README.md', 'dist/uncloud.js', 'package.json']);
  });

  it('runs from npx by its bin name and by its package name', async () => {
    const byBin = await run('npx', ['--no-install', 'uncloud', '--version'], consumerDir);
    expect(byBin.code, shown(byBin)).toBe(0);
    expect(byBin.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const byPackage = await run('npx', ['--no-install', '@uncloud/cli', '--help'], consumerDir);
    expect(byPackage.code, shown(byPackage)).toBe(0);
    expect(byPackage.stdout).toMatch(/^Usage: uncloud/);
  });

  it('exits quietly when the program reading its output has gone', async () => {
    // As in `uncloud size list | head -1`: the pipe is closed before the CLI writes to it.
    const child = spawn(join(consumerDir, 'node_modules', '.bin', 'uncloud'), ['--help'], {
      cwd: consumerDir,
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'close')) as [number];
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  describe('against a server', () => {
    let stack: Stack;
    let home: string;
    const uncloud = (...args: string[]) =>
      run('npx', ['--no-install', 'uncloud', ...args], consumerDir, {
        HOME: home,
        XDG_CONFIG_HOME: join(home, '.config'),
      });
    const ok = async (...args: string[]) => {
      const result = await uncloud(...args);
      expect(result.code, `uncloud ${args.join(' ')}\n${shown(result)}`).toBe(0);
      return result;
    };

    beforeAll(async () => {
      stack = await startStack();
      home = mkdtempSync(join(tmpdir(), 'uncloud-cli-home-'));
    });
    afterAll(async () => {
      await stack?.close();
      rmSync(home, { recursive: true, force: true });
    });

    it('runs the quick start: login, project, key, droplet, wait, power off, delete', async () => {
      await ok('auth', 'login', '--url', stack.url, '--token', stack.adminToken);
      const config = join(home, '.config', 'uncloud', 'config.json');
      expect(statSync(config).mode & 0o777).toBe(0o600);
      expect(readFileSync(config, 'utf8')).toContain(stack.url);

      await ok('project', 'create', 'shop');
      await ok('project', 'use', 'shop');
      await ok('ssh-key', 'create', 'laptop', '--public-key', sshPublicKeys.ed25519.line);
      const created = await ok(
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
      );
      expect(created.stdout).toMatch(/web-1\s+active/);
      // Progress on stderr, in plain lines (not a terminal), and nothing else: no runtime warnings.
      expect(created.stderr).toMatch(/^(droplet web-1: \w+\n)+droplet web-1: done after \d+s\n$/);

      const off = await ok('droplet', 'power-off', 'web-1', '--wait', '--output', 'json');
      expect(JSON.parse(off.stdout)).toMatchObject({ type: 'powerOff', status: 'completed' });
      const listed = await ok('droplet', 'list', '--format', 'name,state', '--no-header');
      expect(listed.stdout.trim().split(/\s+/)).toEqual(['web-1', 'stopped']);

      await ok('droplet', 'delete', 'web-1', '--wait');
      const gone = await uncloud('droplet', 'get', 'web-1');
      expect(gone.code, shown(gone)).toBe(3);
      expect(gone.stderr).toMatch(/No droplet named "web-1"/);
    });
  });
});
