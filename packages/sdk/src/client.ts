import { createTRPCClient, httpBatchLink, type TRPCClient } from '@trpc/client';
import type { AppRouter } from './contract/router.ts';
import { resolveConfig } from './client/config.ts';
import { uncloudErrorLink } from './client/errors.ts';
import { paginate } from './client/paginate.ts';
import { transportFetch } from './client/transport.ts';
import { waitFor, waitForAction, type WaitOptions } from './client/wait.ts';

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
  /** Polls `resource.get` until a state, a condition or `'gone'`: `await c.waitFor(c.droplets, ref, 'active')`. */
  waitFor: typeof waitFor;
  /** Polls an action until it completes (resolves) or errors (rejects with `ACTION_ERRORED`). */
  waitForAction(
    action: { projectId: string; id: string },
    options?: WaitOptions,
  ): ReturnType<typeof waitForAction>;
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
  const trpc = createTRPCClient<AppRouter>({
    links: [
      uncloudErrorLink({ url, timeoutMs }),
      httpBatchLink({
        url: `${url}/trpc`,
        maxItems: clientBatchSize,
        headers: () => ({ ...options.headers, authorization: `Bearer ${token}` }),
        fetch: transportFetch(fetchImpl, timeoutMs),
      }),
    ],
  });
  const helpers: UncloudHelpers = {
    paginate,
    waitFor,
    waitForAction: (action, waitOptions) => waitForAction(trpc.actions, action, waitOptions),
  };
  // The tRPC client is a proxy that answers every property with a procedure path, so the helpers
  // are served by a proxy in front of it.
  return new Proxy(trpc, {
    get: (target, key, receiver) =>
      Object.hasOwn(helpers, key) ? helpers[key as keyof UncloudHelpers] : Reflect.get(target, key, receiver),
  }) as UncloudClient;
};

export type { AppRouter };
