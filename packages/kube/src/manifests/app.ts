import type { V1Deployment, V1Ingress, V1Service } from '@kubernetes/client-node';
import { type App, type DatabaseEngine, databaseVariableKeys, databaseVariables } from '@uncloud/sdk';
import { credentialsSecretName } from './database.ts';
import { type KubeObject, RESOURCE_ID, metadata, objectName, ownerLabels } from './meta.ts';

/** A database attached to the app, with what its variables depend on. */
export interface AttachedDatabase {
  id: string;
  engine: DatabaseEngine;
  envPrefix: string;
  /** The password revision the server accepts: a new one rolls the app's pods. */
  passwordRevision: number;
}

/** What an app's pods pull its image with: credentials for the registry the image comes from. */
export interface PullCredential {
  /** The registry's host (and port), as the image names it: `registry.example.com`. */
  server: string;
  username: string;
  password: string;
}

export type AppIntent = Pick<
  App,
  'id' | 'projectId' | 'name' | 'image' | 'port' | 'replicas' | 'domains' | 'healthCheckPath'
> & {
  /** The environment as stored: every value (the API's `App.env` withholds them from viewers). */
  env: Record<string, string>;
  /** When the app was last redeployed; a new value rolls every replica, as `kubectl rollout restart`. */
  restartedAt?: Date | null;
  /** Databases attached to the app: their credentials reach its pods as variables. */
  databases?: AttachedDatabase[];
  /** Credentials for a private image: an image pull Secret of the app's own. */
  pullCredential?: PullCredential | undefined;
};

/**
 * The registry an image reference names, as Docker reads it: the first path component when it
 * looks like a host (has a dot or a port, or is `localhost`); undefined for Docker Hub's images.
 */
export const registryHostOf = (image: string): string | undefined => {
  const slash = image.indexOf('/');
  if (slash < 0) return undefined;
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : undefined;
};

/** The app's image pull Secret: `<app object name>-pull`. */
export const pullSecretName = (appId: string) => `${objectName(appId)}-pull`;

/**
 * The pod-template annotation that names each attached database's password revision: a reset
 * changes it, which rolls the pods so they read the new password from the Secret.
 */
export const DATABASE_PASSWORDS = 'uncloud.dev/database-passwords';

const urlSchemes: Record<DatabaseEngine, string> = {
  postgres: 'postgresql',
  mysql: 'mysql',
  valkey: 'redis',
};

/**
 * An attached database's variables, read from its credentials Secret when the pod starts (the
 * values never pass through Uncloud's store). The URL is built by Kubernetes from the variables
 * before it (`$(VAR)` expansion); generated passwords are URL-safe, so it needs no escaping.
 */
export const databaseEnv = (database: AttachedDatabase) => {
  const secret = credentialsSecretName(database);
  const prefix = database.envPrefix;
  const names = databaseVariables(database.engine, prefix);
  const fromSecret = names
    .map((name) => ({
      name,
      key: databaseVariableKeys[name.slice(prefix.length + 1) as keyof typeof databaseVariableKeys],
    }))
    .filter((v): v is { name: string; key: NonNullable<typeof v.key> } => v.key !== null)
    .map(({ name, key }) => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } }));
  const ref = (suffix: string) => `$(${prefix}_${suffix})`;
  const url =
    database.engine === 'valkey'
      ? `redis://:${ref('PASSWORD')}@${ref('HOST')}:${ref('PORT')}`
      : `${urlSchemes[database.engine]}://${ref('USER')}:${ref('PASSWORD')}@${ref('HOST')}:${ref('PORT')}/${ref('NAME')}`;
  return [...fromSecret, { name: `${prefix}_URL`, value: url }];
};

/** The pod-template annotation `kubectl rollout restart` sets, so kubectl users see the same thing. */
export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** Requests every app container makes, so that a project's CPU and memory quota can count it. */
export const APP_CONTAINER_REQUESTS = { cpu: '100m', memory: '128Mi' };

const ownerOf = (app: AppIntent) => ({
  kind: 'app' as const,
  id: app.id,
  projectId: app.projectId,
  name: app.name,
});

export const deploymentManifest = (app: AppIntent): V1Deployment & KubeObject => {
  const owner = ownerOf(app);
  const attached = [...(app.databases ?? [])].sort((a, b) => a.envPrefix.localeCompare(b.envPrefix));
  const annotations = {
    ...(app.restartedAt ? { [RESTARTED_AT]: app.restartedAt.toISOString() } : {}),
    ...(attached.length > 0
      ? { [DATABASE_PASSWORDS]: attached.map((d) => `${d.id}=${d.passwordRevision}`).join(',') }
      : {}),
  };
  const probe = app.healthCheckPath
    ? { httpGet: { path: app.healthCheckPath, port: app.port }, periodSeconds: 10, failureThreshold: 3 }
    : { tcpSocket: { port: app.port }, periodSeconds: 10, failureThreshold: 3 };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(owner, objectName(app.id)),
    spec: {
      replicas: app.replicas,
      // Selecting on the resource id alone keeps the selector valid across renames (it is immutable).
      selector: { matchLabels: { [RESOURCE_ID]: app.id } },
      template: {
        metadata: {
          labels: ownerLabels(owner),
          ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
        },
        spec: {
          // Always set, empty without a credential: an image that turns public drops the Secret
          // from the pods (the apply owns the field, so an empty list takes it away).
          imagePullSecrets: app.pullCredential ? [{ name: pullSecretName(app.id) }] : [],
          containers: [
            {
              name: 'app',
              image: app.image,
              ports: [{ name: 'http', containerPort: app.port, protocol: 'TCP' }],
              // An attached database's variables come last: Kubernetes lets a later entry win.
              env: [
                ...Object.entries(app.env)
                  .sort(([a], [b]) => a.localeCompare(b))
                  .map(([name, value]) => ({ name, value })),
                ...attached.flatMap(databaseEnv),
              ],
              readinessProbe: probe,
              resources: { requests: APP_CONTAINER_REQUESTS },
            },
          ],
        },
      },
    },
  };
};

/** The `kubernetes.io/dockerconfigjson` Secret kubelet pulls a private image with. */
export const pullSecretManifest = (app: AppIntent, credential: PullCredential): KubeObject => {
  const { server, username, password } = credential;
  const auth = Buffer.from(`${username}:${password}`).toString('base64');
  const config = JSON.stringify({ auths: { [server]: { username, password, auth } } });
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: metadata(ownerOf(app), pullSecretName(app.id)),
    type: 'kubernetes.io/dockerconfigjson',
    // `data`, not `stringData`: what the API server keeps, so that drift compares like for like.
    data: { '.dockerconfigjson': Buffer.from(config).toString('base64') },
  };
};

export const serviceManifest = (app: AppIntent): V1Service & KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: metadata(ownerOf(app), objectName(app.id)),
  spec: {
    type: 'ClusterIP',
    selector: { [RESOURCE_ID]: app.id },
    ports: [{ name: 'http', port: 80, targetPort: app.port, protocol: 'TCP' }],
  },
});

/** Routes each of the app's domains to its Service; no domains, no Ingress. */
export const ingressManifest = (
  app: AppIntent,
  { ingressClass }: { ingressClass: string | undefined },
): (V1Ingress & KubeObject) | null =>
  app.domains.length === 0
    ? null
    : {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: metadata(ownerOf(app), objectName(app.id)),
        spec: {
          ...(ingressClass ? { ingressClassName: ingressClass } : {}),
          rules: [...app.domains].sort().map((host) => ({
            host,
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: objectName(app.id), port: { number: 80 } } },
                },
              ],
            },
          })),
        },
      };

export const appManifests = (app: AppIntent, options: { ingressClass: string | undefined }): KubeObject[] =>
  [
    deploymentManifest(app),
    serviceManifest(app),
    ingressManifest(app, options),
    app.pullCredential ? pullSecretManifest(app, app.pullCredential) : null,
  ].filter((o) => o !== null);
