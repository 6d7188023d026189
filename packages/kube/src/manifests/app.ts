import type { V1Deployment, V1Ingress, V1Service } from '@kubernetes/client-node';
import type { App } from '@uncloud/sdk';
import { type KubeObject, RESOURCE_ID, metadata, objectName, ownerLabels } from './meta.ts';

export type AppIntent = Pick<
  App,
  'id' | 'projectId' | 'name' | 'image' | 'port' | 'replicas' | 'domains' | 'healthCheckPath'
> & {
  /** The environment as stored: every value (the API's `App.env` withholds them from viewers). */
  env: Record<string, string>;
  /** When the app was last redeployed; a new value rolls every replica, as `kubectl rollout restart`. */
  restartedAt?: Date | null;
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
          ...(app.restartedAt ? { annotations: { [RESTARTED_AT]: app.restartedAt.toISOString() } } : {}),
        },
        spec: {
          containers: [
            {
              name: 'app',
              image: app.image,
              ports: [{ name: 'http', containerPort: app.port, protocol: 'TCP' }],
              env: Object.entries(app.env)
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([name, value]) => ({ name, value })),
              readinessProbe: probe,
              resources: { requests: APP_CONTAINER_REQUESTS },
            },
          ],
        },
      },
    },
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
  [deploymentManifest(app), serviceManifest(app), ingressManifest(app, options)].filter((o) => o !== null);
