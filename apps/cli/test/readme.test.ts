import { readFileSync } from 'node:fs';
import type { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../src/cli.ts';

const io = {
  stdout: { write: () => true },
  stderr: { write: () => true },
  readStdin: async () => '',
  env: {},
};

/** Every `uncloud …` command line in a document's shell blocks, as words. */
const commandLines = (path: string) =>
  [...readFileSync(new URL(path, import.meta.url), 'utf8').matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((block) => block[1]!.split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line.startsWith('uncloud '))
    // Up to a pipe or a redirection: what follows is another program's.
    .map((line) => [...line.split(/\s[|<>]\s/)[0]!.matchAll(/'[^']*'|"[^"]*"|\S+/g)].map((m) => m[0]));

const optionsUpFrom = (command: Command): Option[] => [
  ...(command.options as Option[]),
  ...(command.parent ? optionsUpFrom(command.parent) : []),
];

/** What is wrong with a documented command line: an unknown command or flag; '' when nothing. */
const check = (program: Command, words: string[]) => {
  let command = program;
  for (const word of words.slice(1)) {
    if (word.startsWith('-') && word !== '-') {
      const flag = word.split('=')[0];
      const known = optionsUpFrom(command).some((o) => o.long === flag || o.short === flag);
      if (!known) return `${words.join(' ')}: no flag ${flag} on "${command.name()}"`;
      continue;
    }
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub) command = sub;
    else if (command.commands.length > 0 && command.registeredArguments.length === 0) {
      return `${words.join(' ')}: no command "${word}" under "${command.name()}"`;
    }
  }
  return '';
};

describe('the documented command lines', () => {
  it.each(['../README.md', '../../../README.md'])('all exist, with the flags they use, in %s', (path) => {
    const lines = commandLines(path);
    expect(lines.length).toBeGreaterThan(3);
    const program = createProgram(io);
    expect(lines.map((words) => check(program, words)).filter(Boolean)).toEqual([]);
  });
});
