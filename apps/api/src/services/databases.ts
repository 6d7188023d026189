import { type DatabaseRow, type Db, databasesRepository as databases, newId } from '@uncloud/db';
import {
  type Database,
  databaseEngines,
  databaseNodesProblem,
  databaseNodesWarning,
  databaseStorageGiB,
  findDatabaseSize,
  badRequest,
  conflict,
  unavailable,
} from '@uncloud/sdk';
import { type DatabaseService } from '@uncloud/sdk/contract';
import { DATABASE_NAME, DATABASE_USER, credentialsSecretName, namespaceName } from '@uncloud/kube';
import { nothingToChange } from './actions.ts';
import { appsAttachedTo } from './app-databases.ts';
import { configureBackups, presentBackupFields, restoreDatabase } from './database-backups.ts';
import { connectionUri } from './database-uri.ts';
import type { ServiceDeps } from './deps.ts';
import { reconciledOutput } from './present.ts';
import { restoreNote } from './restore-note.ts';
import { assertWithinQuota, costDelta, databaseCost, passwordResetCost } from './quota-usage.ts';
import { resourceService } from './resource-service.ts';

const presentDatabases = (_db: Db, rows: DatabaseRow[]): Database[] =>
  rows.map((row): Database => ({
    id: row.id,
    projectId: row.projectId,
    name: row.name,
    engine: row.engine,
    version: row.version,
    size: row.size,
    nodes: row.nodes,
    storageGiB: databaseStorageGiB(row),
    tags: row.tags,
    state: row.state,
    readyNodes: row.readyNodes,
    warning: databaseNodesWarning(row.engine, row.nodes),
    note: restoreNote(row),
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
    ...presentBackupFields(row),
    ...reconciledOutput(row),
  }));

export const createDatabaseService = (deps: ServiceDeps): DatabaseService => {
  const base = resourceService(deps, 'database', databases, presentDatabases);

  return {
    list: base.list,
    get: base.get,

    create: (scope, input) =>
      base.commit(scope, (db) => {
        const nodesProblem = databaseNodesProblem(input.engine, input.nodes);
        if (nodesProblem) throw badRequest(nodesProblem, 'nodes');
        const engine = databaseEngines.find((e) => e.engine === input.engine)!;
        const version = input.version ?? engine.defaultVersion;
        assertWithinQuota(
          db,
          scope.projectId,
          databaseCost(scope.projectId, { ...input, version, storageGiB: null }),
          { databases: 'name', vcpus: 'size', memoryMiB: 'size', volumeGiB: 'size' },
        );
        return databases.insert(db, {
          id: newId('database'),
          projectId: scope.projectId,
          name: input.name,
          engine: input.engine,
          version,
          size: input.size,
          nodes: input.nodes,
          tags: input.tags,
        });
      }),

    update: (scope, { projectId: _, id, ...patch }) => base.update(scope, id, patch),

    async credentials(scope, ref) {
      const row = databases.get(deps.store.db, scope.projectId, ref.id);
      if (!row.connectionHost || !row.connectionPort || row.state === 'deleting') {
        throw conflict(
          `database ${row.name} is not ready yet (state ${row.state}); ask again once it is active`,
        );
      }
      const secret = await deps.runtime.readSecret(namespaceName(row.projectId), credentialsSecretName(row));
      if (!secret?.password)
        throw unavailable('the database credentials are not in the cluster yet; try again shortly');
      const { host, port, database, user } = {
        host: row.connectionHost,
        port: row.connectionPort,
        database: row.connectionDatabase ?? DATABASE_NAME,
        user: row.connectionUser ?? DATABASE_USER,
      };
      return {
        host,
        port,
        database,
        user,
        password: secret.password,
        uri: connectionUri(row.engine, { host, port, database, user, password: secret.password }),
      };
    },

    delete: (scope, ref) =>
      base.delete(scope, ref, (db, row) => {
        const attached = appsAttachedTo(db, scope.projectId, row.id);
        if (attached.length > 0)
          throw conflict(
            `database ${row.name} is attached to app${attached.length > 1 ? 's' : ''} ${attached.join(', ')}; detach it first (apps.detachDatabase)`,
          );
      }),

    resize: (scope, { id, size, nodes, storageGiB }) =>
      base.act(scope, id, 'resize', (db, row) => {
        const current = databaseStorageGiB(row);
        const nodesProblem = nodes !== undefined && databaseNodesProblem(row.engine, nodes);
        if (nodesProblem) throw badRequest(nodesProblem, 'nodes');
        if (storageGiB !== undefined && storageGiB < current)
          throw badRequest(
            `storage only grows (${row.name} has ${current} GiB per node); to use less, create a new database and move the data`,
            'storageGiB',
          );
        // Engines run as a StatefulSet keep the volume claims they were created with: Kubernetes
        // refuses any change to a StatefulSet's volumeClaimTemplates.
        const fixedStorage = row.engine !== 'postgres';
        if (fixedStorage && storageGiB !== undefined && storageGiB !== current)
          throw badRequest(
            `${row.engine} databases keep the storage they were created with (${current} GiB per node); create a larger database and move the data`,
            'storageGiB',
          );
        // A bigger size brings its bigger disk; a smaller one keeps the disk there is.
        const storage = fixedStorage
          ? current
          : Math.max(current, storageGiB ?? 0, size ? findDatabaseSize(size).diskGiB : 0);
        const patch = {
          ...(size !== undefined && size !== row.size ? { size } : {}),
          ...(nodes !== undefined && nodes !== row.nodes ? { nodes } : {}),
          // Pinned on any size change too, so that the disk never follows a smaller size down.
          ...(storage !== current || (size !== undefined && size !== row.size)
            ? { storageGiB: storage }
            : {}),
        };
        if (Object.keys(patch).length === 0)
          throw nothingToChange(`database ${row.name} already has that size, node count and storage`, 'size');
        assertWithinQuota(
          db,
          scope.projectId,
          costDelta(databaseCost(scope.projectId, { ...row, ...patch }), databaseCost(scope.projectId, row)),
          nodes !== undefined && nodes !== row.nodes
            ? 'nodes'
            : storageGiB !== undefined
              ? 'storageGiB'
              : 'size',
        );
        return {
          patch,
          params: { ...patch, from: { size: row.size, nodes: row.nodes, storageGiB: current } },
        };
      }),

    configureBackups: configureBackups(base),
    restore: restoreDatabase(base),

    resetPassword: (scope, ref) =>
      base.act(scope, ref.id, 'resetPassword', (db, row) => {
        // MySQL and Valkey change it with a Job, whose pod the quota must have room for.
        if (row.engine !== 'postgres') assertWithinQuota(db, scope.projectId, passwordResetCost());
        return {
          // Never put back on failure: each reset has a revision of its own (its Job and Secret are
          // named after it), and the server keeps the old password until one succeeds.
          patch: { passwordRevision: row.passwordRevision + 1 },
          revertible: false,
        };
      }),
  };
};
