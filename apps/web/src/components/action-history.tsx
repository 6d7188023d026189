import type { Action, Page } from '@uncloud/sdk';
import { HistoryIcon } from 'lucide-react';
import type * as React from 'react';
import { describeAction } from '../lib/action-labels.ts';
import { formatAge } from '../lib/format.ts';
import { ActionStatusBadge } from './action-status.tsx';
import { EmptyState, ErrorState, LoadingRows } from './query-states.tsx';
import { Card, CardHeader, CardTitle } from './ui/card.tsx';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from './ui/table.tsx';

export interface ActionsQuery {
  data: Page<Action> | undefined;
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
}

/** A column of an actions table: its heading and what each action shows under it. */
export interface ActionColumn {
  heading: string;
  cell: (action: Action) => React.ReactNode;
  className?: string;
}

/** What was asked: "Resize to s-2vcpu-4gb". */
export const actionColumn: ActionColumn = {
  heading: 'Action',
  cell: describeAction,
  className: 'font-medium',
};

/** Where the action stands and, for a failed one, why. */
export const statusColumn: ActionColumn = {
  heading: 'Status',
  cell: (a) => (
    <>
      <ActionStatusBadge status={a.status} />
      {a.error ? <p className="mt-1 max-w-md text-xs whitespace-normal text-destructive">{a.error}</p> : null}
    </>
  ),
};

const startedColumn: ActionColumn = {
  heading: 'Started',
  cell: (a) => <time dateTime={a.startedAt}>{formatAge(a.startedAt)}</time>,
};

const finishedColumn: ActionColumn = {
  heading: 'Finished',
  cell: (a) => (a.completedAt ? <time dateTime={a.completedAt}>{formatAge(a.completedAt)}</time> : '—'),
};

/**
 * A list of actions: loading, error (with retry), empty (`children` says what would
 * appear), or a table with the given columns.
 */
export function ActionsTable({
  query,
  columns,
  loadingRows = 2,
  children,
}: {
  query: ActionsQuery;
  columns: readonly ActionColumn[];
  loadingRows?: number;
  children: React.ReactNode;
}) {
  const items = query.data?.items ?? [];
  if (query.isPending) return <LoadingRows rows={loadingRows} />;
  if (query.isError)
    return (
      <div className="p-4">
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      </div>
    );
  if (items.length === 0)
    return (
      <EmptyState icon={<HistoryIcon />} title="No actions yet">
        {children}
      </EmptyState>
    );
  return (
    <Table aria-label="Recent actions">
      <TableHeader>
        <TableRow>
          {columns.map((c) => (
            <TableHead key={c.heading}>{c.heading}</TableHead>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody>
        {items.map((a) => (
          <TableRow key={a.id} data-status={a.status}>
            {columns.map((c) => (
              <TableCell key={c.heading} className={c.className}>
                {c.cell(a)}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** A resource's recent actions with their status and, for failed ones, why. */
export function ActionHistory({ query, noun }: { query: ActionsQuery; noun: string }) {
  return (
    <Card className="overflow-hidden">
      <CardHeader>
        <CardTitle>Recent actions</CardTitle>
      </CardHeader>
      <ActionsTable query={query} columns={[actionColumn, statusColumn, startedColumn, finishedColumn]}>
        Actions you start on this {noun} appear here with their progress.
      </ActionsTable>
    </Card>
  );
}
