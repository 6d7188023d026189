import { useQuery } from '@tanstack/react-query';
import type { SyncStatus } from '@uncloud/sdk';
import { CircleAlertIcon, CircleCheckIcon, RefreshCcwIcon } from 'lucide-react';
import type * as React from 'react';
import { useAccess } from '../../app/access.ts';
import { Time } from '../../components/facts.tsx';
import { ErrorState } from '../../components/query-states.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '../../components/ui/card.tsx';
import { Skeleton } from '../../components/ui/skeleton.tsx';
import { useTRPC } from '../../lib/trpc.ts';
import { cn } from '../../lib/utils.ts';

const REFRESH_MS = 5_000;

export const clusterModeWords: Record<SyncStatus['clusterMode'], { name: string; detail: string }> = {
  simulated: {
    name: 'Simulated',
    detail: 'The embedded simulated cluster: resources behave as on Kubernetes, nothing really runs.',
  },
  external: { name: 'Real cluster', detail: 'A Kubernetes cluster from KUBECONFIG.' },
  none: { name: 'No cluster', detail: 'Intent only: changes are stored and nothing is reconciled.' },
};

function Stat({ label, value, warn = false }: { label: string; value: React.ReactNode; warn?: boolean }) {
  return (
    <div className="contents">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className={cn('text-right tabular-nums', warn && 'font-medium text-destructive')}>{value}</dd>
    </div>
  );
}

function Health({ status }: { status: SyncStatus }) {
  const mode = clusterModeWords[status.clusterMode];
  const healthy = status.reachable && status.clusterMode !== 'none';
  return (
    <div className="grid gap-4">
      <div className="flex items-start gap-3">
        {healthy ? (
          <CircleCheckIcon className="mt-0.5 size-5 shrink-0 text-emerald-600" aria-hidden />
        ) : (
          <CircleAlertIcon className="mt-0.5 size-5 shrink-0 text-destructive" aria-hidden />
        )}
        <div>
          <p className="font-medium" data-reachable={status.reachable}>
            {status.clusterMode === 'none'
              ? 'No cluster configured'
              : status.reachable
                ? 'Cluster reachable'
                : 'Cluster unreachable'}
          </p>
          <p className="text-xs text-muted-foreground">
            {status.reachable || status.clusterMode === 'none'
              ? mode.detail
              : 'Changes are kept and applied when the cluster answers again; what the dashboard shows may be out of date.'}
          </p>
        </div>
      </div>
      <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1.5 text-sm">
        <Stat label="Cluster" value={<span data-cluster-mode={status.clusterMode}>{mode.name}</span>} />
        <Stat label="Last resync" value={<Time iso={status.lastResyncAt} />} />
        {status.lastResyncMs !== null ? (
          <Stat label="Resync took" value={`${Math.round(status.lastResyncMs)} ms`} />
        ) : null}
        {status.resyncIntervalMs !== null ? (
          <Stat label="Resync every" value={`${Math.round(status.resyncIntervalMs / 1000)} s`} />
        ) : null}
        <Stat label="Queue depth" value={status.queueDepth} />
        <Stat label="In flight" value={status.inFlight} />
        <Stat label="Reconciles" value={status.reconciles} />
        <Stat label="Errors" value={status.errors} warn={status.errors > 0} />
        <Stat label="Drift corrected" value={status.driftCorrected} />
        {status.healthChecksUnanswered ? (
          <Stat
            label="Load balancer health checks"
            value="no target answers: check this server's network to the cluster's pods"
            warn
          />
        ) : null}
        <Stat label="This server reconciles" value={status.leader ? 'yes' : 'no (another replica leads)'} />
      </dl>
    </div>
  );
}

function AdminHealth() {
  const trpc = useTRPC();
  const status = useQuery(trpc.sync.status.queryOptions(undefined, { refetchInterval: REFRESH_MS }));
  if (status.isPending) return <Skeleton className="h-48" aria-busy="true" />;
  if (status.isError) return <ErrorState error={status.error} onRetry={() => void status.refetch()} />;
  return <Health status={status.data} />;
}

/**
 * The sync engine's health and the kind of cluster behind it. `sync.status` is for administrators;
 * everyone else is told so instead of being shown an error.
 */
export function SyncHealthCard() {
  const refusal = useAccess().refusal('admin', { verb: 'see', object: 'sync health', read: true });
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <RefreshCcwIcon className="size-4 text-muted-foreground" aria-hidden />
          Sync health
        </CardTitle>
      </CardHeader>
      <CardContent>
        {refusal === null ? (
          <AdminHealth />
        ) : (
          <p className="text-sm text-muted-foreground">
            {refusal.because === 'notAdmin'
              ? "The sync engine's health and the cluster's details are shown to administrators."
              : refusal.text}{' '}
            Each resource still shows whether it is in sync with the cluster.
          </p>
        )}
      </CardContent>
    </Card>
  );
}
