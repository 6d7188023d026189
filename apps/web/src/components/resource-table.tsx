import type { Page } from '@uncloud/sdk';
import {
  ArrowDownIcon,
  ArrowUpDownIcon,
  ArrowUpIcon,
  ChevronLeftIcon,
  ChevronRightIcon,
  SearchIcon,
  Trash2Icon,
} from 'lucide-react';
import { useState } from 'react';
import type * as React from 'react';
import type { Refusal } from '../app/access.ts';
import type { CursorPager, ListFacet, ListSort, SortKey } from '../lib/use-list-controls.ts';
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
  /** The list can be ordered by this column (the server sorts, so every page follows it). */
  sort?: SortKey;
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

/** Filters beyond the name: by state (among `states`) and by tag. */
export interface ListFacets {
  state?: ListFacet & { states: readonly string[] };
  tag?: ListFacet;
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
  facets?: ListFacets;
  sort?: ListSort;
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
  /** Rows can be selected and deleted together. */
  bulkDelete?: boolean;
  /** The name must be typed to confirm a delete (what holds data: projects, databases, volumes). */
  typedDelete?: boolean;
  /** More per-row controls (a row's action menu), before its delete button. */
  rowActions?: (row: T) => React.ReactNode;
}

/**
 * Below the `md` breakpoint the table turns into one card per row: cells stack with their column's
 * name beside them, and the row's actions sit at the card's foot instead of off screen. The roles
 * keep it a table for assistive technology whatever the display.
 */
const card = {
  table: 'max-md:block',
  body: 'max-md:block max-md:space-y-3 max-md:p-3',
  row: 'max-md:block max-md:rounded-lg max-md:border max-md:p-3 max-md:last:border',
  cell: 'max-md:flex max-md:items-start max-md:justify-between max-md:gap-4 max-md:px-0 max-md:py-1 max-md:text-right max-md:before:shrink-0 max-md:before:text-left max-md:before:text-xs max-md:before:text-muted-foreground max-md:before:content-[attr(data-label)]',
  actions: 'max-md:flex max-md:justify-end max-md:gap-1 max-md:border-t max-md:pt-2 max-md:mt-1',
};

/**
 * The one list of resources: loading, error, empty, search and filters, sortable columns, rows
 * (cards on a phone), totals and paging, and delete, one at a time or of the selected rows.
 */
export function ResourceTable<T extends { id: string; name: string; state?: string }>({
  kind,
  label,
  query,
  columns,
  empty,
  filter,
  facets,
  sort,
  pager,
  onDelete,
  deleteWarning,
  deleteVerb = 'Delete',
  deleteRefusal,
  bulkDelete = false,
  typedDelete = false,
  rowActions,
}: ResourceTableProps<T>) {
  const [doomed, setDoomed] = useState<T | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [bulkOpen, setBulkOpen] = useState(false);
  const items = query.data?.items ?? [];
  const facetSet = Boolean(facets?.state?.value) || Boolean(facets?.tag?.value);
  const filtered = Boolean(filter?.value) || Boolean(pager?.cursor) || facetSet;
  const refusalOf = (row: T) => (typeof deleteRefusal === 'function' ? deleteRefusal(row) : deleteRefusal);
  const selectable = (row: T) => row.state !== 'deleting' && !refusalOf(row);
  const bulk = Boolean(onDelete) && bulkDelete;
  // Only rows still shown count: a row deleted meanwhile, or on another page, is not deleted by mistake.
  const chosen = items.filter((row) => selected.has(row.id) && selectable(row));
  const allChosen = chosen.length > 0 && chosen.length === items.filter(selectable).length;
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const plural = `${kind}s`;
  const sortable = columns.filter((c) => c.sort);

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
      <div className="flex flex-col items-center gap-2 p-6 text-center text-sm text-muted-foreground">
        <p>
          {filter?.value && !facetSet
            ? `No ${plural} match “${filter.value}”.`
            : `No ${plural} match these filters.`}
        </p>
        {facetSet || filter?.value ? (
          <Button
            variant="outline"
            size="sm"
            onClick={() => {
              filter?.onChange('');
              facets?.state?.onChange('');
              facets?.tag?.onChange('');
            }}
          >
            Clear filters
          </Button>
        ) : null}
      </div>
    );
  else
    body = (
      <Table aria-label={label} role="table" className={card.table}>
        <TableHeader role="rowgroup" className="max-md:sr-only">
          <TableRow role="row">
            {bulk ? (
              <TableHead role="columnheader" className="w-8">
                <input
                  type="checkbox"
                  className="size-4 accent-primary"
                  aria-label={`Select every ${kind} on this page`}
                  checked={allChosen}
                  onChange={() =>
                    setSelected(allChosen ? new Set() : new Set(items.filter(selectable).map((r) => r.id)))
                  }
                />
              </TableHead>
            ) : null}
            {columns.map((c) => (
              <TableHead
                key={c.header}
                role="columnheader"
                className={c.className}
                aria-sort={
                  sort && c.sort && sort.key === c.sort
                    ? sort.order === 'asc'
                      ? 'ascending'
                      : 'descending'
                    : undefined
                }
              >
                {sort && c.sort ? <SortButton column={c.header} sortKey={c.sort} sort={sort} /> : c.header}
              </TableHead>
            ))}
            {onDelete || rowActions ? (
              <TableHead role="columnheader" className="w-24">
                <span className="sr-only">Actions</span>
              </TableHead>
            ) : null}
          </TableRow>
        </TableHeader>
        <TableBody role="rowgroup" className={card.body}>
          {items.map((row) => (
            <TableRow key={row.id} role="row" data-state={row.state} className={card.row}>
              {bulk ? (
                <TableCell role="cell" className="max-md:float-right max-md:p-0">
                  <input
                    type="checkbox"
                    className="size-4 accent-primary"
                    aria-label={`Select ${kind} ${row.name}`}
                    disabled={!selectable(row)}
                    checked={selected.has(row.id) && selectable(row)}
                    onChange={() => toggle(row.id)}
                  />
                </TableCell>
              ) : null}
              {columns.map((c, i) => (
                <TableCell
                  key={c.header}
                  role="cell"
                  data-label={i === 0 ? '' : c.header}
                  className={`${c.className ?? ''} ${i === 0 ? 'max-md:block max-md:px-0 max-md:pb-1' : card.cell}`}
                >
                  {c.cell(row)}
                </TableCell>
              ))}
              {onDelete || rowActions ? (
                <TableCell role="cell" className={`text-right whitespace-nowrap ${card.actions}`}>
                  {rowActions?.(row)}
                  {onDelete ? (
                    <Button
                      variant="ghost"
                      size="icon"
                      aria-label={`${deleteVerb} ${kind} ${row.name}`}
                      disabled={row.state === 'deleting'}
                      {...refusedProps(refusalOf(row))}
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

  const total = query.data?.total;
  const shown = items.length;
  const first = pager?.firstRow ?? 1;
  return (
    <Card className="overflow-hidden">
      {filter || facets ? (
        <div className="flex flex-wrap items-center gap-2 border-b p-3">
          {filter ? (
            <label className="relative w-full sm:max-w-xs">
              <span className="sr-only">Search {plural} by name</span>
              <SearchIcon
                className="pointer-events-none absolute top-2.5 left-2.5 size-4 text-muted-foreground"
                aria-hidden
              />
              <Input
                type="search"
                className="pl-8"
                placeholder="Search by name"
                value={filter.value}
                onChange={(e) => filter.onChange(e.target.value)}
              />
            </label>
          ) : null}
          {facets?.state ? (
            <label className="flex items-center gap-2 text-sm">
              <span className="sr-only">State</span>
              <select
                className="h-9 rounded-md border border-input bg-transparent px-2 text-sm"
                value={facets.state.value}
                onChange={(e) => facets.state!.onChange(e.target.value)}
              >
                <option value="">All states</option>
                {facets.state.states.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          {facets?.tag ? (
            <label className="w-36">
              <span className="sr-only">Tag</span>
              <Input
                type="search"
                placeholder="Tag"
                value={facets.tag.value}
                onChange={(e) => facets.tag!.onChange(e.target.value)}
              />
            </label>
          ) : null}
          {sort && sortable.length > 0 ? (
            // On a phone the rows are cards without column headers: the order is picked here.
            <label className="flex items-center gap-2 text-sm md:hidden">
              <span className="sr-only">Sort by</span>
              <select
                className="h-9 rounded-md border border-input bg-transparent px-2 text-sm"
                value={`${sort.key}:${sort.order}`}
                onChange={(e) => {
                  const [key, order] = e.target.value.split(':');
                  sort.set(key!, order === 'desc' ? 'desc' : 'asc');
                }}
              >
                {sortable.flatMap((c) =>
                  (['asc', 'desc'] as const).map((order) => (
                    <option key={`${c.sort}:${order}`} value={`${c.sort}:${order}`}>
                      {c.header}, {order === 'asc' ? 'ascending' : 'descending'}
                    </option>
                  )),
                )}
              </select>
            </label>
          ) : null}
          {query.isFetching && !query.isPending ? (
            <span className="text-xs text-muted-foreground" aria-live="polite">
              Refreshing…
            </span>
          ) : null}
        </div>
      ) : null}
      {bulk && chosen.length > 0 ? (
        <div
          className="flex flex-wrap items-center gap-3 border-b bg-muted/40 px-3 py-2 text-sm"
          role="region"
          aria-label="Selection"
        >
          <span>
            {chosen.length} {chosen.length === 1 ? kind : plural} selected
          </span>
          <Button variant="destructive" size="sm" onClick={() => setBulkOpen(true)}>
            <Trash2Icon aria-hidden /> {deleteVerb} {chosen.length} {chosen.length === 1 ? kind : plural}
          </Button>
          <Button variant="ghost" size="sm" onClick={() => setSelected(new Set())}>
            Clear selection
          </Button>
        </div>
      ) : null}
      {body}
      {shown > 0 || (pager && (pager.hasPrevious || query.data?.nextCursor)) ? (
        <div className="flex flex-wrap items-center justify-between gap-2 border-t p-3">
          <p className="text-xs text-muted-foreground" aria-live="polite">
            {shown > 0 ? `${first}–${first + shown - 1}${total !== undefined ? ` of ${total}` : ''}` : ''}
          </p>
          {pager && (pager.hasPrevious || query.data?.nextCursor) ? (
            <div className="flex items-center gap-2">
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
          typeToConfirm={typedDelete ? doomed?.name : undefined}
          onConfirm={() => (doomed ? onDelete(doomed) : Promise.resolve())}
        />
      ) : null}
      {onDelete && bulk ? (
        <ConfirmDialog
          open={bulkOpen}
          onOpenChange={setBulkOpen}
          title={`${deleteVerb} ${chosen.length} ${chosen.length === 1 ? kind : plural}?`}
          description={
            <>
              {chosen.map((r) => r.name).join(', ')}: each is removed with everything it holds. This cannot be
              undone.
            </>
          }
          confirmLabel={`${deleteVerb} ${chosen.length} ${chosen.length === 1 ? kind : plural}`}
          typeToConfirm={typedDelete ? `${chosen.length} ${chosen.length === 1 ? kind : plural}` : undefined}
          onConfirm={async () => {
            // Each delete stands alone: those that fail are named, the others are done.
            const results = await Promise.allSettled(chosen.map((row) => onDelete(row)));
            const failed = chosen.filter((_, i) => results[i]?.status === 'rejected');
            setSelected(new Set(failed.map((r) => r.id)));
            const firstFailure = results.find((r) => r.status === 'rejected');
            if (firstFailure) throw (firstFailure as PromiseRejectedResult).reason;
          }}
        />
      ) : null}
    </Card>
  );
}

function SortButton({ column, sortKey, sort }: { column: string; sortKey: SortKey; sort: ListSort }) {
  const active = sort.key === sortKey;
  const Icon = !active ? ArrowUpDownIcon : sort.order === 'asc' ? ArrowUpIcon : ArrowDownIcon;
  return (
    <button
      type="button"
      className="inline-flex items-center gap-1 rounded-sm hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring"
      onClick={() => sort.toggle(sortKey)}
    >
      {column}
      <Icon className="size-3.5" aria-hidden />
      <span className="sr-only">
        {active ? `, sorted ${sort.order === 'asc' ? 'ascending' : 'descending'}` : ', sort'}
      </span>
    </button>
  );
}
