import type { V1Service, V1StatefulSet } from '@kubernetes/client-node';
import { type Database, databaseEngines, findDatabaseSize, runningDatabaseNodes } from '@uncloud/sdk';
import { type KubeObject, RESOURCE_ID, fixedOwnerLabels, metadata, objectName, ownerLabels } from './meta.ts';

export type DatabaseIntent = Pick<
  Database,
  'id' | 'projectId' | 'name' | 'engine' | 'version' | 'size' | 'nodes' | 'storageGiB'
>;

/** The database and owner created inside every managed database, as CloudNativePG names them by default. */
export const DATABASE_NAME = 'app';
export const DATABASE_USER = 'app';

/**
 * The Secret holding the password, for every engine. Uncloud makes it (rather than letting
 * CloudNativePG generate `<cluster>-app`) so that `resetPassword` can replace it: CloudNativePG
 * follows it through `managed.roles[].passwordSecret`.
 */
export const credentialsSecretName = (database: { id: string }) => `${objectName(database.id)}-credentials`;

const ownerOf = (db: DatabaseIntent) => ({
  kind: 'database' as const,
  id: db.id,
  projectId: db.projectId,
  name: db.name,
});

const resourcesOf = (db: DatabaseIntent) => {
  const size = findDatabaseSize(db.size);
  const requests = { cpu: String(size.vcpus), memory: `${size.memoryMiB}Mi` };
  return { size, requests };
};

/** PostgreSQL as a CloudNativePG Cluster: instances, storage, image version, initial database and owner. */
export const cnpgClusterManifest = (db: DatabaseIntent): KubeObject => {
  const { requests } = resourcesOf(db);
  const secret = { name: credentialsSecretName(db) };
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: metadata(ownerOf(db), objectName(db.id)),
    spec: {
      instances: db.nodes,
      imageName: `ghcr.io/cloudnative-pg/postgresql:${db.version}`,
      storage: { size: `${db.storageGiB}Gi` },
      resources: { requests, limits: requests },
      bootstrap: { initdb: { database: DATABASE_NAME, owner: DATABASE_USER, secret } },
      managed: { roles: [{ name: DATABASE_USER, ensure: 'present', login: true, passwordSecret: secret }] },
      inheritedMetadata: { labels: ownerLabels(ownerOf(db)) },
    },
  };
};

const statefulImages: Record<'mysql' | 'valkey', (version: string) => string> = {
  mysql: (v) => `mysql:${v}`,
  valkey: (v) => `valkey/valkey:${v}`,
};

/**
 * Engines without an operator run as a StatefulSet with a headless Service. The password comes from
 * the credentials Secret, which the sync engine creates once with a random password.
 */
export const statefulSetManifest = (
  db: DatabaseIntent & { engine: 'mysql' | 'valkey' },
): V1StatefulSet & KubeObject => {
  const owner = ownerOf(db);
  const { requests } = resourcesOf(db);
  const port = databaseEngines.find((e) => e.engine === db.engine)!.defaultPort;
  const name = objectName(db.id);
  const password = { secretKeyRef: { name: credentialsSecretName(db), key: 'password' } };
  const env =
    db.engine === 'mysql'
      ? [
          { name: 'MYSQL_DATABASE', value: DATABASE_NAME },
          { name: 'MYSQL_USER', value: DATABASE_USER },
          { name: 'MYSQL_PASSWORD', valueFrom: password },
          { name: 'MYSQL_ROOT_PASSWORD', valueFrom: password },
        ]
      : [{ name: 'VALKEY_PASSWORD', valueFrom: password }];
  const statefulSet: V1StatefulSet & KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: metadata(owner, name),
    spec: {
      serviceName: name,
      // Never more than one server: extra pods would be independent servers holding different data
      // (rows stored with more nodes before the API refused them run one, and say so).
      replicas: runningDatabaseNodes(db.engine, db.nodes),
      selector: { matchLabels: { [RESOURCE_ID]: db.id } },
      template: {
        metadata: { labels: ownerLabels(owner) },
        spec: {
          containers: [
            {
              name: db.engine,
              image: statefulImages[db.engine](db.version),
              ...(db.engine === 'valkey' ? { args: ['--requirepass', '$(VALKEY_PASSWORD)'] } : {}),
              ports: [{ name: 'db', containerPort: port, protocol: 'TCP' }],
              env,
              resources: { requests, limits: requests },
              volumeMounts: [{ name: 'data', mountPath: db.engine === 'mysql' ? '/var/lib/mysql' : '/data' }],
            },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          // Immutable: without the name, which a rename changes.
          metadata: { name: 'data', labels: fixedOwnerLabels(owner) },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: `${db.storageGiB}Gi` } },
          },
        },
      ],
    },
  };
  return statefulSet;
};

/** The headless Service in front of a MySQL or Valkey StatefulSet. */
export const headlessServiceManifest = (
  db: DatabaseIntent & { engine: 'mysql' | 'valkey' },
): V1Service & KubeObject => {
  const port = databaseEngines.find((e) => e.engine === db.engine)!.defaultPort;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(ownerOf(db), objectName(db.id)),
    spec: {
      clusterIP: 'None',
      selector: { [RESOURCE_ID]: db.id },
      ports: [{ name: 'db', port, targetPort: port, protocol: 'TCP' }],
    },
  };
};

export const statefulSetManifests = (db: DatabaseIntent & { engine: 'mysql' | 'valkey' }): KubeObject[] => [
  statefulSetManifest(db),
  headlessServiceManifest(db),
];

export const databaseManifests = (db: DatabaseIntent): KubeObject[] =>
  db.engine === 'postgres' ? [cnpgClusterManifest(db)] : statefulSetManifests({ ...db, engine: db.engine });
