import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ActivityIcon } from 'lucide-react';
import { lazy, Suspense, useState } from 'react';
import { Link } from 'react-router';
import { ErrorState } from '../../components/query-states.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '../../components/ui/card.tsx';
import { Skeleton } from '../../components/ui/skeleton.tsx';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table.tsx';
import { formatMemory } from '../../lib/format.ts';
import { detailPath, listPath } from '../../lib/resource-kinds.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { formatCpu, MAX_LINES, rankSeries, toChartRows } from './usage-series.ts';

export const usageWindows = [
  { minutes: 15, label: '15 min' },
  { minutes: 60, label: '1 hour' },
  { minutes: 360, label: '6 hours' },
  { minutes: 1440, label: '24 hours' },
] as const;

/** New samples arrive every few seconds; the charts follow without a reload. */
const REFRESH_MS = 10_000;

// Recharts is large; it is fetched when a chart is first shown rather than with the dashboard.
const UsageChart = lazy(() => import('./usage-chart.tsx').then((m) => ({ default: m.UsageChart })));

const formatMemoryValue = (mib: number) => formatMemory(Math.round(mib));

const lastSampled = (at: string) =>
  new Date(at).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });

/** CPU and memory of the project's droplets and apps over a chosen window. */
export function UsageCard({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const [minutes, setMinutes] = useState<number>(60);
  const usage = useQuery(
    trpc.usage.list.queryOptions(
      { projectId, minutes },
      { refetchInterval: REFRESH_MS, placeholderData: keepPreviousData },
    ),
  );
  const series = usage.data ?? [];
  const ranked = rankSeries(series);
  const drawn = ranked.filter((s) => s.color !== null);
  const drawnIds = new Set(drawn.map((s) => s.id));
  const sampled = ranked.filter((s) => s.latest !== null).length;

  let body;
  if (usage.isPending)
    body = (
      <div className="grid gap-4 lg:grid-cols-2" aria-busy="true">
        <span className="sr-only">Loading usage…</span>
        <Skeleton className="h-56" />
        <Skeleton className="h-56" />
      </div>
    );
  else if (usage.isError) body = <ErrorState error={usage.error} onRetry={() => void usage.refetch()} />;
  else if (series.length === 0)
    body = (
      <p className="py-10 text-center text-sm text-muted-foreground">
        CPU and memory appear here once the project runs a{' '}
        <Link
          className="text-primary underline-offset-4 hover:underline"
          to={listPath(projectId, 'droplets')}
        >
          droplet
        </Link>{' '}
        or an{' '}
        <Link className="text-primary underline-offset-4 hover:underline" to={listPath(projectId, 'apps')}>
          app
        </Link>
        .
      </p>
    );
  else
    body = (
      <div className="grid gap-6">
        {sampled === 0 ? (
          <p className="rounded-md bg-muted/60 p-3 text-sm text-muted-foreground" role="status">
            No samples in this window yet. Usage is measured every few seconds once a droplet or app is
            running.
          </p>
        ) : (
          <div className="grid gap-6 lg:grid-cols-2">
            <Suspense fallback={<Skeleton className="h-56 lg:col-span-2" />}>
              <UsageChart
                title="CPU"
                rows={toChartRows(series, drawnIds, 'cpuMillicores')}
                series={drawn}
                format={formatCpu}
              />
              <UsageChart
                title="Memory"
                rows={toChartRows(series, drawnIds, 'memoryMiB')}
                series={drawn}
                format={formatMemoryValue}
              />
            </Suspense>
          </div>
        )}
        <Table aria-label="Usage by resource">
          <TableHeader>
            <TableRow>
              <TableHead>Resource</TableHead>
              <TableHead>Kind</TableHead>
              <TableHead className="text-right">CPU now</TableHead>
              <TableHead className="text-right">Memory now</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {ranked.map((s) => (
              <TableRow key={s.id}>
                <TableCell>
                  <span className="flex items-center gap-2">
                    <span
                      aria-hidden
                      className="size-2.5 shrink-0 rounded-full border"
                      style={s.color ? { background: s.color, borderColor: s.color } : undefined}
                    />
                    <Link
                      className="font-medium underline-offset-4 hover:underline"
                      to={detailPath(projectId, s.kind === 'droplet' ? 'droplets' : 'apps', s.id)}
                    >
                      {s.name}
                    </Link>
                  </span>
                </TableCell>
                <TableCell className="text-muted-foreground">{s.kind}</TableCell>
                {s.current ? (
                  <>
                    <TableCell className="text-right tabular-nums" data-latest="cpu">
                      {formatCpu(s.current.cpuMillicores)}
                    </TableCell>
                    <TableCell className="text-right tabular-nums" data-latest="memory">
                      {formatMemoryValue(s.current.memoryMiB)}
                    </TableCell>
                  </>
                ) : s.latest ? (
                  <TableCell colSpan={2} className="text-right text-muted-foreground">
                    not running now · last sampled {lastSampled(s.latest.at)}
                  </TableCell>
                ) : (
                  <TableCell colSpan={2} className="text-right text-muted-foreground">
                    not sampled yet
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {sampled > MAX_LINES ? (
          <p className="text-xs text-muted-foreground">
            The charts draw the {MAX_LINES} busiest; the table lists all.
          </p>
        ) : null}
      </div>
    );

  return (
    <Card>
      <CardHeader className="flex-row flex-wrap items-center justify-between gap-3">
        <CardTitle className="flex items-center gap-2">
          <ActivityIcon className="size-4 text-muted-foreground" aria-hidden />
          Usage
        </CardTitle>
        <div role="group" aria-label="Time window" className="flex rounded-md border p-0.5">
          {usageWindows.map((w) => (
            <Button
              key={w.minutes}
              size="sm"
              variant={w.minutes === minutes ? 'default' : 'ghost'}
              className="h-7 px-2.5 text-xs"
              aria-pressed={w.minutes === minutes}
              onClick={() => setMinutes(w.minutes)}
            >
              {w.label}
            </Button>
          ))}
        </div>
      </CardHeader>
      <CardContent>{body}</CardContent>
    </Card>
  );
}
