import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../../test/scratch.ts';
import { createProgram } from '../cli.ts';
import { writeConfig } from '../config/store.ts';
import type { Io } from '../session.ts';
import { completeWords, completionScripts } from './completion.ts';

const ioWith = (env: Record<string, string> = {}): Io => ({
  stdout: { write: () => true },
  stderr: { write: () => true },
  readStdin: async () => '',
  env,
});

const complete = (words: string[], io = ioWith()) => completeWords(createProgram(io), words, io);

describe('completion', () => {
  it('offers the resources, then their verbs, then their flags', () => {
    expect(complete(['dro'])).toEqual(['droplet']);
    expect(complete(['droplet', 'power-'])).toEqual(['power-off', 'power-on']);
    expect(complete(['db', 'cre'])).toEqual(['create', 'credentials']);
    expect(complete(['droplet', 'create', 'web-1', '--ss'])).toEqual(['--ssh-key']);
    expect(complete(['droplet', 'create', 'web-1', '--'])).toEqual(
      expect.arrayContaining(['--size', '--image', '--wait', '--project', '--output']),
    );
  });

  it('offers the values a flag takes: its choices, the output formats, the contexts', () => {
    expect(complete(['db', 'create', 'main-pg', '--engine', 'p'])).toEqual(['postgres']);
    expect(complete(['droplet', 'list', '-o', ''])).toEqual(['json', 'table', 'yaml']);
    const path = join(scratchDir('uncloud-completion-'), 'config.json');
    writeConfig(path, {
      contexts: { prod: { url: 'http://p', token: 't' }, lab: { url: 'http://l', token: 't' } },
    });
    expect(complete(['--context', ''], ioWith({ UNCLOUD_CONFIG: path }))).toEqual(['lab', 'prod']);
  });

  it('never offers the hidden command the scripts call', () => {
    expect(complete([''])).not.toContain('__complete');
    expect(complete([''])).toEqual(
      expect.arrayContaining(['auth', 'context', 'completion', 'droplet', 'project']),
    );
  });

  it('prints a bash script that bash accepts, and completes through `uncloud __complete`', () => {
    const dir = scratchDir('uncloud-bash-');
    const script = join(dir, 'uncloud.bash');
    writeFileSync(script, completionScripts.bash);
    execFileSync('bash', ['-n', script]);
    // A stand-in `uncloud` that answers as the real one would, so bash's own completion runs the script.
    const out = execFileSync(
      'bash',
      [
        '-c',
        `uncloud() { printf 'power-off\\npower-on\\n'; }; source ${script}; COMP_WORDS=(uncloud droplet power-o); COMP_CWORD=2; _uncloud_completion; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      { encoding: 'utf8' },
    );
    expect(out.trim().split('\n')).toEqual(['power-off', 'power-on']);
  });

  it('prints scripts for zsh and fish that ask the same command', () => {
    expect(completionScripts.zsh).toMatch(/^#compdef uncloud/);
    expect(completionScripts.zsh).toContain('uncloud __complete --');
    expect(completionScripts.fish).toContain("complete -c uncloud -f -a '(uncloud __complete --");
  });
});
