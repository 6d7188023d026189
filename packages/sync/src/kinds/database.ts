import { randomBytes } from 'node:crypto';
import { type DatabaseRow, databasesRepository } from '@uncloud/db';
import {
  DATABASE_NAME,
  DATABASE_USER,
  type KubeObject,
  credentialsSecretName,
  databaseManifests,
  metadata,
  namespaceName,
  objectName,
} from '@uncloud/kube';
import { databaseEngines, databaseStorageGiB, runningDatabaseNodes } from '@uncloud/sdk';
import { statusOf } from './status.ts';
import { CREATE_ONLY, REVISION, waitingForNamespace, type KindReconciler, firstOf } from './types.ts';

/**
 * The password, made by us for every engine: created once and never re-applied (so the password
 * stays) until `resetPassword` bumps its revision. Shaped like CloudNativePG's own `-app` Secret.
 */
const credentialsSecret = (row: DatabaseRow, host: string, port: number): KubeObject => {
  const password = randomBytes(24).toString('base64url');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: metadata(
      { kind: 'database', id: row.id, projectId: row.projectId, name: row.name },
      credentialsSecretName(row),
      {
        annotations: { [CREATE_ONLY]: 'true', [REVISION]: String(row.passwordRevision) },
      },
    ),
    type: 'kubernetes.io/basic-auth',
    stringData: { username: DATABASE_USER, password, host, port: String(port), dbname: DATABASE_NAME },
  };
};

const endpointOf = (row: DatabaseRow) => {
  const namespace = namespaceName(row.projectId);
  const port = databaseEngines.find((e) => e.engine === row.engine)!.defaultPort;
  const host =
    row.engine === 'postgres'
      ? `${objectName(row.id)}-rw.${namespace}.svc`
      : `${objectName(row.id)}.${namespace}.svc`;
  return { host, port };
};

/** PostgreSQL is a CloudNativePG Cluster; other engines a StatefulSet, Service and credentials Secret. */
export const databaseReconciler: KindReconciler<DatabaseRow> = {
  kind: 'database',
  ownedKinds: ['Cluster', 'StatefulSet', 'Service', 'Secret'],
  runtimeKinds: [],
  find: (db, id) => databasesRepository.byId(db, id),
  all: (db) => databasesRepository.all(db),
  namespaceOf: (row) => namespaceName(row.projectId),

  desired(lookup, row) {
    if (!lookup.namespaceReady(row.projectId)) return waitingForNamespace;
    const objects = databaseManifests({
      id: row.id,
      projectId: row.projectId,
      name: row.name,
      engine: row.engine,
      version: row.version,
      size: row.size,
      nodes: row.nodes,
      storageGiB: databaseStorageGiB(row),
    });
    const { host, port } = endpointOf(row);
    return { objects: [...objects, credentialsSecret(row, host, port)] };
  },

  observe(row, objects) {
    // PostgreSQL runs as a CloudNativePG Cluster, which names its primary; other engines as a
    // StatefulSet whose first pod is the primary.
    const cluster = row.engine === 'postgres' ? firstOf(objects, 'Cluster') : undefined;
    const workload = row.engine === 'postgres' ? cluster : firstOf(objects, 'StatefulSet');
    const ready = cluster
      ? statusOf(cluster, 'Cluster').readyInstances
      : statusOf(workload, 'StatefulSet').readyReplicas;
    // Healthy once the nodes it runs are ready: a MySQL or Valkey row stored with more nodes runs one.
    const healthy = workload !== undefined && (ready ?? 0) >= runningDatabaseNodes(row.engine, row.nodes);
    const { host, port } = endpointOf(row);
    return {
      state: healthy ? 'active' : 'provisioning',
      values: {
        readyNodes: workload ? (ready ?? 0) : null,
        primaryInstance: cluster
          ? (statusOf(cluster, 'Cluster').currentPrimary ?? null)
          : row.engine === 'postgres'
            ? null
            : healthy
              ? `${objectName(row.id)}-0`
              : null,
        connectionHost: healthy ? host : null,
        connectionPort: healthy ? port : null,
        connectionDatabase: healthy ? DATABASE_NAME : null,
        connectionUser: healthy ? DATABASE_USER : null,
      },
    };
  },

  record: (db, id, values) => databasesRepository.recordSync(db, id, values),
  remove: (db, id) => void databasesRepository.remove(db, id),
  touch: (db, ids, at) => databasesRepository.touchObserved(db, ids, at),
};
