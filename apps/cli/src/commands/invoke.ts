import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { isTransitional, isUncloudError } from '@uncloud/sdk';
import { helpOf, type Field } from '../contract/fields.ts';
import { manifest } from '../contract/manifest.ts';
import { CliError, exitCodes, usageError } from '../errors.ts';
import { createProgress } from '../output/progress.ts';
import type { Io, Session } from '../session.ts';
import { attributeOf, planOf, type Invocation } from './procedure-commands.ts';

type Call = (input: unknown, options?: { signal?: AbortSignal }) => Promise<unknown>;
type Subscribe = (
  input: unknown,
  handlers: { onData(data: unknown): void; onError(error: unknown): void; onComplete(): void },
) => { unsubscribe(): void };
interface ProcedureHandle {
  query: Call;
  mutate: Call;
  subscribe: Subscribe;
}

/** The client's procedure at a path: the one place the CLI calls the typed client untyped, by name. */
const procedureAt = (session: Session, path: string) => {
  const [group, name] = path.split('.') as [string, string];
  return (session.client as unknown as Record<string, Record<string, ProcedureHandle>>)[group]![name]!;
};

/** A flag's `@path`: the file's text, or a usage error saying which file could not be read. */
const readFlagFile = (field: Field, path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw usageError(
      `--${field.flag}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
};

const jsonValue = (field: Field, raw: string): unknown => {
  const text = raw.startsWith('@') ? readFlagFile(field, raw.slice(1)) : raw;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw usageError(`--${field.flag} is not valid JSON`, helpOf(field));
  }
};

/** The procedure's input from the positional argument, the flags and the current project. */
export const buildInput = async (
  session: Session,
  command: Command,
  { plan, subject }: Invocation,
): Promise<Record<string, unknown> | undefined> => {
  if (!plan.spec.input) return undefined;
  const options = command.opts<Record<string, unknown>>();
  const input: Record<string, unknown> = {};
  if (plan.subject) {
    const { field, kind } = plan.subject;
    if (subject !== undefined) {
      input[field.name] = kind ? await session.resolve(kind, subject) : subject;
    } else if (field.name === 'projectId') {
      input[field.name] = await session.projectId();
    }
  }
  if (plan.projectField) {
    // Optional project filters (the audit log) apply only when a project is named on purpose.
    const named = command.optsWithGlobals<{ project?: string }>().project;
    if (plan.projectField.required || named) input.projectId = await session.projectId();
  }
  for (const field of plan.flags) {
    const value = options[attributeOf(field.flag)];
    if (value === undefined) {
      if (field.required) {
        throw usageError(`--${field.flag} is required`, `--${field.flag}: ${helpOf(field)}`);
      }
      continue;
    }
    const { shape } = field;
    if (shape.type === 'ref') input[field.name] = await session.resolve(shape.kind, value as string);
    else if (shape.type === 'list' && shape.of.type === 'ref') {
      const kind = shape.of.kind;
      input[field.name] = await Promise.all((value as string[]).map((v) => session.resolve(kind, v)));
    } else if (shape.type === 'json') input[field.name] = jsonValue(field, value as string);
    else if (shape.type === 'string' && shape.long && (value as string).startsWith('@')) {
      input[field.name] = readFlagFile(field, (value as string).slice(1));
    } else input[field.name] = value;
  }
  return input;
};

interface Page {
  items: unknown[];
  nextCursor: string | null;
}
const isPage = (value: unknown): value is Page =>
  typeof value === 'object' &&
  value !== null &&
  Array.isArray((value as Page).items) &&
  'nextCursor' in value;

/** Every page of a list, when the caller did not ask for one page. */
const allPages = async (call: Call, input: Record<string, unknown>, signal: AbortSignal | undefined) => {
  const items: unknown[] = [];
  let cursor: string | null = null;
  do {
    const page = await call(
      { ...input, limit: 200, ...(cursor ? { cursor } : {}) },
      signal ? { signal } : {},
    );
    if (!isPage(page)) return page;
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
};

interface Awaitable {
  id: string;
  type?: string;
  projectId?: string;
  state?: string;
  status?: string;
  syncError?: string | null;
  error?: string | null;
  name?: string;
}

const isAction = (value: unknown): value is Awaitable & { projectId: string; status: string } =>
  typeof value === 'object' &&
  value !== null &&
  /^act_/.test(String((value as Awaitable).id)) &&
  'status' in value;

export interface WaitSettings {
  io: Io;
  timeoutSeconds: number;
  /** Redraw a progress line in place (a terminal), or print a line per change (a pipe, a log). */
  interactive: boolean;
}

/**
 * Follows what a mutation started: an action until it completes, a deleted resource until it is
 * gone, a created or changed one until it settles. Returns what to show at the end.
 */
export const follow = (
  session: Session,
  invocation: Invocation,
  result: unknown,
  input: Record<string, unknown> | undefined,
  settings: WaitSettings,
): Promise<unknown> =>
  following(session, invocation, result, input, settings).catch((error: unknown) => {
    // Running out of patience is not the server failing: the change goes on without us.
    if (isUncloudError(error, 'TIMEOUT') && error.message.startsWith('Timed out after')) {
      const { noun, subject } = invocation;
      throw new CliError(
        error.message,
        exitCodes.failure,
        `It is still going on: look again with \`uncloud ${noun} get${subject ? ` ${subject}` : ''}\`, or wait longer with --wait-timeout <seconds>.`,
      );
    }
    throw error;
  });

const following = async (
  session: Session,
  invocation: Invocation,
  result: unknown,
  input: Record<string, unknown> | undefined,
  settings: WaitSettings,
): Promise<unknown> => {
  const { plan, noun, subject } = invocation;
  const [, verb] = plan.path.split('.') as [string, string];
  const options = { timeoutMs: settings.timeoutSeconds * 1000, signal: settings.io.signal };
  const item = result as Awaitable;
  const label = `${noun} ${subject ?? item.name ?? item.id ?? ''}`.trim();
  const progress = createProgress(settings.io.stderr, label, settings.interactive);
  if (isAction(result)) {
    const actions = session.client.actions;
    progress.update(`${result.type ?? 'action'} ${result.status}`);
    const finished = await session.client.waitFor(
      actions,
      { projectId: result.projectId, id: result.id },
      (a) => {
        progress.update(`${a.type} ${a.status}`);
        return a.status !== 'in-progress';
      },
      { ...options, description: 'to finish' },
    );
    progress.done(`${finished.type} ${finished.status}`);
    if (finished.status === 'errored') {
      throw new CliError(
        `${label}: ${finished.type} failed: ${finished.error ?? 'no reason given'}`,
        exitCodes.failure,
        `See the action with \`uncloud action get ${finished.id}\`; fix the cause and run the command again.`,
      );
    }
    return finished;
  }
  const get = manifest.procedures[`${plan.group}.get`];
  if (!get || typeof item?.id !== 'string') return result;
  const resource = { get: { query: procedureAt(session, `${plan.group}.get`).query } };
  // The resource's own id is `id`, or for a project `projectId`; the rest (its project) as given.
  const ownId = planOf(`${plan.group}.get`, get).subject?.field.name ?? 'id';
  const ref = Object.fromEntries(
    Object.keys(get.input?.properties ?? {}).map((key) => [
      key,
      key === ownId ? item.id : (input?.[key] ?? (item as unknown as Record<string, unknown>)[key]),
    ]),
  );
  if (verb === 'delete') {
    progress.update(item.state ?? 'deleting');
    await session.client.waitFor(resource, ref, 'gone', options);
    progress.done('gone');
    return result;
  }
  if (typeof item.state !== 'string') return result;
  progress.update(item.state);
  const settled = (await session.client.waitFor(
    resource,
    ref,
    (current) => {
      const state = (current as Awaitable).state ?? '';
      progress.update(state);
      return !isTransitional(state);
    },
    { ...options, description: 'to settle' },
  )) as Awaitable;
  progress.done(settled.state ?? '');
  if (settled.state === 'error') {
    throw new CliError(
      `${label} is in error: ${settled.syncError ?? 'no reason given'}`,
      exitCodes.failure,
      `See it with \`uncloud ${noun} get ${subject ?? settled.id}\`; fix the cause, or delete it.`,
    );
  }
  return settled;
};

/** Calls the procedure: one answer for queries and mutations, a stream for subscriptions. */
export const callProcedure = async (
  session: Session,
  invocation: Invocation,
  input: Record<string, unknown> | undefined,
  io: Io,
  onData: (data: unknown) => void,
): Promise<unknown> => {
  const { plan } = invocation;
  const handle = procedureAt(session, plan.path);
  const signal = io.signal;
  if (plan.spec.type === 'subscription') {
    await new Promise<void>((resolve, reject) => {
      const subscription = handle.subscribe(input, {
        onData,
        onError: reject,
        onComplete: resolve,
      });
      signal?.addEventListener('abort', () => {
        subscription.unsubscribe();
        resolve();
      });
    });
    return undefined;
  }
  const call = plan.spec.type === 'query' ? handle.query : handle.mutate;
  if (plan.paginated && input && input.limit === undefined && input.cursor === undefined) {
    return allPages(call, input, signal);
  }
  const answer = await call(input, signal ? { signal } : {});
  return answer;
};
