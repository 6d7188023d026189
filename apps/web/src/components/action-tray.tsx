import { useQuery, useQueryClient } from '@tanstack/react-query';
import { CircleXIcon, XIcon } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { actionRefusalText } from '../lib/action-errors.ts';
import { actionStatusText } from '../lib/action-labels.ts';
import { type ActionStatus, routerOf } from '@uncloud/sdk';
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
          n.projectId === null ? (
            <SystemActionProgress key={n.key} notice={n} onDismiss={() => dismiss(n.key)} />
          ) : (
            <ActionProgress
              key={n.key}
              notice={{ ...n, projectId: n.projectId }}
              onDismiss={() => dismiss(n.key)}
            />
          )
        ) : (
          <Refusal key={n.key} notice={n} onDismiss={() => dismiss(n.key)} />
        ),
      )}
    </section>
  );
}

const shell = 'flex items-start gap-3 rounded-lg border bg-background p-3 text-sm shadow-lg';

type ActionProgressNotice = Extract<ActionNotice, { type: 'action' }>;

function ActionProgress({
  notice,
  onDismiss,
}: {
  notice: ActionProgressNotice & { projectId: string };
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
  useSettled(action, onDismiss, () => {
    void queryClient.invalidateQueries({ queryKey: trpc[routerOf(action!.resourceKind)].pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.actions.list.pathKey() });
  });
  return <ProgressView notice={notice} action={action} failed={query.isError} onDismiss={onDismiss} />;
}

/** A component's install, upgrade, repair or uninstall (administrators'), read from `systemActions`. */
function SystemActionProgress({
  notice,
  onDismiss,
}: {
  notice: ActionProgressNotice;
  onDismiss: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(
    trpc.systemActions.get.queryOptions(
      { id: notice.actionId },
      { refetchInterval: (q) => (q.state.data?.status === 'in-progress' ? POLL_MS : false) },
    ),
  );
  useSettled(query.data, onDismiss, () => {
    void queryClient.invalidateQueries({ queryKey: trpc.components.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.systemActions.pathKey() });
  });
  return <ProgressView notice={notice} action={query.data} failed={query.isError} onDismiss={onDismiss} />;
}

/**
 * Once the action ends while followed, `onEnded` refetches what it changed; a completed one leaves
 * the tray after a while, a failed one stays until dismissed.
 */
function useSettled(action: { status: string } | undefined, onDismiss: () => void, onEnded: () => void) {
  const status = action?.status;
  const wasRunning = useRef(false);
  const latest = useRef({ onDismiss, onEnded });
  latest.current = { onDismiss, onEnded };

  useEffect(() => {
    if (!status) return;
    if (status === 'in-progress') {
      wasRunning.current = true;
      return;
    }
    // It ended while we watched: what it changed is now worth fetching again.
    if (wasRunning.current) {
      wasRunning.current = false;
      latest.current.onEnded();
    }
    if (status === 'completed') {
      const timer = setTimeout(() => latest.current.onDismiss(), COMPLETED_VISIBLE_MS);
      return () => clearTimeout(timer);
    }
    return undefined;
    // Re-run only when the status moves; the action object is new on every poll.
  }, [status]);
}

function ProgressView({
  notice,
  action,
  failed,
  onDismiss,
}: {
  notice: ActionProgressNotice;
  action: { type: string; status: ActionStatus; error: string | null } | undefined;
  failed: boolean;
  onDismiss: () => void;
}) {
  const status = action?.status;
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
        {action ? actionStatusText(action) : failed ? 'could not follow this action' : 'starting…'}
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
