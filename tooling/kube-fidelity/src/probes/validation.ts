// Built-in kinds: wrong JSON types, field validation, immutable fields, optimistic concurrency.
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import {
  configMap,
  deployment,
  fromClient,
  fromHttp,
  fromKubectl,
  paths,
  pod,
  viaClient,
} from '../observe.ts';
import type { Probe } from '../types.ts';

const replicasTwo = () => {
  const d = deployment('web');
  (d.spec as Record<string, unknown>).replicas = 'two';
  return d;
};

export const validationProbes: Probe[] = [
  {
    name: 'deployment-replicas-string',
    area: 'validation',
    description: 'POST a Deployment with `spec.replicas: "two"` (JSON string for an int32)',
    async run(c) {
      return fromHttp(await c.request('POST', paths.apps(c, 'deployments'), { body: replicasTwo() }));
    },
  },
  {
    name: 'configmap-data-number',
    area: 'validation',
    description: 'POST a ConfigMap whose `data` value is a number',
    async run(c) {
      return fromHttp(
        await c.request('POST', paths.core(c, 'configmaps'), { body: configMap('cm', { a: 5 }) }),
      );
    },
  },
  {
    name: 'kubectl-create-wrong-type',
    area: 'validation',
    description: '`kubectl create -f -` of a Deployment with `replicas: "two"`',
    async run(c) {
      return fromKubectl(
        await c.kubectl(['create', '-n', c.namespace, '-f', '-'], { input: JSON.stringify(replicasTwo()) }),
      );
    },
  },
  {
    name: 'pod-requests-over-limits',
    area: 'validation',
    description: 'client-node createNamespacedPod with cpu requests 2 > limits 1 (422 Invalid)',
    async run(c) {
      const core = c.kc.makeApiClient(CoreV1Api);
      const body = pod('greedy', { resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } });
      return fromClient(
        await viaClient(() => core.createNamespacedPodWithHttpInfo({ namespace: c.namespace, body })),
      );
    },
  },
  {
    name: 'deployment-selector-immutable',
    area: 'validation',
    description: 'Merge-patch a Deployment with a changed `spec.selector` (immutable in apps/v1)',
    async run(c) {
      const created = await c.request('POST', paths.apps(c, 'deployments'), { body: deployment('web') });
      if (created.status !== 201) return fromHttp(created, { step: 'create' });
      // A patch, not a PUT of the created body: the controller bumps resourceVersion meanwhile.
      const tier = { matchLabels: { tier: 'front' } };
      return fromHttp(
        await c.request('PATCH', paths.apps(c, 'deployments', 'web'), {
          body: { spec: { selector: tier, template: { metadata: { labels: { tier: 'front' } } } } },
          contentType: 'application/merge-patch+json',
        }),
      );
    },
  },
  {
    name: 'update-stale-resourceversion',
    area: 'validation',
    description: 'PUT a ConfigMap with a resourceVersion that another update made stale (409 Conflict)',
    async run(c) {
      const created = await c.request('POST', paths.core(c, 'configmaps'), { body: configMap('cm') });
      if (created.status !== 201) return fromHttp(created, { step: 'create' });
      const stale = structuredClone(created.body) as { data: Record<string, string> };
      const first = structuredClone(created.body) as { data: Record<string, string> };
      first.data = { key: 'first' };
      const ok = await c.request('PUT', paths.core(c, 'configmaps', 'cm'), { body: first });
      stale.data = { key: 'second' };
      return fromHttp(await c.request('PUT', paths.core(c, 'configmaps', 'cm'), { body: stale }), {
        firstUpdate: ok.status,
      });
    },
  },
  {
    name: 'create-already-exists',
    area: 'validation',
    description: 'client-node createNamespacedConfigMap twice with one name (409 AlreadyExists)',
    async run(c) {
      const core = c.kc.makeApiClient(CoreV1Api);
      const body = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'twice' },
        data: { key: 'value' },
      };
      await viaClient(() => core.createNamespacedConfigMapWithHttpInfo({ namespace: c.namespace, body }));
      return fromClient(
        await viaClient(() => core.createNamespacedConfigMapWithHttpInfo({ namespace: c.namespace, body })),
      );
    },
  },
  {
    name: 'read-missing-typed',
    area: 'validation',
    description: 'client-node readNamespacedDeployment of a name that does not exist (404 NotFound)',
    async run(c) {
      const apps = c.kc.makeApiClient(AppsV1Api);
      return fromClient(
        await viaClient(() =>
          apps.readNamespacedDeploymentWithHttpInfo({ namespace: c.namespace, name: 'nope' }),
        ),
      );
    },
  },
  {
    name: 'invalid-object-name',
    area: 'validation',
    description: 'POST a ConfigMap named `Bad_Name` (not a DNS subdomain: 422)',
    async run(c) {
      return fromHttp(await c.request('POST', paths.core(c, 'configmaps'), { body: configMap('Bad_Name') }));
    },
  },
  {
    name: 'invalid-container-name-and-image',
    area: 'validation',
    description: 'POST a Pod with two containers named alike and one without an image (422, two causes)',
    async run(c) {
      const p = pod('twins');
      p.spec.containers = [
        { name: 'main', image: 'nginx:1.27' },
        { name: 'main', image: '' },
      ];
      return fromHttp(await c.request('POST', paths.core(c, 'pods'), { body: p }));
    },
  },
];
