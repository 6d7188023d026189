import type { V1Job, V1Service, V1StatefulSet } from '@kubernetes/client-node';
import { type Database, databaseEngines, findDatabaseSize, runningDatabaseNodes } from '@uncloud/sdk';
import {
  type KubeObject,
  RESOURCE_ID,
  fixedOwnerLabels,
  metadata,
  namespaceName,
  objectName,
  ownerLabels,
} from './meta.ts';

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

/** The Secret holding the password a reset sets, until the server accepts it (MySQL, Valkey). */
export const nextPasswordSecretName = (database: { id: string }, revision: number) =>
  `${objectName(database.id)}-password-${revision}`;

/** The Job that sets that password on the server; named after the revision, so each reset runs once. */
export const passwordResetJobName = nextPasswordSecretName;

/** What the reset Job asks of the quota (every container must say so under a CPU or memory quota). */
export const PASSWORD_RESET_REQUESTS = { cpu: '50m', memory: '64Mi' };

/**
 * The shell each engine's reset runs with `OLD` (the password the credentials Secret holds) and
 * `NEW`. It changes the password with the old one, or finds the new one already in effect (a pod
 * that ran before and was retried), so running it twice is harmless. Generated passwords are
 * base64url, which needs no quoting inside SQL or shell strings.
 */
export const passwordResetScript = (engine: 'mysql' | 'valkey', host: string): string =>
  engine === 'mysql'
    ? [
        // The image's root shares the app user's password (MYSQL_ROOT_PASSWORD from the same Secret):
        // both change, so the old password opens nothing afterwards.
        `if mysql --protocol=TCP -h ${host} -u root -p"$OLD" -e "ALTER USER '${DATABASE_USER}'@'%' IDENTIFIED BY '$NEW'; ALTER USER 'root'@'%' IDENTIFIED BY '$NEW'; ALTER USER IF EXISTS 'root'@'localhost' IDENTIFIED BY '$NEW'"; then exit 0; fi`,
        `mysql --protocol=TCP -h ${host} -u ${DATABASE_USER} -p"$NEW" -e 'SELECT 1'`,
      ].join('\n')
    : [
        // CONFIG SET changes the running server; the StatefulSet starts it from the credentials
        // Secret (--requirepass), which holds the new password once this Job has succeeded.
        `if [ "$(valkey-cli -h ${host} -a "$OLD" --no-auth-warning CONFIG SET requirepass "$NEW")" = OK ]; then exit 0; fi`,
        `[ "$(valkey-cli -h ${host} -a "$NEW" --no-auth-warning PING)" = PONG ]`,
      ].join('\n');

/**
 * A password reset of a MySQL or Valkey database as a Job: the engine's own client, run in the
 * engine's image, sets the password of `revision` (from its Secret) with the current one (from the
 * credentials Secret). Its pod carries none of the database's selector labels, so neither the
 * StatefulSet nor the Service ever takes it for a server.
 */
export const passwordResetJobManifest = (
  db: DatabaseIntent & { engine: 'mysql' | 'valkey' },
  revision: number,
): V1Job & KubeObject => {
  const host = `${objectName(db.id)}.${namespaceName(db.projectId)}.svc`;
  const secretKey = (name: string) => ({ secretKeyRef: { name, key: 'password' } });
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: metadata(ownerOf(db), passwordResetJobName(db, revision)),
    spec: {
      backoffLimit: 4,
      template: {
        metadata: { labels: { 'uncloud.dev/password-reset': db.id } },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'reset',
              image: statefulImages[db.engine](db.version),
              command: ['sh', '-c', passwordResetScript(db.engine, host)],
              env: [
                { name: 'OLD', valueFrom: secretKey(credentialsSecretName(db)) },
                { name: 'NEW', valueFrom: secretKey(nextPasswordSecretName(db, revision)) },
              ],
              resources: { requests: PASSWORD_RESET_REQUESTS, limits: PASSWORD_RESET_REQUESTS },
            },
          ],
        },
      },
    },
  };
};
