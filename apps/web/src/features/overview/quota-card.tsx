import { useQuery } from '@tanstack/react-query';
import type { Quota, QuotaLimits } from '@uncloud/sdk';
import { GaugeIcon } from 'lucide-react';
import { Link } from 'react-router';
import { lazy, Suspense } from 'react';
import { ErrorState } from '../../components/query-states.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '../../components/ui/card.tsx';
import { Skeleton } from '../../components/ui/skeleton.tsx';
import { formatMemory } from '../../lib/format.ts';
import { useTRPC } from '../../lib/trpc.ts';

const dimensions: Array<{ key: keyof QuotaLimits; label: string; format: (n: number) => string }> = [
  { key: 'droplets', label: 'Droplets', format: String },
  { key: 'vcpus', label: 'vCPUs', format: String },
  { key: 'memoryMiB', label: 'Memory', format: formatMemory },
  { key: 'volumeGiB', label: 'Volumes', format: (n) => `${n} GiB` },
  { key: 'apps', label: 'Apps', format: String },
  { key: 'databases', label: 'Databases', format: String },
];

export interface QuotaRow {
  label: string;
  used: string;
  limit: string;
  /** Share of the limit taken, 0–100 (a limit of 0 with nothing used is 0 %, with something used 100 %). */
  percent: number;
  /** The rest of the bar, up to 100. */
  free: number;
  /** "3 / 25", beside the bar. */
  figures: string;
}

export const quotaRows = (quota: Quota): QuotaRow[] =>
  dimensions.map(({ key, label, format }) => {
    const used = quota.usage[key];
    const limit = quota[key];
    const percent = limit > 0 ? Math.min(100, (used / limit) * 100) : used > 0 ? 100 : 0;
    const rounded = Math.round(percent);
    return {
      label,
      used: format(used),
      limit: format(limit),
      percent: rounded,
      free: 100 - rounded,
      figures: `${format(used)} / ${format(limit)}`,
    };
  });

// Recharts is large; it is fetched when a chart is first shown rather than with the dashboard.
const QuotaChart = lazy(() => import('./quota-chart.tsx').then((m) => ({ default: m.QuotaChart })));

/** How much of each limit the project takes, as bars against 100 %. */
export function QuotaCard({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const quota = useQuery(trpc.quotas.get.queryOptions({ projectId }, { refetchInterval: 15_000 }));
  const rows = quota.data ? quotaRows(quota.data) : [];
  const full = rows.filter((r) => r.percent >= 100);

  return (
    <Card>
      <CardHeader className="flex-row items-center justify-between">
        <CardTitle className="flex items-center gap-2">
          <GaugeIcon className="size-4 text-muted-foreground" aria-hidden />
          Quota
        </CardTitle>
        <Link
          className="text-sm text-primary underline-offset-4 hover:underline"
          to={`/p/${projectId}/quotas`}
        >
          Details
        </Link>
      </CardHeader>
      <CardContent className="grid gap-3">
        {quota.isPending ? (
          <Skeleton className="h-52" aria-busy="true" />
        ) : quota.isError ? (
          <ErrorState error={quota.error} onRetry={() => void quota.refetch()} />
        ) : (
          <>
            <div className="h-52" aria-hidden>
              <Suspense fallback={<Skeleton className="h-full" />}>
                <QuotaChart rows={rows} />
              </Suspense>
            </div>
            <table className="sr-only" aria-label="Quota usage">
              <thead>
                <tr>
                  <th>Resource</th>
                  <th>Used</th>
                  <th>Limit</th>
                  <th>Share</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.label}>
                    <td>{r.label}</td>
                    <td>{r.used}</td>
                    <td>{r.limit}</td>
                    <td>{r.percent} %</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {full.length > 0 ? (
              <p className="text-xs text-destructive">
                Limit reached for {full.map((r) => r.label.toLowerCase()).join(', ')}: new ones are refused
                until the quota is raised.
              </p>
            ) : null}
          </>
        )}
      </CardContent>
    </Card>
  );
}
