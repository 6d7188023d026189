import { getTableName, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { projects } from '../schema.ts';
import { reconciledTables } from './resources.ts';

/**
 * The sync engine's bookkeeping columns of a reconciled row, without its intent: enough to tell
 * whether the row is still as a resync pass last found it settled, read for every row at a fraction
 * of the cost of reading (and parsing) whole rows.
 */
export interface SyncHead {
  id: string;
  /** The project the row belongs to (a project's own id for projects). */
  projectId: string;
  state: string;
  generation: number;
  observedGeneration: number;
  syncError: string | null;
}

const tableOf = { project: projects, ...reconciledTables } as const;
export type SyncHeadKind = keyof typeof tableOf;

/** Whether the kind's rows can be read as heads (every kind the engine reconciles from a table). */
export const hasSyncHeads = (kind: string): kind is SyncHeadKind => kind in tableOf;

/** Every row of the kind, as its sync bookkeeping only. */
export const syncHeads = (db: Db, kind: SyncHeadKind): SyncHead[] => {
  const project = kind === 'project' ? 'id' : 'project_id';
  return db.all<SyncHead>(
    sql.raw(
      `select id, ${project} as projectId, state, generation, observed_generation as observedGeneration, ` +
        `sync_error as syncError from "${getTableName(tableOf[kind])}"`,
    ),
  );
};
