import type { Page } from '@uncloud/sdk';
import { ChevronLeftIcon, ChevronRightIcon, SearchIcon, Trash2Icon } from 'lucide-react';
import { useState } from 'react';
import type * as React from 'react';
import type { Refusal } from '../app/access.ts';
import type { CursorPager } from '../lib/use-list-controls.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { refusedProps } from './refusal-note.tsx';
import { EmptyState, ErrorState, LoadingRows } from './query-states.tsx';
import { Button } from './ui/button.tsx';
import { Card } from './ui/card.tsx';
import { Input } from './ui/input.tsx';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from './ui/table.tsx';

export interface Column<T> {
  header: string;
  cell: (row: T) => React.ReactNode;
  className?: string;
}

/** What the table needs from a list query (a TanStack `useQuery` result fits). */
export interface ListQuery<T> {
  data: Page<T> | undefined;
  isPending: boolean;
  isError: boolean;
  error: unknown;
  isFetching: boolean;
  refetch: () => unknown;
}

export interface ResourceTableProps<T extends { id: string; name: string; state?: string }> {
  /** The resource kind in the singular, lowercase: "droplet". */
  kind: string;
  /** Accessible name of the table: "Droplets". */
  label: string;
  query: ListQuery<T>;
  columns: Array<Column<T>>;
  /** Shown when the project has none of this kind yet (no filter applied). */
  empty: { icon?: React.ReactNode; title: string; body: React.ReactNode; action?: React.ReactNode };
  filter?: { value: string; onChange: (value: string) => void };
  pager?: CursorPager;
  /** Deletes a row after the user confirms; leaving it out hides the delete action. */
  onDelete?: (row: T) => Promise<unknown>;
  deleteWarning?: (row: T) => React.ReactNode;
  /** "Delete" unless the action has a better name ("Revoke"). */
  deleteVerb?: string;
  /**
   * Why the signed-in person may not delete these, or this row (their role); the page shows it in
   * a `RefusalNote`.
   */
  deleteRefusal?: Refusal | null | ((row: T) => Refusal | null);
  /** More per-row controls (a row's action menu), before its delete button. */
  rowActions?: (row: T) => React.ReactNode;
}

/** The one list of resources: loading, error, empty, rows with runtime facts, paging and delete. */
export function ResourceTable<T extends { id: string; name: string; state?: string }>({
  kind,
  label,
  query,
  columns,
  empty,
  filter,
  pager,
  onDelete,
  deleteWarning,
  deleteVerb = 'Delete',
  deleteRefusal,
  rowActions,
}: ResourceTableProps<T>) {
  const [doomed, setDoomed] = useState<T | null>(null);
  const items = query.data?.items ?? [];
  const filtered = Boolean(filter?.value) || Boolean(pager?.cursor);

  let body: React.ReactNode;
  if (query.isPending) body = <LoadingRows />;
  else if (query.isError)
    body = (
      <div className="p-4">
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      </div>
    );
  else if (items.length === 0 && !filtered)
    body = (
      <EmptyState icon={empty.icon} title={empty.title} action={empty.action}>
        {empty.body}
      </EmptyState>
    );
  else if (items.length === 0)
    body = (
      <p className="p-6 text-center text-sm text-muted-foreground">
        No {kind}s match “{filter?.value}”.
      </p>
    );
  else
    body = (
      <Table aria-label={label}>
        <TableHeader>
          <TableRow>
            {columns.map((c) => (
              <TableHead key={c.header} className={c.className}>
                {c.header}
              </TableHead>
            ))}
            {onDelete || rowActions ? (
              <TableHead className="w-24">
                <span className="sr-only">Actions</span>
              </TableHead>
            ) : null}
          </TableRow>
        </TableHeader>
        <TableBody>
          {items.map((row) => (
            <TableRow key={row.id} data-state={row.state}>
              {columns.map((c) => (
                <TableCell key={c.header} className={c.className}>
                  {c.cell(row)}
                </TableCell>
              ))}
              {onDelete || rowActions ? (
                <TableCell className="text-right whitespace-nowrap">
                  {rowActions?.(row)}
                  {onDelete ? (
                    <Button
                      variant="ghost"
                      size="icon"
                      aria-label={`${deleteVerb} ${kind} ${row.name}`}
                      disabled={row.state === 'deleting'}
                      {...refusedProps(
                        typeof deleteRefusal === 'function' ? deleteRefusal(row) : deleteRefusal,
                      )}
                      onClick={() => setDoomed(row)}
                    >
                      <Trash2Icon />
                    </Button>
                  ) : null}
                </TableCell>
              ) : null}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    );

  return (
    <Card className="overflow-hidden">
      {filter ? (
        <div className="flex items-center gap-2 border-b p-3">
          <label className="relative w-full max-w-xs">
            <span className="sr-only">Filter {kind}s by name</span>
            <SearchIcon
              className="pointer-events-none absolute top-2.5 left-2.5 size-4 text-muted-foreground"
              aria-hidden
            />
            <Input
              type="search"
              className="pl-8"
              placeholder="Filter by name"
              value={filter.value}
              onChange={(e) => filter.onChange(e.target.value)}
            />
          </label>
          {query.isFetching && !query.isPending ? (
            <span className="text-xs text-muted-foreground" aria-live="polite">
              Refreshing…
            </span>
          ) : null}
        </div>
      ) : null}
      {body}
      {pager && (pager.hasPrevious || query.data?.nextCursor) ? (
        <div className="flex items-center justify-end gap-2 border-t p-3">
          <Button variant="outline" size="sm" disabled={!pager.hasPrevious} onClick={pager.previous}>
            <ChevronLeftIcon aria-hidden /> Previous
          </Button>
          <Button
            variant="outline"
            size="sm"
            disabled={!query.data?.nextCursor}
            onClick={() => query.data?.nextCursor && pager.next(query.data.nextCursor)}
          >
            Next <ChevronRightIcon aria-hidden />
          </Button>
        </div>
      ) : null}
      {onDelete ? (
        <ConfirmDialog
          open={doomed !== null}
          onOpenChange={(open) => !open && setDoomed(null)}
          title={`${deleteVerb} ${kind} ${doomed?.name ?? ''}?`}
          description={
            (doomed && deleteWarning?.(doomed)) ??
            `The ${kind} and everything it holds will be removed. This cannot be undone.`
          }
          confirmLabel={`${deleteVerb} ${kind}`}
          onConfirm={() => (doomed ? onDelete(doomed) : Promise.resolve())}
        />
      ) : null}
    </Card>
  );
}
