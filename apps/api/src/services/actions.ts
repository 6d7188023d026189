import { badRequest, conflict } from '@uncloud/sdk';
import {
  type ActionResourceId,
  type ActionRow,
  type Db,
  type Revert,
  actionsRepository,
  newId,
} from '@uncloud/db';
import type { Action, ActionResourceKind, ActionType, ProjectId } from '@uncloud/sdk';
import { type ActionService } from '@uncloud/sdk/contract';
import type { ServiceDeps } from './deps.ts';
import { iso } from './present.ts';

/** A project's action (system actions, with no project, are presented by the components service). */
export const presentAction = (row: ActionRow): Action => ({
  id: row.id,
  projectId: row.projectId,
  type: row.type,
  resourceKind: row.resourceKind,
  resourceId: row.resourceId,
  status: row.status,
  params: row.params,
  error: row.error,
  startedAt: row.createdAt.toISOString(),
  completedAt: iso(row.completedAt),
});

export interface NewAction {
  projectId: ProjectId;
  resourceKind: ActionResourceKind;
  resourceId: ActionResourceId;
  type: ActionType;
  params: Record<string, unknown>;
  /** The resource generation that carries the action's change of intent, if it makes one. */
  generation: number | null;
  revert: Revert[];
}

/**
 * One action at a time per resource: a second would race the first for the same objects, so it is
 * refused until the first finishes.
 */
export const assertIdle = (db: Db, kind: ActionResourceKind, id: string) => {
  const running = actionsRepository.inProgressOn(db, id);
  if (running)
    throw conflict(
      `${kind} ${id} is busy with ${running.type} (action ${running.id}); wait until it completes (actions.get) and try again`,
    );
};

/**
 * The one rule for actions that would change nothing (scale to the replicas it runs, resize to the
 * size it has, deploy the image and environment it runs, power on what is on): refused, never
 * recorded, with the field that asks for no change. Such an action would only fill the activity log
 * with changes that did not happen.
 */
export const nothingToChange = (what: string, field?: string) =>
  badRequest(`nothing to change: ${what}`, field);

/** Records an action inside the caller's transaction. */
export const recordAction = (db: Db, action: NewAction): ActionRow => {
  const { revert, ...values } = action;
  return actionsRepository.insert(db, {
    id: newId('action'),
    ...values,
    progress: revert.length > 0 ? { revert } : null,
  });
};

export const createActionService = ({ store }: ServiceDeps): ActionService => ({
  list(scope, input) {
    const page = actionsRepository.list(store.db, scope.projectId, input);
    return { items: page.items.map(presentAction), nextCursor: page.nextCursor };
  },
  get: (scope, ref) => presentAction(actionsRepository.get(store.db, scope.projectId, ref.id)),
});
