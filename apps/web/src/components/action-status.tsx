import type { Action, ActionStatus } from '@uncloud/sdk';
import { CircleCheckIcon, CircleXIcon, LoaderCircleIcon } from 'lucide-react';
import { actionStatusText, describeAction } from '../lib/action-labels.ts';
import { formatAge } from '../lib/format.ts';
import { cn } from '../lib/utils.ts';

export function ActionStatusIcon({ status, className }: { status: ActionStatus; className?: string }) {
  if (status === 'in-progress')
    return <LoaderCircleIcon aria-hidden className={cn('size-4 animate-spin text-sky-600', className)} />;
  if (status === 'completed')
    return <CircleCheckIcon aria-hidden className={cn('size-4 text-emerald-600', className)} />;
  return <CircleXIcon aria-hidden className={cn('size-4 text-destructive', className)} />;
}

const statusLabels: Record<ActionStatus, string> = {
  'in-progress': 'in progress',
  completed: 'completed',
  errored: 'errored',
};

/** The status word of an action, with its icon; `data-status` carries the API's value. */
export function ActionStatusBadge({ status }: { status: ActionStatus }) {
  return (
    <span
      data-status={status}
      className="inline-flex items-center gap-1.5 text-xs font-medium whitespace-nowrap"
    >
      <ActionStatusIcon status={status} />
      {statusLabels[status]}
    </span>
  );
}

/** Under a list row's state: what is being done to it right now. */
export function InFlightText({ action }: { action: Action | undefined }) {
  if (!action) return null;
  return (
    <span
      className="mt-1 flex items-center gap-1 text-xs text-muted-foreground"
      data-action-status="in-progress"
    >
      <ActionStatusIcon status="in-progress" className="size-3" />
      {actionStatusText(action)}
    </span>
  );
}

/** On a detail page: the actions running on the resource, as they progress. */
export function InFlightNotice({ actions }: { actions: Action[] }) {
  if (actions.length === 0) return null;
  return (
    <div
      role="status"
      className="flex flex-col gap-1 rounded-lg border border-sky-500/40 bg-sky-500/5 p-3 text-sm"
    >
      {actions.map((a) => (
        <p key={a.id} className="flex items-center gap-2">
          <ActionStatusIcon status="in-progress" />
          <span className="font-medium">{actionStatusText(a)}</span>
          <span className="text-muted-foreground">
            {describeAction(a)} · started <time dateTime={a.startedAt}>{formatAge(a.startedAt)}</time>
          </span>
        </p>
      ))}
    </div>
  );
}
