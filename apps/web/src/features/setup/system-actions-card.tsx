import { useQuery } from '@tanstack/react-query';
import type { Component } from '@uncloud/sdk';
import { HistoryIcon } from 'lucide-react';
import { ActionStatusBadge } from '../../components/action-status.tsx';
import { EmptyState, ErrorState, LoadingRows } from '../../components/query-states.tsx';
import { Card, CardHeader, CardTitle } from '../../components/ui/card.tsx';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table.tsx';
import { actionWords } from '../../lib/action-labels.ts';
import { formatAge } from '../../lib/format.ts';
import { POLL_MS } from '../../lib/states.ts';
import { useTRPC } from '../../lib/trpc.ts';

/**
 * The components' installs, upgrades, repairs and uninstalls, newest first: system actions, with
 * their outcome and, for a failed one, why.
 */
export function SystemActionsCard({ components }: { components: readonly Component[] }) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.systemActions.list.queryOptions(
      { limit: 10 },
      {
        refetchInterval: (q) =>
          (q.state.data?.items ?? []).some((a) => a.status === 'in-progress') ? POLL_MS : false,
      },
    ),
  );
  const titleOf = (name: string) => components.find((c) => c.name === name)?.title ?? name;
  const items = query.data?.items ?? [];
  return (
    <Card className="overflow-hidden">
      <CardHeader>
        <CardTitle>Recent changes</CardTitle>
      </CardHeader>
      {query.isPending ? (
        <LoadingRows rows={2} />
      ) : query.isError ? (
        <div className="p-4">
          <ErrorState error={query.error} onRetry={() => void query.refetch()} />
        </div>
      ) : items.length === 0 ? (
        <EmptyState icon={<HistoryIcon />} title="No changes yet">
          Installs, upgrades, repairs and uninstalls appear here with their outcome.
        </EmptyState>
      ) : (
        <Table aria-label="Recent changes">
          <TableHeader>
            <TableRow>
              <TableHead>Change</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Started</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.map((a) => (
              <TableRow key={a.id} data-status={a.status}>
                <TableCell className="font-medium">
                  {`${actionWords(a.type).name} ${titleOf(a.resourceId)}`}
                  {typeof a.params.version === 'string' ? ` ${a.params.version}` : ''}
                </TableCell>
                <TableCell>
                  <ActionStatusBadge status={a.status} />
                  {a.error ? (
                    <p className="mt-1 max-w-md text-xs whitespace-normal text-destructive">{a.error}</p>
                  ) : null}
                </TableCell>
                <TableCell>
                  <time dateTime={a.startedAt}>{formatAge(a.startedAt)}</time>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Card>
  );
}
