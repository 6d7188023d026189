import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from './contract/router.ts';

export interface UncloudClientOptions {
  /** Base URL of the Uncloud server, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** An API token; sent as `Authorization: Bearer <token>`. */
  token: string;
  /** A fetch implementation, for runtimes or tests that need their own. */
  fetch?: typeof globalThis.fetch;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
}

/** The typed Uncloud client: `client.droplets.list.query({ projectId })` and so on. */
export const createUncloudClient = (options: UncloudClientOptions) =>
  createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${options.url.replace(/\/+$/, '')}/trpc`,
        headers: () => ({ ...options.headers, authorization: `Bearer ${options.token}` }),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ],
  });

export type UncloudClient = ReturnType<typeof createUncloudClient>;
export type { AppRouter };
