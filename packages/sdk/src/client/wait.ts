import type { TRPCProcedureOptions } from '@trpc/client';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../contract/router.ts';
import { idKinds } from '../schemas/common.ts';
import { UncloudError, isUncloudError } from './errors.ts';

/** Any resource of the client with a `get`: `client.droplets`, `client.apps`, `client.actions`, … */
export interface GettableResource<TRef, TItem> {
  get: { query(ref: TRef, opts?: TRPCProcedureOptions): Promise<TItem> };
}

/** The states a resource can be awaited in: its `state`, or an action's `status`. */
export type StateOf<TItem> = TItem extends { state: infer S extends string }
  ? S
  : TItem extends { status: infer S extends string }
    ? S
    : never;

/** A state to reach, or a condition on the resource. */
export type WaitCondition<TItem> = StateOf<TItem> | ((item: TItem) => boolean);

export interface WaitOptions {
  /** Give up after this long (default 300 000 ms: five minutes). */
  timeoutMs?: number | undefined;
  /** Time between two reads (default 1 000 ms). */
  intervalMs?: number | undefined;
  /** Stops waiting, with an `ABORTED` error. */
  signal?: AbortSignal | undefined;
  /** What a condition function waits for, as the timeout message says it (e.g. "to have 2 replicas"). */
  description?: string | undefined;
  /**
   * Where news of changes comes from: with one, the resource is read again as soon as it changes
   * (and only every `intervalMs × 10` otherwise), instead of every `intervalMs`. The client's
   * `waitFor` and `waitForAction` use its change stream (`events.watch`); without one, or while it
   * cannot be opened, waiting falls back to reading every `intervalMs`.
   */
  changes?: ChangeSource | undefined;
}

/** Tells a wait when a resource may have changed. */
export interface ChangeSource {
  /**
   * Calls `onChange` whenever resource `id` of project `projectId` may have changed (and once when
   * the stream is open), `onLost` when news cannot come (the stream could not be opened or broke).
   * Returns a function that stops following.
   */
  follow(projectId: string, id: string, onChange: () => void, onLost: () => void): () => void;
}

/** A pause that news of a change cuts short. */
const createWaker = () => {
  let poke: (() => void) | undefined;
  let pending = false;
  return {
    poke() {
      pending = true;
      poke?.();
    },
    async sleep(ms: number, signal: AbortSignal | undefined) {
      if (pending) {
        pending = false;
        return;
      }
      const woken = new Promise<void>((resolve) => (poke = resolve));
      const done = new AbortController();
      const linked = signal ? AbortSignal.any([signal, done.signal]) : done.signal;
      try {
        await Promise.race([pause(ms, linked), woken]);
      } catch (error) {
        if (signal?.aborted) throw error;
      } finally {
        poke = undefined;
        pending = false;
        done.abort();
      }
    },
  };
};

type ActionOutput = inferRouterOutputs<AppRouter>['actions']['get'];
type SystemActionOutput = inferRouterOutputs<AppRouter>['systemActions']['get'];

const kindOfPrefix = new Map<string, string>(Object.values(idKinds).map((k) => [k.prefix, k.label]));

/** "droplet dpl_…", from the id's prefix, since the client proxy cannot tell which resource it is. */
const describeRef = (ref: unknown): string => {
  const { id, projectId } = (ref ?? {}) as { id?: unknown; projectId?: unknown };
  const key = typeof id === 'string' ? id : typeof projectId === 'string' ? projectId : undefined;
  if (!key) return `resource ${JSON.stringify(ref)}`;
  const kind = kindOfPrefix.get(key.split('_')[0] ?? '') ?? 'resource';
  return `${kind} ${key}`;
};

/** The state (or status) last seen, with the sync error that explains it when there is one. */
const describeSeen = (item: unknown): string => {
  const { state, status, syncError, error } = (item ?? {}) as Record<string, unknown>;
  const seen = typeof state === 'string' ? state : typeof status === 'string' ? status : 'no state';
  const reason = typeof syncError === 'string' ? syncError : typeof error === 'string' ? error : undefined;
  return reason ? `${seen} (${reason})` : seen;
};

/** Failures worth another read rather than giving up: the server or the network hiccuped. */
const transient = (error: unknown) =>
  isUncloudError(error) && ['NETWORK_ERROR', 'TIMEOUT', 'UNAVAILABLE'].includes(error.code);

const pause = (ms: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(
        new UncloudError('ABORTED', 'Stopped waiting: the signal was aborted', { cause: signal?.reason }),
      );
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

const GONE = 'gone';

/**
 * Reads the resource until it is in `until` (a state, or a condition that returns true), or with
 * `'gone'` until it no longer exists, and returns what it read last. Network hiccups are retried;
 * any other error (NOT_FOUND while waiting for a state, say) ends the wait at once. Runs out with a
 * `TIMEOUT` error naming the resource, what it waited for and the state it saw last.
 */
export function waitFor<TRef, TItem>(
  resource: GettableResource<TRef, TItem>,
  ref: NoInfer<TRef>,
  until: 'gone',
  options?: WaitOptions,
): Promise<void>;
export function waitFor<TRef, TItem>(
  resource: GettableResource<TRef, TItem>,
  ref: NoInfer<TRef>,
  until: NoInfer<WaitCondition<TItem>>,
  options?: WaitOptions,
): Promise<TItem>;
export function waitFor<TRef, TItem>(
  resource: GettableResource<TRef, TItem>,
  ref: TRef,
  until: WaitCondition<TItem> | typeof GONE,
  options: WaitOptions = {},
): Promise<TItem | void> {
  return waitUntil(resource, ref, until, options);
}

/** `waitFor` with `defaults` under the caller's own options (the client's: its change stream). */
export const waitForWith = (defaults: WaitOptions): typeof waitFor => {
  function bound<TRef, TItem>(
    resource: GettableResource<TRef, TItem>,
    ref: NoInfer<TRef>,
    until: 'gone',
    options?: WaitOptions,
  ): Promise<void>;
  function bound<TRef, TItem>(
    resource: GettableResource<TRef, TItem>,
    ref: NoInfer<TRef>,
    until: NoInfer<WaitCondition<TItem>>,
    options?: WaitOptions,
  ): Promise<TItem>;
  function bound<TRef, TItem>(
    resource: GettableResource<TRef, TItem>,
    ref: TRef,
    until: WaitCondition<TItem> | typeof GONE,
    options: WaitOptions = {},
  ): Promise<TItem | void> {
    return waitUntil(resource, ref, until, { ...defaults, ...options });
  }
  return bound;
};

async function waitUntil<TRef, TItem>(
  resource: GettableResource<TRef, TItem>,
  ref: TRef,
  until: WaitCondition<TItem> | typeof GONE,
  options: WaitOptions,
): Promise<TItem | void> {
  const { timeoutMs = 300_000, intervalMs = 1_000, signal } = options;
  const deadline = Date.now() + timeoutMs;
  const goal =
    until === GONE
      ? 'to be gone'
      : typeof until === 'function'
        ? (options.description ?? `to satisfy ${until.name || 'the condition'}`)
        : `to be ${until}`;
  let seen = 'nothing yet';
  const waker = createWaker();
  const { id, projectId } = (ref ?? {}) as { id?: unknown; projectId?: unknown };
  let live = false;
  let stop: (() => void) | undefined;
  if (options.changes && typeof id === 'string' && typeof projectId === 'string') {
    live = true;
    stop = options.changes.follow(
      projectId,
      id,
      () => waker.poke(),
      () => {
        live = false;
        waker.poke();
      },
    );
  }
  try {
    return await readUntil();
  } finally {
    stop?.();
  }

  async function readUntil(): Promise<TItem | void> {
    for (;;) {
      if (signal?.aborted) {
        throw new UncloudError('ABORTED', `Stopped waiting for ${describeRef(ref)} ${goal}`, {
          cause: signal.reason,
        });
      }
      try {
        const item = await resource.get.query(ref, signal ? { signal } : undefined);
        seen = describeSeen(item);
        if (until !== GONE) {
          const done =
            typeof until === 'function'
              ? until(item)
              : (item as { state?: unknown }).state === until ||
                (item as { status?: unknown }).status === until;
          if (done) return item;
        }
      } catch (error) {
        if (until === GONE && isUncloudError(error, 'NOT_FOUND')) return;
        if (!transient(error)) throw error;
        seen = `an error: ${(error as Error).message}`;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new UncloudError(
          'TIMEOUT',
          `Timed out after ${timeoutMs} ms waiting for ${describeRef(ref)} ${goal}; last seen: ${seen}`,
        );
      }
      await waker.sleep(Math.min(live ? intervalMs * 10 : intervalMs, remaining), signal);
    }
  }
}

/**
 * Waits for an action (what `droplets.powerOff` and the other actions return) to finish: resolves
 * with it once `completed`, rejects with an `ACTION_ERRORED` error carrying it once `errored`.
 */
export const waitForAction = async (
  actions: GettableResource<{ projectId: string; id: string }, ActionOutput>,
  action: { projectId: string; id: string },
  options: WaitOptions = {},
): Promise<ActionOutput> => {
  const finished = await waitFor(
    actions,
    { projectId: action.projectId, id: action.id },
    (a) => a.status !== 'in-progress',
    { ...options, description: options.description ?? 'to finish' },
  );
  if (finished.status === 'errored') {
    throw new UncloudError(
      'ACTION_ERRORED',
      `${finished.type} of ${finished.resourceKind} ${finished.resourceId} failed: ${finished.error ?? 'no reason given'}`,
      { action: finished },
    );
  }
  return finished;
};

/**
 * `waitForAction` for a system action (a component's install, upgrade, repair or uninstall, whose
 * `projectId` is null): no project's change stream carries it, so it is read every `intervalMs`.
 */
export const waitForSystemAction = async (
  systemActions: GettableResource<{ id: string }, SystemActionOutput>,
  action: { id: string },
  options: WaitOptions = {},
): Promise<SystemActionOutput> => {
  const finished = await waitFor(systemActions, { id: action.id }, (a) => a.status !== 'in-progress', {
    ...options,
    changes: undefined,
    description: options.description ?? 'to finish',
  });
  if (finished.status === 'errored') {
    throw new UncloudError(
      'ACTION_ERRORED',
      `${finished.type} of component ${finished.resourceId} failed: ${finished.error ?? 'no reason given'}`,
      { action: finished },
    );
  }
  return finished;
};
