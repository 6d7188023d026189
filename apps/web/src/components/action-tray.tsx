import { useQuery, useQueryClient } from '@tanstack/react-query';
import { CircleXIcon, XIcon } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { actionRefusalText } from '../lib/action-errors.ts';
import { actionStatusText } from '../lib/action-labels.ts';
import { routerOf } from '@uncloud/sdk';
import { POLL_MS } from '../lib/states.ts';
import { useTRPC } from '../lib/trpc.ts';
import { useActionNotices, type ActionNotice } from '../lib/use-actions.ts';
import { ActionStatusIcon } from './action-status.tsx';
import { Button } from './ui/button.tsx';

/** How long a completed action stays in the tray; failures stay until dismissed. */
const COMPLETED_VISIBLE_MS = 8000;

/**
 * The corner tray that follows every action started from this tab to its end, wherever the user
 * goes meanwhile, and says why an action could not start.
 */
export function ActionTray() {
  const { notices, dismiss } = useActionNotices();
  if (notices.length === 0) return null;
  return (
    <section
      aria-label="Actions"
      className="fixed right-4 bottom-4 z-40 flex w-96 max-w-[calc(100%-2rem)] flex-col gap-2"
    >
      {notices.map((n) =>
        n.type === 'action' ? (
          <ActionProgress key={n.key} notice={n} onDismiss={() => dismiss(n.key)} />
        ) : (
          <Refusal key={n.key} notice={n} onDismiss={() => dismiss(n.key)} />
        ),
      )}
    </section>
  );
}

const shell = 'flex items-start gap-3 rounded-lg border bg-background p-3 text-sm shadow-lg';

function ActionProgress({
  notice,
  onDismiss,
}: {
  notice: Extract<ActionNotice, { type: 'action' }>;
  onDismiss: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(
    trpc.actions.get.queryOptions(
      { projectId: notice.projectId, id: notice.actionId },
      { refetchInterval: (q) => (q.state.data?.status === 'in-progress' ? POLL_MS : false) },
    ),
  );
  const action = query.data;
  const status = action?.status;
  const wasRunning = useRef(false);
  const latestDismiss = useRef(onDismiss);
  latestDismiss.current = onDismiss;

  useEffect(() => {
    if (!action) return;
    if (action.status === 'in-progress') {
      wasRunning.current = true;
      return;
    }
    // It ended while we watched: what it changed is now worth fetching again.
    if (wasRunning.current) {
      wasRunning.current = false;
      void queryClient.invalidateQueries({
        queryKey: trpc[routerOf(action.resourceKind)].pathKey(),
      });
      void queryClient.invalidateQueries({ queryKey: trpc.actions.list.pathKey() });
    }
    if (action.status === 'completed') {
      const timer = setTimeout(() => latestDismiss.current(), COMPLETED_VISIBLE_MS);
      return () => clearTimeout(timer);
    }
    return undefined;
    // Re-run only when the status moves; the action object is new on every poll.
  }, [status]);

  return (
    <div
      role={status === 'errored' ? 'alert' : 'status'}
      data-action-status={status ?? 'unknown'}
      className={shell}
    >
      {status ? <ActionStatusIcon status={status} className="mt-0.5 shrink-0" /> : null}
      <p className="flex-1">
        <span className="font-medium">{notice.subject}</span>
        {': '}
        {action ? actionStatusText(action) : query.isError ? 'could not follow this action' : 'starting…'}
      </p>
      <DismissButton onClick={onDismiss} />
    </div>
  );
}

function Refusal({
  notice,
  onDismiss,
}: {
  notice: Extract<ActionNotice, { type: 'refused' }>;
  onDismiss: () => void;
}) {
  return (
    <div role="alert" data-action-status="refused" className={`${shell} border-destructive/50`}>
      <CircleXIcon aria-hidden className="mt-0.5 size-4 shrink-0 text-destructive" />
      <div className="flex-1">
        <p className="font-medium">{notice.title}</p>
        <p className="text-muted-foreground">{actionRefusalText(notice.error)}</p>
      </div>
      <DismissButton onClick={onDismiss} />
    </div>
  );
}

function DismissButton({ onClick }: { onClick: () => void }) {
  return (
    <Button variant="ghost" size="icon" className="-my-1 size-7" aria-label="Dismiss" onClick={onClick}>
      <XIcon />
    </Button>
  );
}
