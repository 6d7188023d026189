import { Command, type Option } from 'commander';
import { loadConfig, type Io } from '../session.ts';
import { usageError } from '../errors.ts';
import { outputFormats } from '../output/render.ts';

/**
 * Shell completion, cobra style: the script a shell loads only asks `uncloud __complete` for the
 * words that may come next, so completion follows the command tree (and so the contract) without
 * regenerating the script.
 */
export const completionScripts = {
  bash: `# uncloud completion for bash: eval "$(uncloud completion bash)" in ~/.bashrc
_uncloud_completion() {
  local IFS=$'\\n'
  local candidates
  candidates=$(uncloud __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
  COMPREPLY=($(compgen -W "$candidates" -- "\${COMP_WORDS[COMP_CWORD]}"))
}
complete -o default -F _uncloud_completion uncloud
`,
  zsh: `#compdef uncloud
# uncloud completion for zsh: eval "$(uncloud completion zsh)" in ~/.zshrc (after compinit)
_uncloud() {
  local -a candidates
  candidates=("\${(@f)$(uncloud __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  compadd -a candidates
}
compdef _uncloud uncloud
`,
  fish: `# uncloud completion for fish: uncloud completion fish > ~/.config/fish/completions/uncloud.fish
complete -c uncloud -f -a '(uncloud __complete -- (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'
`,
} as const;

const longName = (option: Option) => option.long ?? option.short ?? '';

const allOptions = (command: Command): Option[] => {
  const own = command.options as readonly Option[];
  return command.parent ? [...own, ...allOptions(command.parent)] : [...own];
};

const visible = (command: Command) =>
  command.commands.filter((c) => !(c as unknown as { _hidden: boolean })._hidden);

/** The words that may follow `words` (the last one is the word being typed, maybe empty). */
export const completeWords = (program: Command, words: string[], io: Io): string[] => {
  const typed = words.at(-1) ?? '';
  let command = program;
  let expectValueOf: Option | undefined;
  for (const word of words.slice(0, -1)) {
    if (expectValueOf) {
      expectValueOf = undefined;
      continue;
    }
    if (word.startsWith('-')) {
      const option = allOptions(command).find((o) => longName(o) === word.split('=')[0] || o.short === word);
      if (option && (option.required || option.optional) && !word.includes('=')) expectValueOf = option;
      continue;
    }
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub) command = sub;
  }
  let candidates: string[];
  if (expectValueOf) {
    const name = expectValueOf.attributeName();
    candidates =
      expectValueOf.argChoices ??
      (name === 'output'
        ? [...outputFormats]
        : name === 'context'
          ? Object.keys(loadConfig(io).config.contexts)
          : []);
  } else if (typed.startsWith('-')) {
    candidates = allOptions(command)
      .filter((o) => !o.hidden)
      .map(longName);
  } else {
    candidates = visible(command).map((c) => c.name());
  }
  return candidates.filter((c) => c.startsWith(typed)).sort();
};

export const completionCommand = (io: Io) =>
  new Command('completion')
    .description('Print a shell completion script: bash, zsh or fish')
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText(
      'after',
      '\nLoad it:\n  bash: eval "$(uncloud completion bash)"      (in ~/.bashrc)\n  zsh:  eval "$(uncloud completion zsh)"       (in ~/.zshrc, after compinit)\n  fish: uncloud completion fish > ~/.config/fish/completions/uncloud.fish',
    )
    .action((shell: string) => {
      if (!Object.hasOwn(completionScripts, shell)) {
        throw usageError(`No completion for "${shell}"`, 'Choose bash, zsh or fish.');
      }
      io.stdout.write(completionScripts[shell as keyof typeof completionScripts]);
    });

/** The hidden command the scripts call. */
export const completeCommand = (io: Io, program: () => Command) => {
  const command = new Command('__complete')
    .argument('[words...]')
    .allowUnknownOption()
    .helpOption(false)
    .action((words: string[]) => {
      const candidates = completeWords(program(), words.length > 0 ? words : [''], io);
      io.stdout.write(candidates.map((c) => `${c}\n`).join(''));
    });
  return command;
};
