import type { Action } from '@uncloud/sdk';
import { useState } from 'react';
import type * as React from 'react';
import { useAccess, type Doing, type Need, type Refusal } from '../app/access.ts';
import { asActionRefusal } from '../lib/action-errors.ts';
import { actionWords } from '../lib/action-labels.ts';
import { resourceKinds, type ResourceKind } from '../lib/resource-kinds.ts';
import { useActionTracker } from '../lib/use-actions.ts';
import type { ResourceRow } from '../lib/use-resource.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { refusedProps } from './refusal-note.tsx';
import { Button } from './ui/button.tsx';

export interface ActionDialogProps<T> {
  row: T;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The dialog calls this with the action the API started; the tray then follows it. */
  onStarted: (action: Action) => void;
}

/**
 * A lifecycle action offered on a resource (power off, scale, …). It either runs at once, runs
 * after a confirmation, or opens a dialog that asks for its input and starts it.
 */
export interface ResourceAction<T> {
  /** The button's text and accessible name: "Power off". */
  label: string;
  icon?: React.ReactNode;
  /** A button on each list row; every other action is in the row's "…" menu. */
  inRow?: boolean;
  /** Not offered at all for this row (Power on while running). */
  hidden?: (row: T) => boolean;
  /** The role it takes; `member` (every write to a project's resources) unless said otherwise. */
  need?: Need;
  /**
   * The action in the sentence that refuses it to someone without that role; by default its label
   * and the kind ("Viewers can't power off droplets").
   */
  doing?: Partial<Doing>;
  /** Why the action cannot run now, shown instead of running it; null when it can. */
  disabledReason?: (row: T) => string | null;
  /** Asks before running; for actions that interrupt something. */
  confirm?: (row: T) => { title: string; description: React.ReactNode };
  run?: (row: T) => Promise<Action>;
  dialog?: (props: ActionDialogProps<T>) => React.ReactNode;
}

/** Why nothing may start on a resource while one of its actions runs (the API would refuse). */
export const busyReason = (inFlight: Pick<Action, 'type'> | undefined) =>
  inFlight ? `Wait until ${actionWords(inFlight.type).running.toLowerCase()} has finished` : null;

export const unavailableReason = <T,>(action: ResourceAction<T>, row: T, inFlight?: Pick<Action, 'type'>) =>
  (row as ResourceRow).state === 'deleting'
    ? 'Being deleted'
    : (busyReason(inFlight) ?? action.disabledReason?.(row) ?? null);

/** What the signed-in person may not do to resources of a kind, and why. */
export interface KindRefusals<T> {
  create: Refusal | null;
  edit: Refusal | null;
  delete: Refusal | null;
  action: (action: ResourceAction<T>) => Refusal | null;
  /** Every refusal on a page that offers these actions, for its `RefusalNote`. */
  all: (
    actions: Array<ResourceAction<T>>,
    extra?: Array<'create' | 'edit' | 'delete'>,
  ) => Array<Refusal | null>;
}

/** The refusals of a kind's controls for the signed-in person, from their role in the project. */
export const useKindRefusals = <T,>(kind: ResourceKind): KindRefusals<T> => {
  const access = useAccess();
  const object = resourceKinds[kind].plural;
  const member = (verb: string) => access.refusal('member', { verb, object });
  const action = (a: ResourceAction<T>) =>
    access.refusal(a.need ?? 'member', {
      verb: a.doing?.verb ?? a.label.toLowerCase(),
      object: a.doing?.object ?? object,
      read: a.doing?.read,
    });
  const refusals = { create: member('create'), edit: member('edit'), delete: member('delete') };
  return {
    ...refusals,
    action,
    all: (actions, extra = []) => [
      ...extra.filter((e) => e === 'create').map((e) => refusals[e]),
      ...actions.map(action),
      ...extra.filter((e) => e !== 'create').map((e) => refusals[e]),
    ],
  };
};

/**
 * Starts actions and holds the confirmation or input dialog of the one being started. Render
 * `dialogs` once, wherever the buttons or menus that call `start` live.
 */
export function useActionRunner<T extends ResourceRow>() {
  const tracker = useActionTracker();
  const [current, setCurrent] = useState<{ action: ResourceAction<T>; row: T } | null>(null);
  const close = () => setCurrent(null);

  const start = (action: ResourceAction<T>, row: T) => {
    if (action.dialog || action.confirm) {
      setCurrent({ action, row });
      return;
    }
    action.run?.(row).then(
      (started) => tracker.started(started, row.name),
      (error: unknown) => tracker.refused(`${action.label} ${row.name}: not started`, error),
    );
  };

  let dialogs: React.ReactNode = null;
  if (current?.action.dialog) {
    dialogs = current.action.dialog({
      row: current.row,
      open: true,
      onOpenChange: (open) => !open && close(),
      onStarted: (started) => tracker.started(started, current.row.name),
    });
  } else if (current?.action.confirm && current.action.run) {
    const { action, row } = current;
    const run = current.action.run;
    const text = current.action.confirm(row);
    dialogs = (
      <ConfirmDialog
        open
        onOpenChange={(open) => !open && close()}
        title={text.title}
        description={text.description}
        confirmLabel={action.label}
        onConfirm={async () => {
          try {
            tracker.started(await run(row), row.name);
          } catch (error) {
            throw asActionRefusal(error);
          }
        }}
      />
    );
  }
  return { start, dialogs };
}

/**
 * The detail page's row of action buttons; a disabled button says why in its tooltip, and one its
 * role refuses is described by the page's `RefusalNote`.
 */
export function ActionBar<T extends ResourceRow>({
  actions,
  row,
  inFlight,
  refusalOf,
  onStart,
}: {
  actions: Array<ResourceAction<T>>;
  row: T;
  inFlight?: Pick<Action, 'type'>;
  refusalOf: (action: ResourceAction<T>) => Refusal | null;
  onStart: (action: ResourceAction<T>, row: T) => void;
}) {
  const offered = actions.filter((a) => !a.hidden?.(row));
  if (offered.length === 0) return null;
  return (
    <div role="toolbar" aria-label="Actions" className="flex flex-wrap gap-2">
      {offered.map((action) => {
        const reason = unavailableReason(action, row, inFlight);
        return (
          <Button
            key={action.label}
            variant="outline"
            size="sm"
            disabled={reason !== null}
            title={reason ?? undefined}
            {...refusedProps(refusalOf(action))}
            onClick={() => onStart(action, row)}
          >
            {action.icon}
            {action.label}
          </Button>
        );
      })}
    </div>
  );
}
