import type { Db, ListFilter, ResourceRepository } from '@uncloud/db';
import type { Page, SyncState } from '@uncloud/sdk';
import { conflict, type ProjectScope } from '@uncloud/sdk/contract';
import type { IntentKind, ServiceDeps } from './deps.ts';
import { withStaleness } from './present.ts';

/**
 * What every reconciled resource service does the same way: page and read rows of one project, and
 * commit a write in one transaction, then tell the sync engine. `present` takes rows in batches so a
 * kind can load related data for a whole page in one query.
 */
export const resourceService = <
  Row extends { id: string; state: string },
  Patch extends object,
  Out extends { syncState: SyncState },
>(
  { store, events, runtime }: ServiceDeps,
  kind: IntentKind,
  repository: ResourceRepository<Row, never, Patch>,
  presentRows: (db: Db, rows: Row[]) => Out[],
) => {
  const stale = withStaleness(runtime);
  const present = (db: Db, rows: Row[]) => presentRows(db, rows).map(stale);
  const one = (db: Db, row: Row) => present(db, [row])[0]!;

  return {
    list(scope: ProjectScope, input: ListFilter): Page<Out> {
      const page = repository.list(store.db, scope.projectId, input);
      return { items: present(store.db, page.items), nextCursor: page.nextCursor };
    },

    get: (scope: ProjectScope, ref: { id: string }): Out =>
      one(store.db, repository.get(store.db, scope.projectId, ref.id)),

    /** Commits `write` atomically, announces the change, and presents the written row. */
    commit(scope: ProjectScope, write: (db: Db) => Row): Out {
      const row = store.transaction(write);
      events.emit({ kind, id: row.id, projectId: scope.projectId });
      return one(store.db, row);
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
