// Writes beyond plain JSON POST: server-side apply, dry run, patches, YAML bodies, generateName.
import { at, configMap, deployment, fromHttp, paths, presence } from '../observe.ts';
import type { Probe, ProbeCluster } from '../types.ts';

const apply = (c: ProbeCluster, manager: string, data: Record<string, string>, force = false) =>
  c.request('PATCH', paths.core(c, 'configmaps', 'shared'), {
    body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared' }, data }),
    contentType: 'application/apply-patch+yaml',
    query: { fieldManager: manager, force: force || undefined },
  });

const managers = (body: unknown) =>
  ((at(body, 'metadata.managedFields') ?? []) as Record<string, unknown>[])
    .map((m) => `${String(m.manager)} ${String(m.operation)} ${JSON.stringify(m.fieldsV1 ?? null)}`)
    .sort();

const containers = (body: unknown) =>
  ((at(body, 'spec.template.spec.containers') ?? []) as { name?: string; image?: string }[]).map(
    (x) => `${x.name}=${x.image}`,
  );

export const applyProbes: Probe[] = [
  {
    name: 'ssa-conflict',
    area: 'apply',
    description:
      'Server-side apply: manager bob sets a field alice owns (409 Conflict), then forces it (200, ownership moves)',
    async run(c) {
      const first = await apply(c, 'alice', { a: '1' });
      const conflict = await apply(c, 'bob', { a: '2' });
      const forced = await apply(c, 'bob', { a: '2' }, true);
      return fromHttp(conflict, {
        firstApply: first.status,
        forcedApply: forced.status,
        dataAfterForce: (at(forced.body, 'data') as never) ?? null,
        managersAfterForce: managers(forced.body),
      });
    },
  },
  {
    name: 'ssa-create-and-owner',
    area: 'apply',
    description: 'Server-side apply creating an object: 201, one Apply entry for the manager',
    async run(c) {
      const res = await apply(c, 'alice', { a: '1', b: '2' });
      return fromHttp(res, { managers: managers(res.body) });
    },
  },
  {
    name: 'dry-run-create',
    area: 'apply',
    description: 'POST a ConfigMap with dryRun=All: 201 with the object, nothing stored',
    async run(c) {
      const res = await c.request('POST', paths.core(c, 'configmaps'), {
        body: configMap('dry'),
        query: { dryRun: 'All' },
      });
      return fromHttp(res, {
        name: at(res.body, 'metadata.name') ?? null,
        uid: at(res.body, 'metadata.uid') ? 'set' : 'unset',
        creationTimestamp: at(res.body, 'metadata.creationTimestamp') ? 'set' : 'unset',
        resourceVersion: at(res.body, 'metadata.resourceVersion') ? 'set' : 'unset',
        afterwards: await presence(c, paths.core(c, 'configmaps', 'dry')),
      });
    },
  },
  {
    name: 'dry-run-invalid-value',
    area: 'apply',
    description: 'POST with dryRun=Sometimes (only All is supported)',
    async run(c) {
      return fromHttp(
        await c.request('POST', paths.core(c, 'configmaps'), {
          body: configMap('dry'),
          query: { dryRun: 'Sometimes' },
        }),
      );
    },
  },
  {
    name: 'patch-strategic-vs-merge',
    area: 'apply',
    description:
      'A containers patch on a two-container Deployment: strategic merge keeps the sidecar, JSON merge patch replaces the list',
    async run(c) {
      const d = deployment('web');
      const spec = d.spec as { template: { spec: { containers: object[] } } };
      spec.template.spec.containers.push({ name: 'sidecar', image: 'busybox:1.36' });
      const created = await c.request('POST', paths.apps(c, 'deployments'), { body: d });
      if (created.status !== 201) return fromHttp(created, { step: 'create' });
      const patch = { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } } } };
      const smp = await c.request('PATCH', paths.apps(c, 'deployments', 'web'), {
        body: patch,
        contentType: 'application/strategic-merge-patch+json',
      });
      const merge = await c.request('PATCH', paths.apps(c, 'deployments', 'web'), {
        body: { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.29' }] } } } },
        contentType: 'application/merge-patch+json',
      });
      return fromHttp(smp, {
        afterStrategic: containers(smp.body),
        mergeStatus: merge.status,
        afterMerge: containers(merge.body),
      });
    },
  },
  {
    name: 'ssa-drops-what-a-manager-stops-applying',
    area: 'apply',
    description:
      'Server-side apply of a Deployment, then again without one env var and with imagePullSecrets emptied: what the manager no longer applies is gone',
    async run(c) {
      const applyDeployment = (env: { name: string; value: string }[], pullSecrets: { name: string }[]) => {
        const d = deployment('applied', { container: { env } });
        (d.spec as { template: { spec: Record<string, unknown> } }).template.spec.imagePullSecrets =
          pullSecrets;
        return c.request('PATCH', paths.apps(c, 'deployments', 'applied'), {
          body: JSON.stringify(d),
          contentType: 'application/apply-patch+yaml',
          query: { fieldManager: 'uncloud' },
        });
      };
      const first = await applyDeployment(
        [
          { name: 'KEEP', value: '1' },
          { name: 'DROP', value: '2' },
        ],
        [{ name: 'registry-pull' }],
      );
      if (first.status !== 201) return fromHttp(first, { step: 'first apply' });
      const second = await applyDeployment([{ name: 'KEEP', value: '1' }], []);
      const spec = at(second.body, 'spec.template.spec') as {
        containers?: { env?: { name: string }[] }[];
        imagePullSecrets?: { name: string }[];
      } | null;
      return fromHttp(second, {
        env: (spec?.containers?.[0]?.env ?? []).map((e) => e.name),
        imagePullSecrets: (spec?.imagePullSecrets ?? []).map((s) => s.name),
      });
    },
  },
  {
    name: 'json-patch-test-fails',
    area: 'apply',
    description: 'A JSON patch whose `test` operation does not hold',
    async run(c) {
      await c.request('POST', paths.core(c, 'configmaps'), { body: configMap('cm') });
      return fromHttp(
        await c.request('PATCH', paths.core(c, 'configmaps', 'cm'), {
          body: [
            { op: 'test', path: '/data/key', value: 'other' },
            { op: 'replace', path: '/data/key', value: 'new' },
          ],
          contentType: 'application/json-patch+json',
        }),
      );
    },
  },
  {
    name: 'patch-missing-object',
    area: 'apply',
    description: 'A merge patch of a ConfigMap that does not exist (404, not a create)',
    async run(c) {
      return fromHttp(
        await c.request('PATCH', paths.core(c, 'configmaps', 'nope'), {
          body: { data: { a: 'b' } },
          contentType: 'application/merge-patch+json',
        }),
      );
    },
  },
  {
    name: 'yaml-request-body',
    area: 'apply',
    description: 'POST a ConfigMap as `Content-Type: application/yaml`',
    async run(c) {
      const yaml = [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: from-yaml',
        '  labels: {origin: yaml}',
        'data:',
        '  greeting: hello',
        '  multi: |',
        '    line one',
        '    line two',
        '',
      ].join('\n');
      const res = await c.request('POST', paths.core(c, 'configmaps'), {
        body: yaml,
        contentType: 'application/yaml',
      });
      return fromHttp(res, {
        contentType: res.contentType.split(';')[0] ?? '',
        name: at(res.body, 'metadata.name') ?? null,
        data: (at(res.body, 'data') as never) ?? null,
      });
    },
  },
  {
    name: 'yaml-response',
    area: 'apply',
    description: 'GET a ConfigMap with `Accept: application/yaml`',
    async run(c) {
      await c.request('POST', paths.core(c, 'configmaps'), { body: configMap('cm') });
      const res = await c.request('GET', paths.core(c, 'configmaps', 'cm'), { accept: 'application/yaml' });
      const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
      return fromHttp(res, {
        contentType: res.contentType.split(';')[0] ?? '',
        startsWith: text.split('\n')[0] ?? '',
        hasDataLine: /^data:\n {2}key: value$/m.test(text),
      });
    },
  },
  {
    name: 'generate-name',
    area: 'apply',
    description: 'POST a ConfigMap with `generateName: web-`: a 5-character suffix',
    async run(c) {
      const res = await c.request('POST', paths.core(c, 'configmaps'), {
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'web-' }, data: { a: 'b' } },
      });
      const name = String(at(res.body, 'metadata.name') ?? '');
      return fromHttp(res, {
        nameShape: /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/.test(name)
          ? 'web- + 5 of bcdfghjklmnpqrstvwxz2456789'
          : `${name.startsWith('web-') ? 'web-' : '?'} + ${name.replace(/^web-/, '').length} characters, not all of that alphabet`,
        generateName: at(res.body, 'metadata.generateName') ?? null,
      });
    },
  },
];
