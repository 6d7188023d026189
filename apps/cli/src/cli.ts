import { Command, CommanderError, Option } from 'commander';
import { authCommand, contextCommand, projectUseCommand } from './commands/auth.ts';
import { completeCommand, completionCommand } from './commands/completion.ts';
import { buildInput, callProcedure, follow } from './commands/invoke.ts';
import { addProcedureCommands, type Invocation } from './commands/procedure-commands.ts';
import { addLogsFollow, formatLogLine, formatLogs, isLogs, withFollow } from './commands/app-logs.ts';
import type { CommandRunner } from './commands/runner.ts';
import { describeFailure, exitCodes, type ErrorContext } from './errors.ts';
import { outputFormats, parseOutputFormat, render, type RenderOptions } from './output/render.ts';
import { openSession, type GlobalOptions, type Io } from './session.ts';
import { version } from './version.ts';

export type { Io };

const renderOptions = (command: Command, overrides: Partial<RenderOptions> = {}): RenderOptions => {
  const globals = command.optsWithGlobals<GlobalOptions>();
  return {
    output: parseOutputFormat(globals.output ?? 'table'),
    format: globals.format,
    noHeader: globals.header === false,
    ...overrides,
  };
};

/** The whole command tree, for one run with `io`. */
export const createProgram = (io: Io, where: ErrorContext = {}) => {
  const runner: CommandRunner = {
    run: (_command, work) => work(),
    render: (command, value, overrides) => render(value, renderOptions(command, overrides)),
  };

  const invoke = async (command: Command, asked: Invocation) => {
    const invocation = withFollow(command, asked);
    const globals = command.optsWithGlobals<GlobalOptions & { wait?: boolean; waitTimeout?: number }>();
    const options = renderOptions(command);
    where.noun = invocation.noun;
    where.flagOf = (field) =>
      invocation.plan.flags.find((f) => f.name === field)?.flag ??
      (field === 'projectId' && invocation.plan.projectField ? 'project' : undefined);
    const session = openSession(io, globals);
    where.url = session.url;
    const input = await buildInput(session, command, invocation);
    const streamed = (envelope: unknown) => {
      // tRPC wraps resumable events as { id, data }; heartbeats only keep the stream alive.
      const tracked = envelope as { id?: unknown; data?: unknown } | null;
      const data =
        tracked && typeof tracked === 'object' && Object.keys(tracked).sort().join() === 'data,id'
          ? tracked.data
          : envelope;
      if ((data as { type?: unknown } | null)?.type === 'heartbeat') return;
      if (options.output === 'table' && isLogs(invocation.plan.path)) {
        io.stdout.write(formatLogLine(data as Parameters<typeof formatLogLine>[0]));
        return;
      }
      // One line per event in JSON (or one YAML document), so that `| jq` and the like can follow.
      io.stdout.write(
        options.output === 'yaml' ? `---\n${render(data, options)}` : `${JSON.stringify(data)}\n`,
      );
    };
    let result = await callProcedure(session, invocation, input, io, streamed);
    if (globals.wait && invocation.plan.spec.type === 'mutation') {
      result = await follow(session, invocation, result, input, {
        io,
        timeoutSeconds: globals.waitTimeout ?? 600,
        interactive: Boolean(io.stdout.isTTY && io.stderr.isTTY),
      });
    }
    if (options.output === 'table' && isLogs(invocation.plan.path)) {
      io.stdout.write(formatLogs(result));
      return;
    }
    const page = result as { items?: unknown; nextCursor?: unknown } | undefined;
    const isPage = Array.isArray(page?.items) && page !== undefined && 'nextCursor' in page;
    if (options.output === 'table' && isPage) {
      io.stdout.write(render(page.items, options));
      if (typeof page.nextCursor === 'string') io.stderr.write(`More with --cursor ${page.nextCursor}\n`);
      return;
    }
    io.stdout.write(render(result, options));
  };

  const program = new Command('uncloud')
    .description('Uncloud from the command line: every procedure of the API, grouped by resource.')
    .addOption(
      new Option(
        '-p, --project <project>',
        "project name or id (default: the context's current project, or UNCLOUD_PROJECT)",
      ),
    )
    .addOption(
      new Option('--context <name>', 'use this context instead of the current one (or UNCLOUD_CONTEXT)'),
    )
    .addOption(
      new Option('-o, --output <format>', 'table, json or yaml').choices(outputFormats).default('table'),
    )
    .addOption(new Option('--format <columns>', "the table's columns, comma-separated (e.g. id,name,state)"))
    .addOption(new Option('--no-header', 'print tables without their header line'))
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .addHelpText(
      'after',
      '\nSign in with `uncloud auth login --url <url> --token <token>`; `uncloud --version` prints the version.\nSee the README for exit codes and completion.',
    );

  // No program-wide `--version` flag: program flags are read anywhere on the line, and after a
  // command `--version` is a field of its own (`uncloud db create main-pg --version 16`). Alone,
  // `uncloud --version` still prints the version (see runCli).
  program
    .command('version')
    .description('Print the version of uncloud')
    .action(() => {
      io.stdout.write(`${version}\n`);
    });
  program.addCommand(authCommand(io, runner));
  program.addCommand(contextCommand(io, runner));
  program.addCommand(completionCommand(io));
  program.addCommand(
    completeCommand(io, () => program),
    { hidden: true },
  );
  addProcedureCommands(program, { invoke });
  addLogsFollow(program);
  program.commands.find((c) => c.name() === 'project')?.addCommand(projectUseCommand(io, runner));

  // Every command reports usage errors the same way, and exits through runCli.
  const configure = (command: Command) => {
    command.exitOverride().configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
    command.showSuggestionAfterError();
    command.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  return program;
};

/** Runs one command line (without `node` and the script) and answers the exit code. */
export const runCli = async (argv: string[], io: Io): Promise<number> => {
  const where: ErrorContext = {};
  const program = createProgram(io, where);
  try {
    if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) argv = ['version'];
    await program.parseAsync(argv, { from: 'user' });
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every other parse failure has already been printed.
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    const failure = describeFailure(error, where);
    io.stderr.write(`Error: ${failure.message}\n${failure.hint ? `${failure.hint}\n` : ''}`);
    return failure.exitCode;
  }
};
