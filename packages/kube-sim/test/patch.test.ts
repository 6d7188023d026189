import {
  PatchStrategy,
  setHeaderOptions,
  type KubernetesObject,
  type V1Deployment,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiError,
  createNamespace,
  deployment,
  startClusterUnderTest,
  waitFor,
  type ClusterClients,
} from './helpers.ts';

let t: ClusterClients;
const ns = 'patches';
const as = (strategy: string) => setHeaderOptions('Content-Type', strategy);

beforeAll(async () => {
  t = await startClusterUnderTest({ profile: 'bare' });
  await createNamespace(t, ns);
  t.sim?.pauseControllers();
});
afterAll(() => t?.stop());

function twoContainers(name: string) {
  const d = deployment(name);
  d.spec.template.spec.containers = [
    {
      name: 'web',
      image: 'nginx:1.27',
      ports: [{ containerPort: 80 }],
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
    } as never,
    { name: 'sidecar', image: 'busybox:1.36', ports: [{ containerPort: 9000 }] },
  ];
  return d;
}

describe('PATCH formats', () => {
  it('merge patch replaces lists and deletes keys set to null', async () => {
    await t.apps.createNamespacedDeployment({ namespace: ns, body: twoContainers('merge') });
    const patched = await t.apps.patchNamespacedDeployment(
      {
        name: 'merge',
        namespace: ns,
        body: {
          metadata: { labels: { app: 'merge', tier: 'front' } },
          spec: { template: { spec: { containers: [{ name: 'only', image: 'nginx:2' }] } } },
        },
      },
      as(PatchStrategy.MergePatch),
    );
    expect(patched.metadata?.labels).toEqual({ app: 'merge', tier: 'front' });
    expect(patched.spec?.template.spec?.containers.map((c) => c.name)).toEqual(['only']);
    const removed = await t.apps.patchNamespacedDeployment(
      { name: 'merge', namespace: ns, body: { metadata: { labels: { tier: null } } } },
      as(PatchStrategy.MergePatch),
    );
    expect(removed.metadata?.labels).toEqual({ app: 'merge' });
  });

  it('merge patch sets and removes data keys of any valid name, __proto__ and constructor too', async () => {
    await t.core.createNamespacedConfigMap({
      namespace: ns,
      // JSON.parse: an object literal's `__proto__` would set the prototype, not a key.
      body: JSON.parse('{"metadata":{"name":"odd-keys"},"data":{"__proto__":"a","keep":"b"}}') as object,
    });
    const patched = await t.core.patchNamespacedConfigMap(
      {
        name: 'odd-keys',
        namespace: ns,
        body: JSON.parse('{"data":{"__proto__":null,"constructor":"c","prototype":"p"}}') as object,
      },
      as(PatchStrategy.MergePatch),
    );
    expect(Object.entries(patched.data ?? {}).sort()).toEqual([
      ['constructor', 'c'],
      ['keep', 'b'],
      ['prototype', 'p'],
    ]);
  });

  it('JSON patch applies operations in order and fails a failed test op with 422', async () => {
    await t.apps.createNamespacedDeployment({ namespace: ns, body: twoContainers('json') });
    const patched = await t.apps.patchNamespacedDeployment({
      name: 'json',
      namespace: ns,
      body: [
        { op: 'replace', path: '/spec/replicas', value: 4 },
        { op: 'add', path: '/metadata/labels/extra', value: 'yes' },
        { op: 'remove', path: '/spec/template/spec/containers/1' },
      ],
    });
    expect(patched.spec?.replicas).toBe(4);
    expect(patched.metadata?.labels?.extra).toBe('yes');
    expect(patched.spec?.template.spec?.containers).toHaveLength(1);
    const failed = await apiError(
      t.apps.patchNamespacedDeployment({
        name: 'json',
        namespace: ns,
        body: [{ op: 'test', path: '/spec/replicas', value: 1 }],
      }),
    );
    expect(failed.code).toBe(422);
    expect(failed.body.reason).toBe('Invalid');
    expect(failed.body.message).toBe('the server rejected our request due to an error in our request');
  });

  it('strategic merge patch merges containers by name, ports by containerPort and env by name', async () => {
    await t.apps.createNamespacedDeployment({ namespace: ns, body: twoContainers('smp') });
    const patched = await t.apps.patchNamespacedDeployment(
      {
        name: 'smp',
        namespace: ns,
        body: {
          spec: {
            template: {
              spec: {
                containers: [
                  {
                    name: 'web',
                    image: 'nginx:1.28',
                    ports: [{ containerPort: 443 }],
                    env: [
                      { name: 'B', value: 'changed' },
                      { name: 'C', value: '3' },
                    ],
                  },
                  { name: 'sidecar', $patch: 'delete' },
                ],
              },
            },
          },
        },
      },
      as(PatchStrategy.StrategicMergePatch),
    );
    const containers = patched.spec?.template.spec?.containers ?? [];
    expect(containers.map((c) => c.name)).toEqual(['web']);
    expect(containers[0]?.image).toBe('nginx:1.28');
    // The patch's new port goes first, the server's own after it (the real merge order).
    expect(containers[0]?.ports?.map((p) => p.containerPort)).toEqual([443, 80]);
    expect(containers[0]?.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: 'changed' },
      { name: 'C', value: '3' },
    ]);
  });

  it('answers 415 to a strategic merge patch of a custom resource', async () => {
    await t.ext.createCustomResourceDefinition({
      body: {
        metadata: { name: 'widgets.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Namespaced',
          names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true } },
            },
          ],
        },
      },
    });
    // A new CRD serves its objects once it is Established (at once on the simulator, soon after on
    // kube-apiserver).
    await waitFor(async () => {
      const crd = await t.ext.readCustomResourceDefinition({ name: 'widgets.example.com' });
      return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    });
    await t.custom.createNamespacedCustomObject({
      group: 'example.com',
      version: 'v1',
      namespace: ns,
      plural: 'widgets',
      body: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 } },
    });
    const err = await apiError(
      t.custom.patchNamespacedCustomObject(
        {
          group: 'example.com',
          version: 'v1',
          namespace: ns,
          plural: 'widgets',
          name: 'w',
          body: { spec: { size: 2 } },
        },
        as(PatchStrategy.StrategicMergePatch),
      ),
    );
    expect(err.code).toBe(415);
    expect(err.body.reason).toBe('UnsupportedMediaType');
  });

  it('server-side apply creates when absent, records the field manager, and applying the same manifest twice changes nothing', async () => {
    const manifest = {
      ...twoContainers('ssa'),
      metadata: { name: 'ssa', namespace: ns, labels: { app: 'ssa' } },
    } as KubernetesObject;
    const first = (await t.objects.patch(
      manifest,
      undefined,
      undefined,
      'uncloud',
      true,
      PatchStrategy.ServerSideApply,
    )) as V1Deployment;
    expect(first.metadata?.uid).toBeTruthy();
    expect(first.metadata?.managedFields?.map((m) => [m.manager, m.operation])).toEqual([
      ['uncloud', 'Apply'],
    ]);
    // A real deployment controller writes the status until the rollout is done; compare from there.
    const before =
      t.kind === 'real'
        ? await waitFor(async () => {
            const d = await t.apps.readNamespacedDeployment({ name: 'ssa', namespace: ns });
            const s = d.status;
            return s?.observedGeneration === d.metadata?.generation && s?.availableReplicas === 1
              ? d
              : undefined;
          })
        : first;
    const second = (await t.objects.patch(
      manifest,
      undefined,
      undefined,
      'uncloud',
      true,
      PatchStrategy.ServerSideApply,
    )) as V1Deployment;
    expect(second.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
  });

  it('server-side apply removes fields the manager stopped applying and reports conflicts with another manager', async () => {
    const manifest = {
      ...twoContainers('ssa2'),
      metadata: { name: 'ssa2', namespace: ns, labels: { app: 'ssa2', old: 'x' } },
    } as KubernetesObject;
    await t.objects.patch(manifest, undefined, undefined, 'uncloud', true, PatchStrategy.ServerSideApply);
    const without = { ...manifest, metadata: { ...manifest.metadata, labels: { app: 'ssa2' } } };
    const applied = (await t.objects.patch(
      without,
      undefined,
      undefined,
      'uncloud',
      true,
      PatchStrategy.ServerSideApply,
    )) as V1Deployment;
    expect(applied.metadata?.labels).toEqual({ app: 'ssa2' });
    const scaled = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'ssa2', namespace: ns },
      spec: { replicas: 5 },
    };
    const conflict = await apiError(
      t.objects.patch(scaled, undefined, undefined, 'someone-else', false, PatchStrategy.ServerSideApply),
    );
    expect(conflict.code).toBe(409);
    expect(conflict.body.message).toContain('conflict with "uncloud"');
    // Each cause names the field it is about, so a client can say which one.
    const causes = (conflict.body as { details?: { causes?: { reason?: string; field?: string }[] } }).details
      ?.causes;
    expect(causes).toEqual([
      expect.objectContaining({ reason: 'FieldManagerConflict', field: '.spec.replicas' }),
    ]);
    const forced = (await t.objects.patch(
      scaled,
      undefined,
      undefined,
      'someone-else',
      true,
      PatchStrategy.ServerSideApply,
    )) as V1Deployment;
    expect(forced.spec?.replicas).toBe(5);
  });

  it('server-side apply removes a keyed list item the manager stopped applying, key and all', async () => {
    const manifest = {
      ...twoContainers('ssa3'),
      metadata: { name: 'ssa3', namespace: ns },
    } as KubernetesObject;
    await t.objects.patch(manifest, undefined, undefined, 'uncloud', true, PatchStrategy.ServerSideApply);
    const moved = twoContainers('ssa3');
    moved.spec.template.spec.containers[0]!.ports = [{ containerPort: 8080 }];
    (moved.spec.template.spec.containers[0] as { env?: unknown[] }).env = [{ name: 'A', value: '1' }];
    const applied = (await t.objects.patch(
      { ...moved, metadata: { name: 'ssa3', namespace: ns } } as KubernetesObject,
      undefined,
      undefined,
      'uncloud',
      true,
      PatchStrategy.ServerSideApply,
    )) as V1Deployment;
    const web = applied.spec!.template.spec!.containers[0]!;
    expect(web.ports).toEqual([expect.objectContaining({ containerPort: 8080 })]);
    expect(web.env).toEqual([{ name: 'A', value: '1' }]);
  });

  it('refuses to change what a StatefulSet may not change (its volume claims), and takes replicas', async () => {
    const statefulSet = (storage: string, replicas: number) =>
      ({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'db', namespace: ns },
        spec: {
          serviceName: 'db',
          replicas,
          selector: { matchLabels: { app: 'db' } },
          template: {
            metadata: { labels: { app: 'db' } },
            spec: { containers: [{ name: 'db', image: 'valkey/valkey:8.0' }] },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: 'data' },
              spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } },
            },
          ],
        },
      }) as KubernetesObject;
    const apply = (o: KubernetesObject) =>
      t.objects.patch(o, undefined, undefined, 'uncloud', true, PatchStrategy.ServerSideApply);
    await apply(statefulSet('1Gi', 1));
    const refused = await apiError(apply(statefulSet('2Gi', 1)));
    expect(refused.code).toBe(422);
    expect(refused.body.message).toContain('updates to statefulset spec for fields other than');
    const scaled = (await apply(statefulSet('1Gi', 2))) as { spec?: { replicas?: number } };
    expect(scaled.spec?.replicas).toBe(2);
  });
});
