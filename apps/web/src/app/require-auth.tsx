import { useQuery } from '@tanstack/react-query';
import type * as React from 'react';
import { Navigate, useLocation } from 'react-router';
import { ErrorState } from '../components/query-states.tsx';
import { useTRPC } from '../lib/trpc.ts';
import { useToken } from './use-session.ts';

export const useWhoami = () => {
  const trpc = useTRPC();
  return useQuery(trpc.auth.whoami.queryOptions(undefined, { staleTime: 30_000 }));
};

/** Pages behind sign-in: without a token, or once the server rejects it, the user signs in again. */
export function RequireAuth({ children }: { children: React.ReactNode }) {
  const token = useToken();
  const location = useLocation();
  if (!token) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  return <WhoamiGate>{children}</WhoamiGate>;
}

function WhoamiGate({ children }: { children: React.ReactNode }) {
  const whoami = useWhoami();
  if (whoami.isPending)
    return (
      <div
        className="flex min-h-screen items-center justify-center text-sm text-muted-foreground"
        aria-busy="true"
      >
        Loading your projects…
      </div>
    );
  if (whoami.isError)
    return (
      <div className="mx-auto max-w-lg p-8">
        <ErrorState error={whoami.error} onRetry={() => void whoami.refetch()} />
      </div>
    );
  return children;
}
