import { useQuery } from '@tanstack/react-query';
import { TriangleAlertIcon } from 'lucide-react';
import { Link } from 'react-router';
import { useWhoami } from '../../app/require-auth.tsx';
import { useTRPC } from '../../lib/trpc.ts';

const names: Record<string, string> = {
  kubevirt: 'KubeVirt',
  cdi: 'CDI',
  storage: 'a storage class',
  cnpg: 'CloudNativePG',
};

/** Shown while the cluster lacks what droplets, volumes or PostgreSQL databases need. */
export function ComponentsBanner() {
  const trpc = useTRPC();
  const whoami = useWhoami();
  const readiness = useQuery(trpc.components.readiness.queryOptions(undefined, { refetchInterval: 10_000 }));
  const missing = readiness.data?.missing ?? [];
  if (missing.length === 0) return null;
  const list = new Intl.ListFormat('en', { type: 'conjunction' }).format(missing.map((m) => names[m] ?? m));
  return (
    <div
      role="alert"
      data-testid="components-banner"
      className="flex items-start gap-3 rounded-lg border border-amber-500/50 bg-amber-50 p-4 text-sm text-amber-900"
    >
      <TriangleAlertIcon className="mt-0.5 size-4 shrink-0" aria-hidden />
      <p>
        The cluster is missing {list}: droplets, volumes or PostgreSQL databases that need{' '}
        {missing.length > 1 ? 'them' : 'it'} cannot be created yet.{' '}
        {whoami.data?.user.isAdmin ? (
          <Link to="/setup" className="font-medium underline">
            Set up the cluster
          </Link>
        ) : (
          'An administrator installs them on the Setup page.'
        )}
      </p>
    </div>
  );
}
