// Immutable fields of the kinds Uncloud writes: what kube-apiserver refuses on update, with its
// status, reason, message and causes. Each probe creates an object, then changes a field its
// validation (pkg/apis/*/validation) forbids changing.
import { fromHttp, paths } from '../observe.ts';
import type { Probe, ProbeCluster } from '../types.ts';

const mergePatch = (c: ProbeCluster, path: string, body: unknown) =>
  c.request('PATCH', path, { body, contentType: 'application/merge-patch+json' });

const claim = (name: string) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
});

const job = (name: string) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name },
  spec: {
    template: {
      metadata: { labels: { app: name } },
      spec: {
        restartPolicy: 'Never',
        containers: [{ name: 'main', image: 'busybox:1.36', command: ['true'] }],
      },
    },
  },
});

const service = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] },
});

export const immutabilityProbes: Probe[] = [
  {
    name: 'pvc-access-modes-immutable',
    area: 'validation',
    description:
      "Merge-patch a PersistentVolumeClaim's `spec.accessModes` (its spec is immutable but for requests)",
    async run(c) {
      const created = await c.request('POST', paths.core(c, 'persistentvolumeclaims'), {
        body: claim('data'),
      });
      if (created.status !== 201) return fromHttp(created, { step: 'create' });
      return fromHttp(
        await mergePatch(c, paths.core(c, 'persistentvolumeclaims', 'data'), {
          spec: { accessModes: ['ReadWriteMany'] },
        }),
      );
    },
  },
  {
    name: 'pvc-selector-immutable',
    area: 'validation',
    description: 'Merge-patch a PersistentVolumeClaim to add `spec.selector` after creation',
    async run(c) {
      const created = await c.request('POST', paths.core(c, 'persistentvolumeclaims'), {
        body: claim('data'),
      });
      if (created.status !== 201) return fromHttp(created, { step: 'create' });
      return fromHttp(
        await mergePatch(c, paths.core(c, 'persistentvolumeclaims', 'data'), {
          spec: { selector: { matchLabels: { disk: 'fast' } } },
        }),
      );
    },
  },
  {
    name: 'job-template-immutable',
    area: 'validation',
    description: "Merge-patch a Job's pod template (a new image): `spec.template` is immutable",
    async run(c) {
      const created = await c.request('POST', paths.group(c, 'batch/v1', 'jobs'), { body: job('once') });
      if (created.status !== 201) return fromHttp(created, { step: 'create' });
      const obs = fromHttp(
        await mergePatch(c, paths.group(c, 'batch/v1', 'jobs', 'once'), {
          spec: {
            template: { spec: { containers: [{ name: 'main', image: 'busybox:1.37', command: ['true'] }] } },
          },
        }),
      );
      // The server prints the whole template as its internal Go types: compare the rest of it.
      if (obs.message)
        obs.message = obs.message.replace(
          /Invalid value: [\s\S]*: field is immutable$/,
          'Invalid value: <template>: field is immutable',
        );
      return obs;
    },
  },
  {
    name: 'job-completions-immutable',
    area: 'validation',
    description: "Merge-patch a Job's `spec.completions` (immutable once set, unless elastic indexed)",
    async run(c) {
      const created = await c.request('POST', paths.group(c, 'batch/v1', 'jobs'), { body: job('counted') });
      if (created.status !== 201) return fromHttp(created, { step: 'create' });
      return fromHttp(
        await mergePatch(c, paths.group(c, 'batch/v1', 'jobs', 'counted'), { spec: { completions: 3 } }),
      );
    },
  },
  {
    name: 'service-cluster-ip-immutable',
    area: 'validation',
    description: "Merge-patch a ClusterIP Service's `spec.clusterIP` to another address",
    async run(c) {
      const created = await c.request('POST', paths.core(c, 'services'), { body: service('web') });
      if (created.status !== 201) return fromHttp(created, { step: 'create' });
      const ip = String((created.body as { spec?: { clusterIP?: string } }).spec?.clusterIP ?? '');
      // Another address in the same range: the last octet moved by one.
      const other = ip.replace(/\d+$/, (n) => String((Number(n) % 250) + 1));
      const res = await mergePatch(c, paths.core(c, 'services', 'web'), { spec: { clusterIP: other } });
      // The addresses differ between clusters: compare the answer with them named.
      const named = (s: unknown) =>
        typeof s === 'string' ? s.split(other).join('<new>').split(ip).join('<old>') : s;
      const obs = fromHttp(res);
      if (obs.message) obs.message = String(named(obs.message));
      if (Array.isArray(obs.fields?.causes))
        obs.fields.causes = obs.fields.causes.map((x) => named(x) as string);
      return obs;
    },
  },
  {
    name: 'configmap-immutable-data',
    area: 'validation',
    description: 'Merge-patch the data of a ConfigMap created with `immutable: true`',
    async run(c) {
      const created = await c.request('POST', paths.core(c, 'configmaps'), {
        body: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'frozen' },
          immutable: true,
          data: { a: '1' },
        },
      });
      if (created.status !== 201) return fromHttp(created, { step: 'create' });
      return fromHttp(await mergePatch(c, paths.core(c, 'configmaps', 'frozen'), { data: { a: '2' } }));
    },
  },
];
