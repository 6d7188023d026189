import { conflict } from '@uncloud/sdk';
import type { ActionResourceId, Db, ListFilter, ResourceRepository, Revert } from '@uncloud/db';
import type { Action, ActionResourceKind, ActionType, Page, SyncState } from '@uncloud/sdk';
import { type ProjectScope } from '@uncloud/sdk/contract';
import { assertIdle, presentAction, recordAction } from './actions.ts';
import type { IntentChange, IntentKind, ServiceDeps } from './deps.ts';
import { withStaleness } from './present.ts';

/** What an action does to intent, decided by the service from the resource as it stands. */
export interface ActionPlan<Patch> {
  /** The change of intent on the resource itself; undone if Kubernetes refuses it. */
  patch?: Patch;
  /** False for changes that need no undoing (a restart stamp). */
  revertible?: boolean;
  /** What the action was asked, as shown to users. */
  params?: Record<string, unknown>;
  /** When the change lands on another resource: its generation that carries it. */
  generation?: number;
  /** Further changes to undo on failure (other resources). */
  revert?: Revert[];
  /** Other resources whose intent changed, for the sync engine. */
  touches?: IntentChange[];
}

/**
 * What every reconciled resource service does the same way: page and read rows of one project, and
 * commit a write in one transaction, then tell the sync engine. `present` takes rows in batches so a
 * kind can load related data for a whole page in one query.
 */
export const resourceService = <
  Row extends { id: string; state: string; generation: number },
  Patch extends object,
  Out extends { syncState: SyncState },
>(
  { store, events, runtime }: ServiceDeps,
  kind: IntentKind,
  repository: ResourceRepository<Row, never, Patch>,
  // The scope decides what the caller may read (viewers get secrets withheld).
  presentRows: (db: Db, rows: Row[], scope: ProjectScope) => Out[],
) => {
  const stale = withStaleness(runtime);
  const present = (db: Db, rows: Row[], scope: ProjectScope) => presentRows(db, rows, scope).map(stale);
  const one = (db: Db, row: Row, scope: ProjectScope) => present(db, [row], scope)[0]!;

  return {
    /**
     * Starts an action: checks the resource can take it, applies its change of intent and records
     * the action in one transaction, then tells the sync engine. Returns the action at once.
     */
    act(
      scope: ProjectScope,
      // A resource of this kind that actions run on: both the row's id and an action's resource id.
      id: Row['id'] & ActionResourceId,
      type: ActionType,
      plan: (db: Db, row: Row) => ActionPlan<Patch>,
    ): Action {
      const resourceKind = kind as ActionResourceKind;
      const { action, touches } = store.transaction((db) => {
        const row = repository.get(db, scope.projectId, id);
        if (row.state === 'deleting')
          throw conflict(`${kind} ${id} is being deleted and can no longer change`);
        assertIdle(db, resourceKind, id);
        const p = plan(db, row);
        let generation = p.generation ?? null;
        const revert = [...(p.revert ?? [])];
        if (p.patch) {
          const updated = repository.update(db, scope.projectId, id, p.patch);
          generation = p.generation ?? updated.generation;
          if (p.revertible !== false) {
            const before = Object.fromEntries(
              Object.keys(p.patch).map((key) => [key, (row as Record<string, unknown>)[key]]),
            );
            revert.unshift({ kind: resourceKind, id, patch: before });
          }
        }
        const action = recordAction(db, {
          projectId: scope.projectId,
          resourceKind,
          resourceId: id,
          type,
          params: p.params ?? {},
          generation,
          revert,
        });
        return { action, touches: p.touches ?? [] };
      });
      events.emit({ kind, id, projectId: scope.projectId });
      touches.forEach((change) => events.emit(change));
      return presentAction(action);
    },

    list(scope: ProjectScope, input: ListFilter): Page<Out> {
      const page = repository.list(store.db, scope.projectId, input);
      return { items: present(store.db, page.items, scope), nextCursor: page.nextCursor, total: page.total };
    },

    get: (scope: ProjectScope, ref: { id: string }): Out =>
      one(store.db, repository.get(store.db, scope.projectId, ref.id), scope),

    /** Commits `write` atomically, announces the change, and presents the written row. */
    commit(scope: ProjectScope, write: (db: Db) => Row): Out {
      const row = store.transaction(write);
      events.emit({ kind, id: row.id, projectId: scope.projectId });
      return one(store.db, row, scope);
    },

    /** Applies a change of intent; an empty change leaves the row (and its generation) alone. */
    update(scope: ProjectScope, id: string, patch: Patch): Out {
      return this.commit(scope, (db) => {
        const row = repository.get(db, scope.projectId, id);
        if (row.state === 'deleting')
          throw conflict(`${kind} ${id} is being deleted and can no longer change`);
        return Object.values(patch).every((value) => value === undefined)
          ? row
          : repository.update(db, scope.projectId, id, patch);
      });
    },

    delete(scope: ProjectScope, ref: { id: string }, check?: (db: Db, row: Row) => void): Out {
      return this.commit(scope, (db) => {
        const row = repository.get(db, scope.projectId, ref.id);
        if (row.state === 'deleting') return row;
        check?.(db, row);
        return repository.markDeleting(db, scope.projectId, ref.id);
      });
    },
  };
};
