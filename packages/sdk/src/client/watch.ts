import type { TRPCClient } from '@trpc/client';
import type { AppRouter } from '../contract/router.ts';
import type { ProjectEvent, WatchEventsInput } from '../schemas/index.ts';
import type { ChangeSource } from './wait.ts';

/** One event of a project's change stream, with its id (what `lastEventId` resumes after). */
export interface WatchedEvent {
  id: string;
  event: ProjectEvent;
}

export interface WatchOptions {
  /** Ends the stream (the loop over it returns). */
  signal?: AbortSignal | undefined;
}

type Events = TRPCClient<AppRouter>['events'];

/**
 * A project's changes as they happen: `for await (const { id, event } of c.watch({ projectId }))`.
 * The stream reconnects by itself after a network failure and resumes after the last event; an
 * event of type `resync` says that changes were missed and everything should be read again. The
 * loop throws the server's refusal (NOT_FOUND for a project the caller cannot see, UNAUTHORIZED
 * once the token stops working) and ends when `signal` aborts or the server shuts down.
 */
export async function* watch(
  events: Events,
  input: WatchEventsInput,
  options: WatchOptions = {},
): AsyncGenerator<WatchedEvent, void, undefined> {
  const queue: WatchedEvent[] = [];
  let failure: { error: unknown } | undefined;
  let done = false;
  let wake: (() => void) | undefined;
  const poke = () => wake?.();
  const subscription = events.watch.subscribe(input, {
    ...(options.signal ? { signal: options.signal } : {}),
    onData: ({ id, data }) => {
      queue.push({ id, event: data });
      poke();
    },
    onError: (error) => {
      failure = { error };
      poke();
    },
    onComplete: () => {
      done = true;
      poke();
    },
  });
  const onAbort = () => {
    done = true;
    poke();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      const next = queue.shift();
      if (next) {
        yield next;
        continue;
      }
      if (failure) throw failure.error;
      if (done || options.signal?.aborted) return;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    subscription.unsubscribe();
  }
}

/**
 * News for `waitFor` from the change stream: one stream per wait, following one resource (an
 * action's id for `waitForAction`). Anything that keeps the stream from working hands the wait back
 * to reading at its interval.
 */
export const streamChanges = (events: Events): ChangeSource => ({
  follow(projectId, id, onChange, onLost) {
    let opened = false;
    const subscription = events.watch.subscribe(
      { projectId },
      {
        onData: ({ data }) => {
          if (data.type === 'resync' || (data.type === 'change' && data.id === id)) onChange();
          else if (data.type === 'heartbeat' && !opened) onChange();
          opened = true;
        },
        onError: () => onLost(),
        onComplete: () => onLost(),
      },
    );
    return () => subscription.unsubscribe();
  },
});
