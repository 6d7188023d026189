import { DropletState, ResourceState, type SyncState, sortKeysOf } from '@uncloud/sdk';
import { PlusIcon } from 'lucide-react';
import type * as React from 'react';
import { Link } from 'react-router';
import { detailPath, resourceKinds } from '../lib/resource-kinds.ts';
import type { ResourceListState, ResourceRow } from '../lib/use-resource.ts';
import { InFlightText } from './action-status.tsx';
import { Time } from './facts.tsx';
import { PageHeader } from './page-header.tsx';
import { RefusalNote, refusedProps } from './refusal-note.tsx';
import { useActionRunner, useKindRefusals, type ResourceAction } from './resource-actions.tsx';
import { ResourceTable, type Column } from './resource-table.tsx';
import { RowActions } from './row-actions.tsx';
import { StateBadge } from './state-badge.tsx';
import { Button } from './ui/button.tsx';

export interface CreateDialogSlot {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  trigger: React.ReactNode;
}

interface Reconciled {
  state: string;
  syncState: SyncState;
  syncError: string | null;
  observedAt: string | null;
}

/** The reconciled fields of a row, when its kind has them. */
const reconciled = (row: object): Reconciled | null =>
  'state' in row && 'syncState' in row ? (row as Reconciled) : null;

export interface ResourceListPageProps<T extends ResourceRow> {
  page: ResourceListState<T>;
  description: React.ReactNode;
  /** "Create droplet". */
  createLabel: string;
  /** The kind's create dialog, opened from the header and from the empty state. */
  createDialog: (slot: CreateDialogSlot) => React.ReactNode;
  /** Columns after Name and State, which every list has. */
  columns: Array<Column<T>>;
  /** A second line under the name (tags, description). */
  subtitle?: (row: T) => React.ReactNode;
  empty: { icon: React.ReactNode; title: string; body: React.ReactNode; action: string };
  deleteWarning: (row: T) => React.ReactNode;
  /** The kind's lifecycle actions, on each row (`inRow`) or in its menu. */
  actions?: Array<ResourceAction<T>>;
  /** The state to show when it is not the row's own (an app that serves while it rolls out). */
  stateOf?: (row: T) => string;
}

/**
 * The one resource list page: header with the create button, the table with name (linking to the
 * detail page), state with any action in flight, the kind's columns, row menu and delete, and an
 * empty state that says what to do first.
 */
export function ResourceListPage<T extends ResourceRow>({
  page,
  description,
  createLabel,
  createDialog,
  columns,
  subtitle,
  empty,
  deleteWarning,
  actions = [],
  stateOf,
}: ResourceListPageProps<T>) {
  const info = resourceKinds[page.kind];
  const runner = useActionRunner<T>();
  const refusals = useKindRefusals<T>(page.kind);
  const href = (row: T) => detailPath(page.projectId, page.kind, row.id);
  // Rows with tags can be filtered by tag; the filter stays while it is set, even over no rows.
  const taggedRows = (page.list.data?.items ?? []).some((row) => 'tags' in row);

  const nameColumn: Column<T> = {
    header: 'Name',
    sort: 'name',
    cell: (row) => (
      <div>
        <Link to={href(row)} className="font-medium text-primary underline-offset-4 hover:underline">
          {row.name}
        </Link>
        {subtitle ? <div className="text-xs text-muted-foreground">{subtitle(row)}</div> : null}
      </div>
    ),
  };
  const sortKeys = sortKeysOf(info.kind);
  const stateColumn: Column<T> = {
    header: 'State',
    sort: 'state',
    cell: (row) => {
      const r = reconciled(row);
      return r ? (
        <div>
          <StateBadge state={stateOf?.(row) ?? r.state} syncState={r.syncState} syncError={r.syncError} />
          <InFlightText action={page.inFlight.get(row.id)} />
          <span className="mt-0.5 block text-xs text-muted-foreground">
            {r.observedAt ? (
              <>
                observed <Time iso={r.observedAt} />
              </>
            ) : (
              'not observed yet'
            )}
          </span>
        </div>
      ) : null;
    },
  };

  return (
    <>
      <PageHeader
        title={info.title}
        description={description}
        actions={createDialog({
          open: page.creating,
          onOpenChange: page.setCreating,
          trigger: (
            <Button {...refusedProps(refusals.create)}>
              <PlusIcon aria-hidden /> {createLabel}
            </Button>
          ),
        })}
      />
      <RefusalNote className="-mt-3 mb-4" refusals={refusals.all(actions, ['create', 'delete'])} />
      <ResourceTable
        kind={info.noun}
        label={info.title}
        query={page.list}
        // Every kind's "Created" column follows creation time, the lists' default order; a column
        // sorts only by a key the kind's list accepts.
        columns={[nameColumn, ...(info.stateful ? [stateColumn] : []), ...columns]
          .map((c) => (c.header === 'Created' ? { ...c, sort: 'createdAt' } : c))
          .map(({ sort, ...c }) => (sort && sortKeys.includes(sort) ? { ...c, sort } : c))}
        filter={page.filter}
        facets={{
          ...(info.stateful
            ? {
                state: {
                  ...page.state,
                  states: info.kind === 'droplet' ? DropletState.options : ResourceState.options,
                },
              }
            : {}),
          ...(taggedRows || page.tag.value ? { tag: page.tag } : {}),
        }}
        sort={page.sort}
        bulkDelete
        typedDelete={info.typedDelete}
        pager={page.pager}
        onDelete={page.remove}
        deleteRefusal={refusals.delete}
        deleteWarning={deleteWarning}
        rowActions={(row) => (
          <RowActions
            row={row}
            noun={info.noun}
            href={href(row)}
            actions={actions}
            inFlight={page.inFlight.get(row.id)}
            refusalOf={refusals.action}
            onStart={runner.start}
          />
        )}
        empty={{
          icon: empty.icon,
          title: empty.title,
          body: empty.body,
          action: (
            <Button {...refusedProps(refusals.create)} onClick={() => page.setCreating(true)}>
              <PlusIcon aria-hidden /> {empty.action}
            </Button>
          ),
        }}
      />
      {runner.dialogs}
    </>
  );
}
