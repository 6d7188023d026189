import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../../test/scratch.ts';
import { CliError } from '../errors.ts';
import { configPath, readConfig, writeConfig } from './store.ts';

const scratch = () => scratchDir('uncloud-config-');

describe('the config file', () => {
  it('lives under XDG_CONFIG_HOME, or where UNCLOUD_CONFIG says', () => {
    expect(configPath({ XDG_CONFIG_HOME: '/home/me/.config' })).toBe('/home/me/.config/uncloud/config.json');
    expect(configPath({ UNCLOUD_CONFIG: '/etc/uncloud.json', XDG_CONFIG_HOME: '/x' })).toBe(
      '/etc/uncloud.json',
    );
    expect(configPath({})).toMatch(/uncloud[/\\](Config[/\\])?config\.json$/);
  });

  it('is written readable by its owner alone, in a directory only they can enter', () => {
    const dir = scratch();
    const path = join(dir, 'uncloud', 'config.json');
    writeConfig(path, { currentContext: 'a', contexts: { a: { url: 'http://h', token: 't' } } });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'uncloud')).mode & 0o777).toBe(0o700);
    expect(readConfig(path)).toEqual({
      currentContext: 'a',
      contexts: { a: { url: 'http://h', token: 't' } },
    });
  });

  it('stays 0600 when rewritten over a file someone made readable', () => {
    const path = join(scratch(), 'config.json');
    writeFileSync(path, '{"contexts":{}}', { mode: 0o644 });
    writeConfig(path, { contexts: {} });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ contexts: {} });
  });

  it('reads as empty when missing, and says how to fix it when it is not JSON', () => {
    const dir = scratch();
    expect(readConfig(join(dir, 'none.json'))).toEqual({ currentContext: undefined, contexts: {} });
    writeFileSync(join(dir, 'bad.json'), '{not json');
    expect(() => readConfig(join(dir, 'bad.json'))).toThrow(CliError);
    expect(() => readConfig(join(dir, 'bad.json'))).toThrow(/is not valid JSON/);
  });
});
