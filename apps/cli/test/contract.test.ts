import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { appRouter } from '@uncloud/sdk/contract';
import { describe, expect, it } from 'vitest';
import { buildManifest, manifestPath, manifestText } from '../scripts/manifest.ts';
import { createProgram } from '../src/cli.ts';
import { planOf } from '../src/commands/procedure-commands.ts';
import { manifest } from '../src/contract/manifest.ts';
import { nounOf, verbOf } from '../src/contract/naming.ts';
import { cliUser } from './run-cli.ts';

const program = () => {
  const io = {
    stdout: { write: () => true },
    stderr: { write: () => true },
    readStdin: async () => '',
    env: {},
  };
  return createProgram(io);
};

const commandAt = (root: Command, words: string[]) =>
  words.reduce<Command | undefined>((c, word) => c?.commands.find((s) => s.name() === word), root);

describe('the command tree and the contract', () => {
  it('carries the manifest the router gives today (else: npm run generate -w @uncloud/cli)', async () => {
    expect(readFileSync(manifestPath, 'utf8')).toBe(await manifestText(buildManifest()));
  });

  it('has a command for every procedure of the router', () => {
    const root = program();
    const missing = Object.keys(appRouter._def.procedures).filter((path) => {
      const [group, name] = path.split('.') as [string, string];
      return !commandAt(root, [nounOf(group), verbOf(name)]);
    });
    expect(missing).toEqual([]);
  });

  it('takes every input field of a procedure, as its argument, a flag or the current project', () => {
    const root = program();
    const uncovered = Object.entries(manifest.procedures).flatMap(([path, spec]) => {
      const plan = planOf(path, spec);
      const [group, name] = path.split('.') as [string, string];
      const command = commandAt(root, [nounOf(group), verbOf(name)])!;
      const flags = new Set(command.options.map((o) => o.long));
      return Object.keys(spec.input?.properties ?? {}).flatMap((field) => {
        if (plan.subject?.field.name === field || plan.projectField?.name === field) return [];
        const flag = plan.flags.find((f) => f.name === field)?.flag;
        return flag && (flags.has(`--${flag}`) || flags.has(`--no-${flag}`)) ? [] : [`${path}: ${field}`];
      });
    });
    expect(uncovered).toEqual([]);
  });

  it('gives no command a flag that the program reads for itself', () => {
    const root = program();
    const globals = new Set(root.options.map((o) => o.long));
    const clashes = Object.keys(manifest.procedures).flatMap((path) => {
      const [group, name] = path.split('.') as [string, string];
      const command = commandAt(root, [nounOf(group), verbOf(name)])!;
      return command.options.filter((o) => globals.has(o.long)).map((o) => `${path}: ${o.long}`);
    });
    expect(clashes).toEqual([]);
  });

  it('names the thing a command acts on as its argument, and fills the project from the context', () => {
    const plan = planOf('droplets.powerOff', manifest.procedures['droplets.powerOff']!);
    expect(plan.subject).toMatchObject({ field: { name: 'id' }, kind: 'droplet', optional: false });
    expect(plan.projectField?.name).toBe('projectId');
    expect(plan.flags).toEqual([]);
    const create = planOf('droplets.create', manifest.procedures['droplets.create']!);
    expect(create.subject?.field.name).toBe('name');
    const flags = create.flags.map((f) => f.flag);
    expect(flags).toEqual(
      expect.arrayContaining(['size', 'image', 'ssh-key', 'tags', 'user-data', 'volume']),
    );
    expect(flags).not.toContain('name');
    expect(flags).not.toContain('project-id');
    const project = planOf('projects.get', manifest.procedures['projects.get']!);
    expect(project.subject).toMatchObject({ field: { name: 'projectId' }, kind: 'project', optional: true });
  });

  it('answers a procedure added to the manifest with a command of its own', async () => {
    // What regenerating the manifest after adding `droplets.enableBackups` would give.
    manifest.procedures['droplets.enableBackups'] = {
      type: 'mutation',
      description: 'Turns on weekly backups.',
      input: {
        type: 'object',
        properties: {
          projectId: { type: 'string', pattern: '^proj_[0-9a-z]{20}$' },
          id: { type: 'string', pattern: '^dpl_[0-9a-z]{20}$' },
          keep: { type: 'integer', minimum: 1, maximum: 10 },
        },
        required: ['projectId', 'id', 'keep'],
      },
    };
    try {
      const help = await cliUser().run(['droplet', 'enable-backups', '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/Usage: uncloud droplet enable-backups \[options\] <droplet>/);
      expect(help.stdout).toMatch(/Turns on weekly backups\./);
      expect(help.stdout).toMatch(/--keep <integer>/);
    } finally {
      delete manifest.procedures['droplets.enableBackups'];
    }
  });
});
