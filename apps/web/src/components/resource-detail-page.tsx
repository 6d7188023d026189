import type { SyncState } from '@uncloud/sdk';
import { ChevronRightIcon, Trash2Icon } from 'lucide-react';
import { useState } from 'react';
import type * as React from 'react';
import { Link, useNavigate } from 'react-router';
import { listPath, resourceKinds } from '../lib/resource-kinds.ts';
import type { ResourceDetailState, ResourceRow } from '../lib/use-resource.ts';
import { ActionHistory } from './action-history.tsx';
import { InFlightNotice } from './action-status.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { EmptyState, ErrorState, LoadingRows } from './query-states.tsx';
import type { Refusal } from '../app/access.ts';
import { RefusalNote, refusedProps } from './refusal-note.tsx';
import { ActionBar, useActionRunner, useKindRefusals, type ResourceAction } from './resource-actions.tsx';
import { StateBadge } from './state-badge.tsx';
import { Button } from './ui/button.tsx';

export interface ResourceDetailPageProps<T extends ResourceRow> {
  detail: ResourceDetailState<T>;
  /** Under the name: what the resource is at a glance. */
  subtitle?: (resource: T) => React.ReactNode;
  actions?: Array<ResourceAction<T>>;
  /** The Edit button, given why the signed-in person may not edit (null when they may). */
  extraActions?: (resource: T, editRefusal: Refusal | null) => React.ReactNode;
  deleteWarning: (resource: T) => React.ReactNode;
  /** The kind's own sections: fields, runtime facts, related resources. */
  children: (resource: T) => React.ReactNode;
  /** The state to show when it is not the resource's own (an app that serves while it rolls out). */
  stateOf?: (resource: T) => string;
}

/**
 * The one detail page: breadcrumb, name and state, action buttons, the actions in flight, the
 * kind's sections, the recent actions, and delete; loading, not-found and error states included.
 */
export function ResourceDetailPage<T extends ResourceRow>({
  detail,
  subtitle,
  actions = [],
  extraActions,
  deleteWarning,
  children,
  stateOf,
}: ResourceDetailPageProps<T>) {
  const info = resourceKinds[detail.kind];
  const navigate = useNavigate();
  const runner = useActionRunner<T>();
  const refusals = useKindRefusals<T>(detail.kind);
  const [deleting, setDeleting] = useState(false);
  const { resource } = detail;
  const back = listPath(detail.projectId, detail.kind);

  const breadcrumb = (
    <nav aria-label="Breadcrumb" className="mb-3 flex items-center gap-1 text-sm text-muted-foreground">
      <Link to={back} className="hover:text-foreground hover:underline">
        {info.title}
      </Link>
      <ChevronRightIcon aria-hidden className="size-4" />
      <span aria-current="page">{resource.data?.name ?? '…'}</span>
    </nav>
  );

  if (detail.missing)
    return (
      <>
        {breadcrumb}
        <EmptyState
          title={`This ${info.noun} does not exist`}
          action={
            <Button asChild variant="outline">
              <Link to={back}>Back to {info.title.toLowerCase()}</Link>
            </Button>
          }
        >
          It may have been deleted, or it belongs to another project, or the address is mistyped.
        </EmptyState>
      </>
    );
  if (resource.isPending)
    return (
      <>
        {breadcrumb}
        <LoadingRows rows={6} />
      </>
    );
  if (resource.isError)
    return (
      <>
        {breadcrumb}
        <ErrorState error={resource.error} onRetry={() => void resource.refetch()} />
      </>
    );

  const r = resource.data;
  const reconciled = r as Partial<{ state: string; syncState: SyncState; syncError: string | null }>;
  return (
    <>
      {breadcrumb}
      <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight break-all">{r.name}</h1>
            {reconciled.state ? (
              <StateBadge
                state={stateOf?.(r) ?? reconciled.state}
                syncState={reconciled.syncState}
                syncError={reconciled.syncError}
              />
            ) : null}
          </div>
          {subtitle ? <p className="mt-1 text-sm text-muted-foreground">{subtitle(r)}</p> : null}
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <ActionBar
            actions={actions}
            row={r}
            inFlight={detail.inFlight[0]}
            refusalOf={refusals.action}
            onStart={runner.start}
          />
          {extraActions?.(r, refusals.edit)}
          <Button
            variant="outline"
            size="sm"
            className="text-destructive"
            disabled={reconciled.state === 'deleting'}
            {...refusedProps(refusals.delete)}
            onClick={() => setDeleting(true)}
          >
            <Trash2Icon aria-hidden /> Delete
          </Button>
        </div>
        <RefusalNote
          className="basis-full"
          refusals={refusals.all(actions, extraActions ? ['edit', 'delete'] : ['delete'])}
        />
      </div>
      <div className="grid gap-6">
        <InFlightNotice actions={detail.inFlight} />
        {children(r)}
        {info.hasActions ? <ActionHistory query={detail.actions} noun={info.noun} /> : null}
      </div>
      {runner.dialogs}
      <ConfirmDialog
        open={deleting}
        onOpenChange={setDeleting}
        title={`Delete ${info.noun} ${r.name}?`}
        description={deleteWarning(r)}
        confirmLabel={`Delete ${info.noun}`}
        typeToConfirm={info.typedDelete ? r.name : undefined}
        onConfirm={async () => {
          await detail.remove();
          void navigate(back);
        }}
      />
    </>
  );
}
