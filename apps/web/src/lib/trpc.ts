import { type AppRouter, clientBatchSize, uncloudErrorLink } from '@uncloud/sdk';
import { createTRPCClient, httpBatchLink, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import { createTRPCContext } from '@trpc/tanstack-react-query';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export interface ApiClientOptions {
  /** The session's token; read on every request so that signing in and out takes effect at once. */
  getToken: () => string | null;
  /** Where the API lives; the dashboard is served by the API itself, so the default is this origin. */
  url?: string;
  fetch?: typeof globalThis.fetch;
}

const bearer = (token: string | null | undefined): Record<string, string> =>
  token ? { authorization: `Bearer ${token}` } : {};

/** A call made with `{ context: { token } }` uses that token instead of the session's (sign-in checks one). */
const explicitToken = (context: Record<string, unknown>) =>
  typeof context.token === 'string' ? context.token : undefined;

/** The one place the dashboard talks to the API. */
export const createApiClient = ({ getToken, url = '/trpc', fetch }: ApiClientOptions) =>
  createTRPCClient<AppRouter>({
    links: [
      // Every failure becomes the SDK's UncloudError, so the dashboard and scripts read errors alike.
      uncloudErrorLink({ url }),
      splitLink({
        // The project's change stream: server-sent events through an EventSource that can send the
        // session's token as a header (the browser's own cannot).
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input, init) =>
              (fetch ?? globalThis.fetch)(input, {
                ...init,
                headers: { ...init?.headers, ...bearer(getToken()) },
              }),
          }),
        }),
        false: splitLink({
          condition: (op) => explicitToken(op.context) !== undefined,
          true: httpLink({
            url,
            headers: ({ op }) => bearer(explicitToken(op.context)),
            ...(fetch ? { fetch } : {}),
          }),
          false: httpBatchLink({
            url,
            maxItems: clientBatchSize,
            headers: () => bearer(getToken()),
            ...(fetch ? { fetch } : {}),
          }),
        }),
      }),
    ],
  });

export type ApiClient = ReturnType<typeof createApiClient>;
