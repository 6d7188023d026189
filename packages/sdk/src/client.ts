import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
} from '@trpc/client';
import { EventSource } from 'eventsource';
import type { AppRouter } from './contract/router.ts';
import { resolveConfig } from './client/config.ts';
import { uncloudErrorLink } from './client/errors.ts';
import { paginate } from './client/paginate.ts';
import { transportFetch } from './client/transport.ts';
import {
  type waitFor,
  waitForAction,
  waitForSystemAction,
  waitForWith,
  type WaitOptions,
} from './client/wait.ts';
import { streamChanges, watch, type WatchOptions, type WatchedEvent } from './client/watch.ts';
import type { WatchEventsInput } from './schemas/index.ts';

/**
 * Most calls the SDK (and the dashboard) put in one batched request. Servers accept at least this
 * many (`UNCLOUD_MAX_BATCH_SIZE` cannot go lower); more calls at once travel in several requests.
 */
export const clientBatchSize = 20;

export interface UncloudClientOptions {
  /** Base URL of the Uncloud server, e.g. `http://127.0.0.1:8080`. Default: `UNCLOUD_URL`. */
  url?: string | undefined;
  /** An API token, sent as `Authorization: Bearer <token>`. Default: `UNCLOUD_TOKEN`. */
  token?: string | undefined;
  /** A fetch implementation, for runtimes or tests that need their own. Default: the global one. */
  fetch?: typeof globalThis.fetch | undefined;
  /** Extra headers on every request. */
  headers?: Record<string, string> | undefined;
  /** How long one HTTP request may take before it fails with `TIMEOUT` (default 30 000 ms). */
  timeoutMs?: number | undefined;
}

/** Helpers on top of the procedures; see `paginate`, `waitFor` and `waitForAction`. */
export interface UncloudHelpers {
  /** Every item of a list, following cursors: `for await (const d of c.paginate(c.droplets.list, { projectId }))`. */
  paginate: typeof paginate;
  /**
   * Reads `resource.get` until a state, a condition or `'gone'`: `await c.waitFor(c.droplets, ref, 'active')`.
   * It reads again as soon as the project's change stream says the resource changed, and falls back
   * to reading every `intervalMs` where the stream cannot be opened.
   */
  waitFor: typeof waitFor;
  /**
   * Waits for an action to complete (resolves) or error (rejects with `ACTION_ERRORED`), as `waitFor`
   * does: a project's action, or a system action (`projectId: null`, a component's install, …).
   */
  waitForAction(
    action: { projectId: string; id: string },
    options?: WaitOptions,
  ): ReturnType<typeof waitForAction>;
  waitForAction(
    action: { projectId: null; id: string },
    options?: WaitOptions,
  ): ReturnType<typeof waitForSystemAction>;
  /** A project's changes as they happen: `for await (const { id, event } of c.watch({ projectId }))`. */
  watch(input: WatchEventsInput, options?: WatchOptions): AsyncGenerator<WatchedEvent, void, undefined>;
}

/** The typed Uncloud client: `client.droplets.list.query({ projectId })` and so on, plus the helpers. */
export type UncloudClient = TRPCClient<AppRouter> & UncloudHelpers;

// Helper names must never shadow a router; this fails to compile if one ever does.
type Clash = keyof UncloudHelpers & keyof AppRouter['_def']['record'];
const noClash: [Clash] extends [never] ? true : never = true;
void noClash;

/**
 * A client for an Uncloud server. Every call that fails throws an `UncloudError` with the server's
 * `code` and, for invalid input, `fieldErrors`.
 */
export const createUncloudClient = (options: UncloudClientOptions = {}): UncloudClient => {
  const { url, token } = resolveConfig(options);
  const timeoutMs = options.timeoutMs ?? 30_000;
  // Looked up per request, so that a fetch installed after the client was made is still used.
  const fetchImpl = () => options.fetch ?? globalThis.fetch;
  const headers = () => ({ ...options.headers, authorization: `Bearer ${token}` });
  const trpc = createTRPCClient<AppRouter>({
    links: [
      uncloudErrorLink({ url, timeoutMs }),
      splitLink({
        condition: (op) => op.type === 'subscription',
        // Server-sent events, through an EventSource that can send the token as a header (neither
        // browsers' own nor Node 20 can), over the same fetch as every other call.
        true: httpSubscriptionLink({
          url: `${url}/trpc`,
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input, init) =>
              fetchImpl()(input, { ...init, headers: { ...init?.headers, ...headers() } }),
          }),
        }),
        false: httpBatchLink({
          url: `${url}/trpc`,
          maxItems: clientBatchSize,
          headers,
          fetch: transportFetch(fetchImpl, timeoutMs),
        }),
      }),
    ],
  });
  const changes = streamChanges(trpc.events);
  const helpers: UncloudHelpers = {
    paginate,
    waitFor: waitForWith({ changes }),
    waitForAction: ((action: { projectId: string | null; id: string }, waitOptions?: WaitOptions) =>
      action.projectId === null
        ? waitForSystemAction(trpc.systemActions, action, waitOptions)
        : waitForAction(
            trpc.actions,
            { projectId: action.projectId, id: action.id },
            { changes, ...waitOptions },
          )) as UncloudHelpers['waitForAction'],
    watch: (input, watchOptions) => watch(trpc.events, input, watchOptions),
  };
  // The tRPC client is a proxy that answers every property with a procedure path, so the helpers
  // are served by a proxy in front of it.
  return new Proxy(trpc, {
    get: (target, key, receiver) =>
      Object.hasOwn(helpers, key) ? helpers[key as keyof UncloudHelpers] : Reflect.get(target, key, receiver),
  }) as UncloudClient;
};

export type { AppRouter };
