import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import type * as React from 'react';
import { isUnauthorized } from '../lib/errors.ts';
import { session } from '../lib/session.ts';
import { createApiClient, TRPCProvider, type ApiClient } from '../lib/trpc.ts';

/** A token the server no longer accepts ends the session; the router then shows sign-in. */
const onError = (error: unknown) => {
  if (isUnauthorized(error)) session.clear();
};

export const createQueryClient = () =>
  new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        retry: (failureCount, error) => !isUnauthorized(error) && failureCount < 2,
      },
    },
  });

export function ApiProvider({
  children,
  client,
  queryClient,
}: {
  children: React.ReactNode;
  /** Tests pass their own; the app makes one that reads the session token. */
  client?: ApiClient;
  queryClient?: QueryClient;
}) {
  const [qc] = useState(() => queryClient ?? createQueryClient());
  const [trpcClient] = useState(() => client ?? createApiClient({ getToken: session.getToken }));
  return (
    <QueryClientProvider client={qc}>
      <TRPCProvider trpcClient={trpcClient} queryClient={qc}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
