import { and, eq, ne, sql } from 'drizzle-orm';
import { type AppRow, type Db, type DatabaseRow, databasesRepository, tables } from '@uncloud/db';
import {
  type AppDatabase,
  type AppDatabaseAttachment,
  type DatabaseId,
  type ProjectId,
  badRequest,
  conflict,
  databaseVariables,
} from '@uncloud/sdk';
import { nothingToChange } from './actions.ts';

const databaseOf = (db: Db, projectId: ProjectId, id: DatabaseId): DatabaseRow | undefined => {
  const row = databasesRepository.byId(db, id);
  return row?.projectId === projectId ? row : undefined;
};

/** An app's attachments with the variable names each gives (never their values). */
export const presentAttachments = (db: Db, row: AppRow): AppDatabase[] =>
  row.databases.map((a) => {
    const database = databaseOf(db, row.projectId, a.databaseId);
    return { ...a, variables: database ? databaseVariables(database.engine, a.envPrefix) : [] };
  });

/** Names an app's pods get from its attached databases. */
export const attachedVariables = (db: Db, row: AppRow): Set<string> =>
  new Set(presentAttachments(db, row).flatMap((a) => a.variables));

/**
 * The app's attachments with `databaseId` added. The database must be in the app's project and
 * alive, not attached yet, and its variables must not take a name the app already sets.
 */
export const withAttachment = (
  db: Db,
  app: AppRow,
  { databaseId, envPrefix }: AppDatabaseAttachment,
): AppDatabaseAttachment[] => {
  const database = databaseOf(db, app.projectId, databaseId);
  if (!database) throw badRequest(`database ${databaseId} is not in this project`, 'databaseId');
  if (database.state === 'deleting')
    throw conflict(`database ${database.name} is being deleted and cannot be attached`, 'databaseId');
  if (app.databases.some((a) => a.databaseId === databaseId))
    throw nothingToChange(`database ${database.name} is already attached to app ${app.name}`, 'databaseId');
  const taken = new Set([...Object.keys(app.env), ...attachedVariables(db, app)]);
  const clash = databaseVariables(database.engine, envPrefix).find((name) => taken.has(name));
  if (clash)
    throw badRequest(
      `app ${app.name} already has a variable ${clash}; choose another prefix for database ${database.name}'s variables`,
      'envPrefix',
    );
  return [...app.databases, { databaseId, envPrefix }];
};

/** The app's attachments without `databaseId`. */
export const withoutAttachment = (app: AppRow, databaseId: DatabaseId): AppDatabaseAttachment[] => {
  if (!app.databases.some((a) => a.databaseId === databaseId))
    throw nothingToChange(`database ${databaseId} is not attached to app ${app.name}`, 'databaseId');
  return app.databases.filter((a) => a.databaseId !== databaseId);
};

/** Names of the apps (not being deleted) a database is attached to. */
export const appsAttachedTo = (db: Db, projectId: ProjectId, databaseId: DatabaseId): string[] =>
  db
    .select({ name: tables.apps.name })
    .from(tables.apps)
    .where(
      and(
        eq(tables.apps.projectId, projectId),
        ne(tables.apps.state, 'deleting'),
        // The attachments are a JSON array on the app row; few apps per project, so a scan is fine.
        sql`exists (select 1 from json_each(${tables.apps.databases}) where json_extract(value, '$.databaseId') = ${databaseId})`,
      ),
    )
    .all()
    .map((r) => r.name);
