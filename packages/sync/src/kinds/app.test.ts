import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@uncloud/kube';
import { DatabaseId } from '@uncloud/sdk';
import { appRow, fakeLookup, settings } from '../test-support/rows.ts';
import { appReconciler } from './app.ts';

const objectsOf = (row = appRow(), s = settings) => {
  const desired = appReconciler.desired(fakeLookup(), row, s);
  if (!('objects' in desired)) throw new Error(desired.waitingFor);
  return desired.objects;
};

/** A Deployment as the cluster reports it: its own generation and the rollout's status. */
const deployment = (generation: number, status: Record<string, number>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'app-dddddddddddddddddddd', generation },
  status,
});

const serviceUrl = 'http://app-dddddddddddddddddddd.uc-proj-aaaaaaaaaaaaaaaaaaaa.svc.cluster.local';

describe('app desired', () => {
  it('waits for the project namespace', () => {
    expect(appReconciler.desired(fakeLookup({ namespaceReady: false }), appRow(), settings)).toEqual({
      waitingFor: "the project's namespace",
    });
  });

  it('is a Deployment and a Service; no Ingress without domains', () => {
    const objects = objectsOf(appRow({ image: 'ghcr.io/acme/api:2', replicas: 3, env: { B: '2', A: '1' } }));
    expect(objects.map((o) => o.kind)).toEqual(['Deployment', 'Service']);
    expect(objects[0]).toMatchObject({
      metadata: { name: 'app-dddddddddddddddddddd', namespace: 'uc-proj-aaaaaaaaaaaaaaaaaaaa' },
      spec: {
        replicas: 3,
        template: {
          spec: {
            containers: [
              {
                image: 'ghcr.io/acme/api:2',
                ports: [{ containerPort: 8080 }],
                env: [
                  { name: 'A', value: '1' },
                  { name: 'B', value: '2' },
                ],
              },
            ],
          },
        },
      },
    });
    expect(objects[1]).toMatchObject({ spec: { ports: [{ port: 80, targetPort: 8080 }] } });
  });

  it('routes each domain through an Ingress of the configured class', () => {
    const objects = objectsOf(appRow({ domains: ['api.example.com', 'www.example.com'] }));
    expect(objects.map((o) => o.kind)).toEqual(['Deployment', 'Service', 'Ingress']);
    expect(objects[2]).toMatchObject({
      spec: {
        ingressClassName: 'nginx',
        rules: [{ host: 'api.example.com' }, { host: 'www.example.com' }],
      },
    });
  });

  it('probes the health check path when there is one, the port otherwise', () => {
    const probed = (readinessProbe: object) => ({
      spec: { template: { spec: { containers: [{ readinessProbe }] } } },
    });
    expect(objectsOf(appRow({ healthCheckPath: '/healthz' }))[0]).toMatchObject(
      probed({ httpGet: { path: '/healthz', port: 8080 } }),
    );
    expect(objectsOf(appRow())[0]).toMatchObject(probed({ tcpSocket: { port: 8080 } }));
  });

  it('restarts every replica when redeployed (the rollout-restart annotation)', () => {
    const restartedAt = new Date('2025-02-03T04:05:06Z');
    expect(objectsOf(appRow({ restartedAt }))[0]).toMatchObject({
      spec: {
        template: {
          metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-02-03T04:05:06.000Z' } },
        },
      },
    });
  });
});

describe('app observe (rollout)', () => {
  // The row wants 2 replicas.
  it.each<[string, KubeObject[], string, Record<string, unknown>]>([
    [
      'no Deployment yet',
      [],
      'provisioning',
      { readyReplicas: null, availableReplicas: null, updatedReplicas: null, url: serviceUrl },
    ],
    [
      'rolled out: every replica updated and ready, the controller caught up',
      [
        deployment(3, {
          observedGeneration: 3,
          replicas: 2,
          updatedReplicas: 2,
          readyReplicas: 2,
          availableReplicas: 2,
        }),
      ],
      'active',
      { readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2, url: serviceUrl },
    ],
    [
      'the controller has not seen the new template yet (observedGeneration behind)',
      [
        deployment(4, {
          observedGeneration: 3,
          replicas: 2,
          updatedReplicas: 2,
          readyReplicas: 2,
          availableReplicas: 2,
        }),
      ],
      'provisioning',
      { readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2, url: serviceUrl },
    ],
    [
      'a new replica not ready yet',
      [
        deployment(3, {
          observedGeneration: 3,
          replicas: 2,
          updatedReplicas: 2,
          readyReplicas: 1,
          availableReplicas: 1,
        }),
      ],
      'provisioning',
      { readyReplicas: 1, availableReplicas: 1, updatedReplicas: 2, url: serviceUrl },
    ],
    [
      'old replicas still running the previous template',
      [
        deployment(3, {
          observedGeneration: 3,
          replicas: 2,
          updatedReplicas: 1,
          readyReplicas: 2,
          availableReplicas: 2,
        }),
      ],
      'provisioning',
      { readyReplicas: 2, availableReplicas: 2, updatedReplicas: 1, url: serviceUrl },
    ],
    [
      'an old replica still terminating (more replicas than wanted)',
      [
        deployment(3, {
          observedGeneration: 3,
          replicas: 3,
          updatedReplicas: 2,
          readyReplicas: 2,
          availableReplicas: 2,
        }),
      ],
      'provisioning',
      { readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2, url: serviceUrl },
    ],
    [
      'a new Deployment with no status yet',
      [deployment(1, {})],
      'provisioning',
      { readyReplicas: 0, availableReplicas: 0, updatedReplicas: 0, url: serviceUrl },
    ],
  ])('%s', (_what, objects, state, values) => {
    expect(appReconciler.observe(appRow({ replicas: 2 }), objects)).toEqual({ state, values });
  });

  it('gives the first domain as the URL when there is one', () => {
    expect(appReconciler.observe(appRow({ domains: ['api.example.com'] }), []).values.url).toBe(
      'http://api.example.com',
    );
  });
});

describe('app with attached databases', () => {
  const databaseId = DatabaseId.parse('db_eeeeeeeeeeeeeeeeeeee');
  const secretKey = (key: string) => ({
    valueFrom: { secretKeyRef: { name: 'db-eeeeeeeeeeeeeeeeeeee-credentials', key } },
  });
  const deploymentOf = (activePasswordRevision: number) => {
    const desired = appReconciler.desired(
      fakeLookup({ databases: { [databaseId]: { engine: 'postgres', activePasswordRevision } } }),
      appRow({ env: { A: '1' }, databases: [{ databaseId, envPrefix: 'ORDERS_DB' }] }),
      settings,
    );
    if (!('objects' in desired)) throw new Error(desired.waitingFor);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return desired.objects[0] as any;
  };

  it('gets its connection from the database Secret, never as values', () => {
    const deployment = deploymentOf(1);
    expect(deployment.spec.template.spec.containers[0].env).toEqual([
      { name: 'A', value: '1' },
      { name: 'ORDERS_DB_HOST', ...secretKey('host') },
      { name: 'ORDERS_DB_PORT', ...secretKey('port') },
      { name: 'ORDERS_DB_USER', ...secretKey('username') },
      { name: 'ORDERS_DB_PASSWORD', ...secretKey('password') },
      { name: 'ORDERS_DB_NAME', ...secretKey('dbname') },
      {
        name: 'ORDERS_DB_URL',
        value:
          'postgresql://$(ORDERS_DB_USER):$(ORDERS_DB_PASSWORD)@$(ORDERS_DB_HOST):$(ORDERS_DB_PORT)/$(ORDERS_DB_NAME)',
      },
    ]);
  });

  it('rolls its pods when the password the server accepts changes', () => {
    const annotations = (n: number) => deploymentOf(n).spec.template.metadata.annotations;
    expect(annotations(1)).toEqual({ 'uncloud.dev/database-passwords': `${databaseId}=1` });
    expect(annotations(2)).toEqual({ 'uncloud.dev/database-passwords': `${databaseId}=2` });
  });

  it('leaves out a database that is gone or being deleted', () => {
    const desired = appReconciler.desired(
      fakeLookup(),
      appRow({ databases: [{ databaseId, envPrefix: 'DATABASE' }] }),
      settings,
    );
    if (!('objects' in desired)) throw new Error(desired.waitingFor);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect((desired.objects[0] as any).spec.template.spec.containers[0].env).toEqual([]);
  });
});

describe('app observe, when Kubernetes refuses its pods', () => {
  it('is in error with the ReplicaSet’s words, not provisioning forever', () => {
    const message =
      'pods "app-x-1" is forbidden: exceeded quota: uncloud-quota, requested: requests.cpu=100m';
    const observed = appReconciler.observe(appRow(), [
      {
        ...deployment(1, { observedGeneration: 1, replicas: 0 }),
        status: {
          observedGeneration: 1,
          replicas: 0,
          conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message }],
        },
      },
    ]);
    expect(observed.state).toBe('error');
    expect(observed.error).toContain(`Kubernetes refused the app's pods: ${message}`);
  });
});

describe('app desired: private images', () => {
  const credential = { server: 'registry.example.com', username: 'uncloud-pull', password: 'secret-1' };
  const withRegistry = {
    ...settings,
    pullCredentialFor: (_projectId: string, image: string) =>
      image.startsWith('registry.example.com/') ? credential : undefined,
  };

  it('pulls an image of a registry with credentials through an image pull Secret of its own', () => {
    const objects = objectsOf(appRow({ image: 'registry.example.com/shop/api:1' }), withRegistry);
    expect(objects.map((o) => o.kind)).toEqual(['Deployment', 'Service', 'Secret']);
    expect(objects[0]).toMatchObject({
      spec: { template: { spec: { imagePullSecrets: [{ name: 'app-dddddddddddddddddddd-pull' }] } } },
    });
    const secret = objects[2]!;
    expect(secret).toMatchObject({
      metadata: { name: 'app-dddddddddddddddddddd-pull', namespace: 'uc-proj-aaaaaaaaaaaaaaaaaaaa' },
      type: 'kubernetes.io/dockerconfigjson',
    });
    const config = JSON.parse(
      Buffer.from((secret.data as Record<string, string>)['.dockerconfigjson']!, 'base64').toString(),
    );
    expect(config).toEqual({
      auths: {
        'registry.example.com': {
          username: 'uncloud-pull',
          password: 'secret-1',
          auth: Buffer.from('uncloud-pull:secret-1').toString('base64'),
        },
      },
    });
  });

  it('pulls a public image without a Secret (and prunes one left from a private image)', () => {
    const objects = objectsOf(appRow({ image: 'nginx:1.27' }), withRegistry);
    expect(objects.map((o) => o.kind)).toEqual(['Deployment', 'Service']);
    expect(objects[0]).toMatchObject({ spec: { template: { spec: { imagePullSecrets: [] } } } });
    expect(appReconciler.ownedKinds).toContain('Secret');
  });
});
