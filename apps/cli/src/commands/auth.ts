import { Command } from 'commander';
import { createUncloudClient } from '@uncloud/sdk';
import { writeConfig } from '../config/store.ts';
import { CliError, exitCodes, usageError } from '../errors.ts';
import { loadConfig, openSession, type GlobalOptions, type Io } from '../session.ts';
import type { CommandRunner } from './runner.ts';

/** A context's default name: the server's host and port (`127.0.0.1-8080`). */
const contextNameFor = (url: string) => {
  try {
    return new URL(url).host.replace(/[^A-Za-z0-9.-]/g, '-');
  } catch {
    throw usageError(`--url is not a URL: "${url}"`, 'Give it as http://host:port or https://host.');
  }
};

const readToken = async (io: Io, given: string | undefined) => {
  // `--token -` reads it from standard input, so that it stays out of the shell history and `ps`.
  let token = given === '-' ? (await io.readStdin()).trim() : (given ?? io.env.UNCLOUD_TOKEN)?.trim();
  // On a terminal, ask for it rather than have it typed into the shell's history.
  if (!token && given === undefined && io.askSecret) token = (await io.askSecret('API token: ')).trim();
  if (!token) {
    throw usageError(
      'No token given',
      'Pass --token <token> (or --token - to read it from standard input), or set UNCLOUD_TOKEN. An administrator creates tokens with `uncloud token create` or the dashboard.',
    );
  }
  return token;
};

export const authCommand = (io: Io, runner: CommandRunner) => {
  const auth = new Command('auth').description('Sign in to Uncloud servers, and out');

  auth
    .command('login')
    .description(
      'Check a URL and API token with the server and keep them, as a context, in the config file (mode 0600)',
    )
    .option('--url <url>', 'the server, e.g. http://127.0.0.1:8080 (default: UNCLOUD_URL)')
    .option(
      '--token <token>',
      'an API token; "-" reads it from standard input (default: UNCLOUD_TOKEN, else asked for on a terminal)',
    )
    .option('--context <name>', 'name the context (default: the server host and port)')
    .action((options: { url?: string; token?: string; context?: string }, self: Command) =>
      runner.run(self, async () => {
        const url = (options.url ?? io.env.UNCLOUD_URL)?.trim().replace(/\/+$/, '');
        if (!url) throw usageError('No server given', 'Pass --url <url>, e.g. --url http://127.0.0.1:8080.');
        const name = options.context ?? self.optsWithGlobals<GlobalOptions>().context ?? contextNameFor(url);
        const token = await readToken(io, options.token);
        const me = await createUncloudClient({ url, token }).auth.whoami.query();
        const { path, config } = loadConfig(io);
        const previous = config.contexts[name];
        // Keep the chosen project when signing in again to the same server as someone who sees it.
        const project = previous?.url === url ? previous.project : undefined;
        const keep = project && me.projects.some((p) => p.id === project) ? project : undefined;
        const only = me.projects.length === 1 ? me.projects[0]!.id : undefined;
        config.contexts[name] = { url, token, ...((keep ?? only) ? { project: keep ?? only } : {}) };
        config.currentContext = name;
        writeConfig(path, config);
        io.stderr.write(
          `Signed in to ${url} as ${me.user.name}; context "${name}" is now current (${path}).\n`,
        );
      }),
    );

  auth
    .command('logout')
    .description('Forget the current context (or --context): its URL and token')
    .action((_options: unknown, self: Command) =>
      runner.run(self, () => {
        const { path, config } = loadConfig(io);
        const name =
          self.optsWithGlobals<GlobalOptions>().context ?? io.env.UNCLOUD_CONTEXT ?? config.currentContext;
        if (!name || !config.contexts[name]) {
          throw new CliError('Not signed in', exitCodes.unauthorized, 'There is nothing to sign out of.');
        }
        delete config.contexts[name];
        if (config.currentContext === name) config.currentContext = Object.keys(config.contexts)[0];
        writeConfig(path, config);
        io.stderr.write(
          `Signed out of "${name}".${config.currentContext ? ` Context "${config.currentContext}" is now current.` : ''}\n`,
        );
        return Promise.resolve();
      }),
    );

  auth
    .command('status')
    .description('Who you are signed in as, where, and in which project')
    .action((_options: unknown, self: Command) =>
      runner.run(self, async () => {
        const globals = self.optsWithGlobals<GlobalOptions>();
        const session = openSession(io, globals);
        const me = await session.client.auth.whoami.query();
        const projectId = await session.projectId().catch(() => undefined);
        const project = me.projects.find((p) => p.id === projectId);
        const status = {
          context: session.contextName ?? null,
          url: session.url,
          user: me.user.name,
          admin: me.user.isAdmin,
          project: project?.name ?? projectId ?? null,
          role: project?.role ?? null,
          readOnly: me.token.readOnly,
          tokenExpiresAt: me.token.expiresAt,
        };
        io.stdout.write(runner.render(self, status));
      }),
    );

  return auth;
};

export const contextCommand = (io: Io, runner: CommandRunner) => {
  const context = new Command('context').alias('contexts').description('The servers you are signed in to');

  context
    .command('list')
    .description('Every context, the current one marked')
    .action((_options: unknown, self: Command) =>
      runner.run(self, () => {
        const { config } = loadConfig(io);
        const rows = Object.entries(config.contexts).map(([name, c]) => ({
          current: name === config.currentContext ? '*' : '',
          name,
          url: c.url,
          project: c.project ?? null,
        }));
        io.stdout.write(
          runner.render(self, rows, {
            format: self.optsWithGlobals<GlobalOptions>().format ?? 'current,name,url,project',
          }),
        );
        return Promise.resolve();
      }),
    );

  context
    .command('use')
    .description('Make a context current')
    .argument('<name>', 'the context')
    .action((name: string, _options: unknown, self: Command) =>
      runner.run(self, () => {
        const { path, config } = loadConfig(io);
        if (!config.contexts[name]) {
          throw usageError(`No context named "${name}"`, 'See them with `uncloud context list`.');
        }
        config.currentContext = name;
        writeConfig(path, config);
        io.stderr.write(`Context "${name}" is now current.\n`);
        return Promise.resolve();
      }),
    );

  context
    .command('delete')
    .description('Forget a context: its URL and token')
    .argument('<name>', 'the context')
    .action((name: string, _options: unknown, self: Command) =>
      runner.run(self, () => {
        const { path, config } = loadConfig(io);
        if (!config.contexts[name]) {
          throw usageError(`No context named "${name}"`, 'See them with `uncloud context list`.');
        }
        delete config.contexts[name];
        if (config.currentContext === name) config.currentContext = Object.keys(config.contexts)[0];
        writeConfig(path, config);
        io.stderr.write(`Context "${name}" deleted.\n`);
        return Promise.resolve();
      }),
    );

  return context;
};

/** `uncloud project use <name>`: the project later commands act on, kept in the current context. */
export const projectUseCommand = (io: Io, runner: CommandRunner) =>
  new Command('use')
    .description('Make a project current: later commands act on it unless --project says otherwise')
    .argument('<project>', 'project name or id')
    .action((project: string, _options: unknown, self: Command) =>
      runner.run(self, async () => {
        const globals = self.optsWithGlobals<GlobalOptions>();
        const session = openSession(io, { ...globals, project });
        const id = await session.projectId();
        const { path, config } = loadConfig(io);
        const name = session.contextName;
        const current = name ? config.contexts[name] : undefined;
        if (!name || !current) {
          throw usageError(
            'There is no context to keep the project in (signed in through UNCLOUD_URL and UNCLOUD_TOKEN)',
            'Sign in with `uncloud auth login`, or pass --project (or set UNCLOUD_PROJECT) on each command.',
          );
        }
        config.contexts[name] = { ...current, project: id };
        writeConfig(path, config);
        io.stderr.write(`Project ${project} (${id}) is now current in context "${name}".\n`);
      }),
    );
