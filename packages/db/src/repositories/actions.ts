import { type ActionId, type ActionKind, type ProjectId, notFound } from '@uncloud/sdk';
import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { actions, type ActionRow, type AnyActionRow } from '../schema.ts';
import { filter, type Page, type PageRequest, selectPage } from './pagination.ts';

/** A change of intent the sync engine undoes if Kubernetes refuses the action. */
export interface Revert {
  kind: ActionKind;
  id: ActionResourceId;
  patch: Record<string, unknown>;
}

/** The id of a resource actions run on. */
export type ActionResourceId = ActionRow['resourceId'];

/** What the API stores in `progress` when it records an action, and the notes the engine adds. */
export interface ActionProgress {
  revert?: Revert[];
  /** The running instance a restart replaced. */
  restartedInstanceUid?: string;
  snapshotCreated?: boolean;
  /** The VirtualMachineRestore a restore made (its uid names the restored disk). */
  restoreUid?: string;
  /** A rebuild's or restore's old root disk was deleted once the new one ran. */
  oldRootDiskDeleted?: boolean;
}

export interface ActionFilter extends PageRequest {
  resourceId?: string | undefined;
  status?: ActionRow['status'] | undefined;
}

type NewAction = Pick<
  ActionRow,
  'id' | 'projectId' | 'resourceKind' | 'resourceId' | 'type' | 'params' | 'generation' | 'progress'
>;

/** Asynchronous operations on resources: recorded by the API, advanced and finished by the sync engine. */
export const actionsRepository = {
  insert: (db: Db, values: NewAction): ActionRow =>
    db
      .insert(actions)
      .values({ ...values, status: 'in-progress' })
      .returning()
      .get() as ActionRow,

  /** The project's actions, newest first. */
  list(db: Db, projectId: ProjectId, request: ActionFilter): Page<ActionRow> {
    const filters = [
      filter('project', () => eq(actions.projectId, sql.placeholder('projectId')), { projectId }),
    ];
    if (request.resourceId !== undefined)
      filters.push(
        filter('resource', () => eq(actions.resourceId, sql.placeholder('resourceId')), {
          resourceId: request.resourceId,
        }),
      );
    if (request.status !== undefined)
      filters.push(
        filter('status', () => eq(actions.status, sql.placeholder('status')), { status: request.status }),
      );
    return selectPage<ActionRow>(db, actions, filters, { ...request, newestFirst: true });
  },

  get(db: Db, projectId: ProjectId, id: ActionId): ActionRow {
    const row = db
      .select()
      .from(actions)
      .where(and(eq(actions.projectId, projectId), eq(actions.id, id)))
      .get();
    if (!row) throw notFound('action', id);
    return row as ActionRow;
  },

  /**
   * The action still running on a resource, if any: at most one at a time. Any resource may be
   * asked about (the sync engine asks for every one it reconciles); kinds without actions have none.
   */
  inProgressOn: (db: Db, resourceId: string): ActionRow | undefined =>
    db
      .select()
      .from(actions)
      .where(
        and(
          eq(actions.resourceId, sql.param(resourceId)),
          eq(actions.status, 'in-progress'),
          isNotNull(actions.projectId),
        ),
      )
      .get() as ActionRow | undefined,

  /** Every project action still running, for the sync engine's resync pass (the provisioner runs system actions). */
  allInProgress: (db: Db): ActionRow[] =>
    db
      .select()
      .from(actions)
      .where(and(eq(actions.status, 'in-progress'), isNotNull(actions.projectId)))
      .all() as ActionRow[],

  /** System actions (on cluster components, in no project), newest first: administrators'. */
  listSystem(db: Db, request: ActionFilter): Page<AnyActionRow> {
    const filters = [filter('system', () => isNull(actions.projectId), {})];
    if (request.resourceId !== undefined)
      filters.push(
        filter('resource', () => eq(actions.resourceId, sql.placeholder('resourceId')), {
          resourceId: request.resourceId,
        }),
      );
    if (request.status !== undefined)
      filters.push(
        filter('status', () => eq(actions.status, sql.placeholder('status')), { status: request.status }),
      );
    return selectPage<AnyActionRow>(db, actions, filters, { ...request, newestFirst: true });
  },

  getSystem(db: Db, id: ActionId): AnyActionRow {
    const row = db
      .select()
      .from(actions)
      .where(and(isNull(actions.projectId), eq(actions.id, id)))
      .get();
    if (!row) throw notFound('action', id);
    return row;
  },

  /** Remembers what the sync engine did for an action between passes. */
  setProgress: (db: Db, id: ActionId, progress: ActionProgress) =>
    void db.update(actions).set({ progress }).where(eq(actions.id, id)).run(),

  complete: (db: Db, id: ActionId, at = new Date()) =>
    void db
      .update(actions)
      .set({ status: 'completed', completedAt: at, error: null })
      .where(and(eq(actions.id, id), eq(actions.status, 'in-progress')))
      .run(),

  fail: (db: Db, id: ActionId, error: string, at = new Date()) =>
    void db
      .update(actions)
      .set({ status: 'errored', completedAt: at, error })
      .where(and(eq(actions.id, id), eq(actions.status, 'in-progress')))
      .run(),

  /** Ends every running action on resources that are gone or going. */
  failOn: (db: Db, resourceIds: ActionResourceId[], error: string, at = new Date()) =>
    void db
      .update(actions)
      .set({ status: 'errored', completedAt: at, error })
      .where(and(inArray(actions.resourceId, resourceIds), eq(actions.status, 'in-progress')))
      .run(),
};
