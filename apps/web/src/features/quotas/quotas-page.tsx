import { useQuery } from '@tanstack/react-query';
import type { QuotaLimits } from '@uncloud/sdk';
import { useAccess } from '../../app/access.ts';
import { useProjectId } from '../../app/use-project.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { RefusalNote } from '../../components/refusal-note.tsx';
import { ErrorState, LoadingRows } from '../../components/query-states.tsx';
import { StateBadge } from '../../components/state-badge.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '../../components/ui/card.tsx';
import { Progress } from '../../components/ui/progress.tsx';
import { formatMemory } from '../../lib/format.ts';
import { pollWhileTransitional } from '../../lib/states.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { EditQuotaDialog } from './edit-quota-dialog.tsx';

const rows: Array<{ key: keyof QuotaLimits; label: string; format?: (n: number) => string }> = [
  { key: 'droplets', label: 'Droplets' },
  { key: 'vcpus', label: 'vCPUs' },
  { key: 'memoryMiB', label: 'Memory', format: formatMemory },
  { key: 'volumeGiB', label: 'Storage', format: (n) => `${n} GiB` },
  { key: 'apps', label: 'Apps' },
  { key: 'databases', label: 'Databases' },
  { key: 'loadBalancers', label: 'Load balancers' },
  { key: 'reservedIps', label: 'Reserved IPs' },
];

export function QuotasPage() {
  const projectId = useProjectId();
  const trpc = useTRPC();
  const refusal = useAccess(projectId).refusal('admin', { verb: 'change', object: 'quotas' });
  const quota = useQuery(
    trpc.quotas.get.queryOptions(
      { projectId },
      {
        refetchInterval: (q) =>
          pollWhileTransitional({ state: { data: q.state.data ? { items: [q.state.data] } : undefined } }),
      },
    ),
  );

  return (
    <>
      <PageHeader
        title="Quotas"
        description="What this project may use, and how much of it is taken, counted as Kubernetes counts it: the CPU and memory every pod asks for (a droplet's VM with KubeVirt's overhead, each app replica and the one a rollout adds, each database node) and the storage of volumes and database disks. Creating something beyond a limit is refused until the limit is raised."
        actions={
          quota.data ? (
            <>
              <StateBadge
                state={quota.data.state}
                syncState={quota.data.syncState}
                syncError={quota.data.syncError}
              />
              <EditQuotaDialog quota={quota.data} refusal={refusal} />
            </>
          ) : null
        }
      />
      {quota.isPending ? (
        <LoadingRows rows={6} />
      ) : quota.isError ? (
        <ErrorState error={quota.error} onRetry={() => void quota.refetch()} />
      ) : (
        <div className="grid gap-4">
          {refusal ? (
            <div className="rounded-md bg-muted/60 p-3">
              <RefusalNote refusals={[refusal]} />
              <p className="mt-1 pl-5 text-sm text-muted-foreground">
                Limits are set on the server, so that a project cannot raise its own.
              </p>
            </div>
          ) : null}
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {rows.map(({ key, label, format = String }) => {
              const used = quota.data.usage[key];
              const limit = quota.data[key];
              const inCluster = quota.data.clusterUsage?.[key];
              return (
                <Card key={key}>
                  <CardHeader>
                    <CardTitle>{label}</CardTitle>
                  </CardHeader>
                  <CardContent className="grid gap-2">
                    <p className="text-sm">
                      <span className="text-2xl font-semibold">{format(used)}</span>
                      <span className="text-muted-foreground"> of {format(limit)}</span>
                    </p>
                    <Progress value={used} max={limit} label={`${label} used`} />
                    {inCluster !== undefined ? (
                      <p className="text-xs text-muted-foreground">
                        {format(inCluster)} used in the cluster now
                      </p>
                    ) : null}
                    {used >= limit ? (
                      <p className="text-xs text-destructive">
                        Limit reached: new {label.toLowerCase()} will be refused.
                      </p>
                    ) : null}
                  </CardContent>
                </Card>
              );
            })}
          </div>
        </div>
      )}
    </>
  );
}
