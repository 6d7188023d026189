import { randomBytes } from 'node:crypto';
import { type DatabaseRow, databasesRepository } from '@uncloud/db';
import {
  DATABASE_NAME,
  DATABASE_USER,
  type KubeObject,
  credentialsSecretName,
  databaseManifests,
  metadata,
  nextPasswordSecretName,
  passwordResetJobManifest,
  namespaceName,
  objectName,
} from '@uncloud/kube';
import { databaseEngines, databaseStorageGiB, runningDatabaseNodes } from '@uncloud/sdk';
import { latestFailedCreate, refusalSentence } from './refusal.ts';
import { statusOf } from './status.ts';
import { CREATE_ONLY, REVISION, waitingForNamespace, type KindReconciler, firstOf } from './types.ts';

const endpointOf = (row: DatabaseRow) => {
  const namespace = namespaceName(row.projectId);
  const port = databaseEngines.find((e) => e.engine === row.engine)!.defaultPort;
  const host =
    row.engine === 'postgres'
      ? `${objectName(row.id)}-rw.${namespace}.svc`
      : `${objectName(row.id)}.${namespace}.svc`;
  return { host, port };
};

/** A new password: 24 random bytes in base64url, which needs no escaping in a URL, SQL or a shell. */
export const newPassword = () => randomBytes(24).toString('base64url');

/**
 * The password, made by us for every engine: created once and never re-applied (so the password
 * stays) until its revision is older than the one intent wants. Shaped like CloudNativePG's own
 * `-app` Secret, and labelled for CloudNativePG to reload the role's password when it changes.
 */
export const credentialsSecret = (
  row: DatabaseRow,
  { revision, password = newPassword() }: { revision: number; password?: string },
): KubeObject => {
  const { host, port } = endpointOf(row);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: metadata(
      { kind: 'database', id: row.id, projectId: row.projectId, name: row.name },
      credentialsSecretName(row),
      {
        labels: { 'cnpg.io/reload': 'true' },
        annotations: { [CREATE_ONLY]: 'true', [REVISION]: String(revision) },
      },
    ),
    type: 'kubernetes.io/basic-auth',
    stringData: { username: DATABASE_USER, password, host, port: String(port), dbname: DATABASE_NAME },
  };
};

const intentOf = (row: DatabaseRow) => ({
  id: row.id,
  projectId: row.projectId,
  name: row.name,
  engine: row.engine,
  version: row.version,
  size: row.size,
  nodes: row.nodes,
  storageGiB: databaseStorageGiB(row),
});

/** The password a pending reset sets: created once per revision, kept until the reset is done. */
const nextPasswordSecret = (row: DatabaseRow, revision: number): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: metadata(
    { kind: 'database', id: row.id, projectId: row.projectId, name: row.name },
    nextPasswordSecretName(row, revision),
    { annotations: { [CREATE_ONLY]: 'true', [REVISION]: String(revision) } },
  ),
  type: 'Opaque',
  stringData: { password: newPassword() },
});

/**
 * Objects whose FailedCreate warnings tell that a database's pods or claims were refused: the
 * StatefulSet (MySQL, Valkey), or CloudNativePG's Cluster and the Job it bootstraps the first
 * instance with.
 */
const failureSources = (row: DatabaseRow) => {
  const name = objectName(row.id);
  return row.engine === 'postgres' ? [name, `${name}-1-initdb`] : [name];
};

/** PostgreSQL is a CloudNativePG Cluster; other engines a StatefulSet, Service and credentials Secret. */
export const databaseReconciler: KindReconciler<DatabaseRow> = {
  kind: 'database',
  ownedKinds: ['Cluster', 'StatefulSet', 'Service', 'Secret', 'Job'],
  runtimeKinds: [],
  find: (db, id) => databasesRepository.byId(db, id),
  all: (db) => databasesRepository.all(db),
  namespaceOf: (row) => namespaceName(row.projectId),

  desired(lookup, row) {
    if (!lookup.namespaceReady(row.projectId)) return waitingForNamespace;
    const objects = databaseManifests(intentOf(row));
    if (row.engine === 'postgres') {
      // CloudNativePG sets the role's password from the Secret whenever it changes: a reset
      // replaces the Secret at once, and the action waits for the operator to apply it.
      return { objects: [...objects, credentialsSecret(row, { revision: row.passwordRevision })] };
    }
    // MySQL and Valkey read the Secret only when they start: the Secret keeps the password the
    // server accepts, and a pending reset is a Job that sets the next one (from a Secret of its
    // own); the action copies it into the credentials Secret once the Job has succeeded.
    // Created once (revision 1); a reset's new password is written by the action itself once the
    // server took it, so the engine never writes a password here that the server does not have.
    const credentials = credentialsSecret(row, { revision: 1 });
    const pending = row.passwordRevision > row.activePasswordRevision;
    const intent = { ...intentOf(row), engine: row.engine };
    return {
      objects: [
        ...objects,
        credentials,
        ...(pending
          ? [
              nextPasswordSecret(row, row.passwordRevision),
              passwordResetJobManifest(intent, row.passwordRevision),
            ]
          : []),
      ],
    };
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
    const wanted = runningDatabaseNodes(row.engine, row.nodes);
    const healthy = workload !== undefined && (ready ?? 0) >= wanted;
    // Fewer pods than wanted and a controller that says it could not create one: refused (a quota).
    const running = cluster
      ? (statusOf(cluster, 'Cluster').instances ?? 0)
      : (statusOf(workload, 'StatefulSet').replicas ?? 0);
    const failure =
      !healthy && running < wanted ? latestFailedCreate(objects, failureSources(row)) : undefined;
    const error = failure ? refusalSentence('database', failure) : undefined;
    const { host, port } = endpointOf(row);
    return {
      ...(error ? { error } : {}),
      state: error ? 'error' : healthy ? 'active' : 'provisioning',
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

  failuresAbout: (row) => (row.state === 'active' ? [] : failureSources(row)),

  record: (db, id, values) => databasesRepository.recordSync(db, id, values),
  remove: (db, id) => void databasesRepository.remove(db, id),
  touch: (db, ids, at) => databasesRepository.touchObserved(db, ids, at),
};
