import { type DatabaseRow, type Db, databasesRepository as databases, newId } from '@uncloud/db';
import { type Database, databaseEngines } from '@uncloud/sdk';
import type { DatabaseService } from '@uncloud/sdk/contract';
import type { ServiceDeps } from './deps.ts';
import { reconciledOutput } from './present.ts';
import { assertWithinQuota } from './quota-usage.ts';
import { resourceService } from './resource-service.ts';

const presentDatabases = (_db: Db, rows: DatabaseRow[]): Database[] =>
  rows.map((row): Database => ({
    id: row.id as Database['id'],
    projectId: row.projectId as Database['projectId'],
    name: row.name,
    engine: row.engine,
    version: row.version,
    size: row.size,
    nodes: row.nodes,
    tags: row.tags,
    state: row.state,
    readyNodes: row.readyNodes,
    primary: row.primaryInstance,
    connection:
      row.connectionHost && row.connectionPort && row.connectionDatabase && row.connectionUser
        ? {
            host: row.connectionHost,
            port: row.connectionPort,
            database: row.connectionDatabase,
            user: row.connectionUser,
          }
        : null,
    ...reconciledOutput(row),
  }));

export const createDatabaseService = (deps: ServiceDeps): DatabaseService => {
  const base = resourceService(deps, 'database', databases, presentDatabases);

  return {
    list: base.list,
    get: base.get,

    create: (scope, input) =>
      base.commit(scope, (db) => {
        assertWithinQuota(db, scope.projectId, { databases: 1 }, 'name');
        const engine = databaseEngines.find((e) => e.engine === input.engine)!;
        return databases.insert(db, {
          id: newId('database'),
          projectId: scope.projectId,
          name: input.name,
          engine: input.engine,
          version: input.version ?? engine.defaultVersion,
          size: input.size,
          nodes: input.nodes,
          tags: input.tags,
        });
      }),

    update: (scope, { projectId: _, id, ...patch }) => base.update(scope, id, patch),

    delete: (scope, ref) => base.delete(scope, ref),
  };
};
