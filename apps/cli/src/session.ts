import { createUncloudClient, idKinds, type IdKind, type UncloudClient } from '@uncloud/sdk';
import { configPath, readConfig, type ConfigFile, type Context } from './config/store.ts';
import { CliError, exitCodes, usageError } from './errors.ts';
import { groupOfKind, labelOf, manifest } from './contract/manifest.ts';
import { nounOf } from './contract/naming.ts';
import type { ProgressStream } from './output/progress.ts';

/** Everything a run of the CLI touches outside itself, so that tests can run it in-process. */
export interface Io {
  stdout: ProgressStream;
  stderr: ProgressStream;
  /** Reads all of standard input (for `--token -`). */
  readStdin(): Promise<string>;
  /** Asks for a secret on the terminal without echoing it; absent when there is no terminal. */
  askSecret?: ((question: string) => Promise<string>) | undefined;
  env: Record<string, string | undefined>;
  /** Stops waits and streams (Ctrl-C). */
  signal?: AbortSignal | undefined;
}

/** The options every command accepts (see `createProgram`). */
export interface GlobalOptions {
  project?: string | undefined;
  context?: string | undefined;
  output?: string | undefined;
  format?: string | undefined;
  header?: boolean | undefined;
}

/** What the calls of one command go through. */
export interface Session {
  contextName: string | undefined;
  context: Context | undefined;
  url: string;
  client: UncloudClient;
  /** The project commands act on, as an id (`--project`, `UNCLOUD_PROJECT`, then the context's). */
  projectId(): Promise<string>;
  /** A resource's id from its name or id, looked up in the current project where it lives in one. */
  resolve(kind: IdKind, nameOrId: string): Promise<string>;
}

const idPattern = (kind: IdKind) => new RegExp(`^${idKinds[kind].prefix}_[0-9a-z]{20}$`);

export const loadConfig = (io: Io): { path: string; config: ConfigFile } => {
  const path = configPath(io.env);
  return { path, config: readConfig(path) };
};

const nonEmpty = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

type Listing = (input: unknown) => Promise<unknown>;

export const openSession = (io: Io, globals: GlobalOptions): Session => {
  const { config } = loadConfig(io);
  const contextName = globals.context ?? nonEmpty(io.env.UNCLOUD_CONTEXT) ?? config.currentContext;
  const context = contextName ? config.contexts[contextName] : undefined;
  if (globals.context && !context) {
    throw usageError(
      `No context named "${globals.context}"`,
      `See the contexts with \`uncloud context list\`; add one with \`uncloud auth login --context ${globals.context}\`.`,
    );
  }
  // The environment wins over the config file, so that CI jobs need no file at all.
  const url = nonEmpty(io.env.UNCLOUD_URL) ?? context?.url;
  const token = nonEmpty(io.env.UNCLOUD_TOKEN) ?? context?.token;
  if (!url || !token) {
    throw new CliError(
      'Not signed in to any Uncloud server',
      exitCodes.unauthorized,
      'Run `uncloud auth login --url <url> --token <token>`, or set UNCLOUD_URL and UNCLOUD_TOKEN.',
    );
  }
  const client = (() => {
    try {
      return createUncloudClient({ url, token });
    } catch (error) {
      // The SDK says what is wrong with the URL; it is the user's to fix, as any bad flag.
      const source = nonEmpty(io.env.UNCLOUD_URL) ? 'UNCLOUD_URL' : `the URL of context "${contextName}"`;
      throw usageError(
        (error as Error).message.replace(/^the url option/, source),
        'Sign in again with `uncloud auth login --url <url>`, or fix UNCLOUD_URL.',
      );
    }
  })();
  // The generic door onto every procedure, for lookups by name over whichever router a kind has.
  const procedures = client as unknown as Record<string, Record<string, { query: Listing }>>;

  /** Every item of a list procedure whose name is exactly `name`. */
  const named = async (group: string, base: Record<string, unknown>, name: string) => {
    const list = manifest.procedures[`${group}.list`];
    if (!list) return undefined;
    const props = list.input?.properties ?? {};
    const matches: { id: string }[] = [];
    let cursor: string | undefined;
    do {
      const input = {
        ...base,
        ...('name' in props ? { name } : {}),
        ...('limit' in props ? { limit: 200 } : {}),
        ...(cursor ? { cursor } : {}),
      };
      const answer = await procedures[group]!.list!.query(list.input ? input : undefined);
      const page = Array.isArray(answer)
        ? { items: answer as { id: string; name?: string }[], nextCursor: null }
        : (answer as { items: { id: string; name?: string }[]; nextCursor: string | null });
      matches.push(...page.items.filter((item) => item.name === name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return matches;
  };

  let projectId: Promise<string> | undefined;
  const resolveProject = async (nameOrId: string) => {
    if (idPattern('project').test(nameOrId)) return nameOrId;
    const matches = (await named('projects', {}, nameOrId)) ?? [];
    if (matches.length === 0) {
      throw new CliError(
        `No project named "${nameOrId}"`,
        exitCodes.notFound,
        'See your projects with `uncloud project list`.',
      );
    }
    return matches[0]!.id;
  };

  const session: Session = {
    contextName,
    context,
    url,
    client,
    projectId() {
      const chosen = nonEmpty(globals.project) ?? nonEmpty(io.env.UNCLOUD_PROJECT) ?? context?.project;
      if (!chosen) {
        return Promise.reject(
          usageError(
            'No project chosen',
            'Pass --project <name>, or pick one for this context with `uncloud project use <name>`.',
          ),
        );
      }
      projectId ??= resolveProject(chosen);
      return projectId;
    },
    async resolve(kind, nameOrId) {
      if (idPattern(kind).test(nameOrId)) return nameOrId;
      if (kind === 'project') return resolveProject(nameOrId);
      const group = groupOfKind(kind);
      const list = manifest.procedures[`${group}.list`];
      if (!list) {
        throw usageError(
          `"${nameOrId}" is not ${idKinds[kind].article} ${labelOf(kind)} id (${idKinds[kind].prefix}_…)`,
        );
      }
      const inProject = 'projectId' in (list.input?.properties ?? {});
      const project = inProject ? await session.projectId() : undefined;
      const matches = (await named(group, project ? { projectId: project } : {}, nameOrId)) ?? [];
      if (matches.length === 0) {
        throw new CliError(
          `No ${labelOf(kind)} named "${nameOrId}"${inProject ? ' in this project' : ''}`,
          exitCodes.notFound,
          `See them with \`uncloud ${nounOf(group)} list\`${inProject ? ' (and the project with --project)' : ''}.`,
        );
      }
      if (matches.length > 1) {
        throw usageError(
          `${matches.length} of them (${labelOf(kind)}s) are named "${nameOrId}"`,
          `Name one by its id: ${matches.map((m) => m.id).join(', ')}`,
        );
      }
      return matches[0]!.id;
    },
  };
  return session;
};
