import { ApisApi, CoreApi, VersionApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, knownDifference, startClusterUnderTest, waitFor, type ClusterClients } from './helpers.ts';

let t: ClusterClients;
beforeAll(async () => {
  t = await startClusterUnderTest();
});
afterAll(() => t?.stop());

const EXPECTED: [string, string, boolean, string[]][] = [
  ['v1', 'Namespace', false, ['ns']],
  ['v1', 'Pod', true, ['po']],
  ['v1', 'Service', true, ['svc']],
  ['v1', 'Secret', true, []],
  ['v1', 'ConfigMap', true, ['cm']],
  ['v1', 'PersistentVolumeClaim', true, ['pvc']],
  ['v1', 'PersistentVolume', false, ['pv']],
  ['v1', 'ResourceQuota', true, ['quota']],
  ['v1', 'Event', true, ['ev']],
  ['v1', 'Node', false, ['no']],
  ['v1', 'ServiceAccount', true, ['sa']],
  ['apps/v1', 'Deployment', true, ['deploy']],
  ['apps/v1', 'ReplicaSet', true, ['rs']],
  ['apps/v1', 'StatefulSet', true, ['sts']],
  ['networking.k8s.io/v1', 'Ingress', true, ['ing']],
  ['networking.k8s.io/v1', 'NetworkPolicy', true, ['netpol']],
  ['networking.k8s.io/v1', 'IngressClass', false, []],
  ['storage.k8s.io/v1', 'StorageClass', false, ['sc']],
  ['coordination.k8s.io/v1', 'Lease', true, []],
  ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', false, ['crd', 'crds']],
  ['kubevirt.io/v1', 'VirtualMachine', true, ['vm', 'vms']],
  ['kubevirt.io/v1', 'VirtualMachineInstance', true, ['vmi', 'vmis']],
  ['postgresql.cnpg.io/v1', 'Cluster', true, []],
  ['cilium.io/v2', 'CiliumNetworkPolicy', true, ['cnp', 'ciliumnp']],
];

async function resources(groupVersion: string) {
  const path = groupVersion === 'v1' ? '/api/v1' : `/apis/${groupVersion}`;
  const res = await t.request(path);
  expect(res.status).toBe(200);
  return res.body as {
    kind: string;
    groupVersion: string;
    resources: {
      name: string;
      kind: string;
      namespaced: boolean;
      verbs: string[];
      shortNames?: string[];
      singularName: string;
    }[];
  };
}

describe('discovery', () => {
  it('serves /version, /api and /apis', async () => {
    const version = await t.kc.makeApiClient(VersionApi).getCode();
    expect(version.major).toBe('1');
    expect(version.gitVersion).toMatch(/^v1\.\d+/);
    const api = await t.kc.makeApiClient(CoreApi).getAPIVersions();
    expect(api.versions).toEqual(['v1']);
    const groups = await t.kc.makeApiClient(ApisApi).getAPIVersions();
    const names = groups.groups.map((g) => g.name);
    for (const g of [
      'apps',
      'networking.k8s.io',
      'storage.k8s.io',
      'coordination.k8s.io',
      'apiextensions.k8s.io',
      'kubevirt.io',
      'postgresql.cnpg.io',
      'cilium.io',
    ]) {
      expect(names).toContain(g);
    }
  });

  it('lists every kind with its scope, verbs, short names and status subresource', async () => {
    for (const [gv, kind, namespaced, shortNames] of EXPECTED) {
      const list = await resources(gv);
      expect(list.kind).toBe('APIResourceList');
      const entry = list.resources.find((r) => r.kind === kind && !r.name.includes('/'));
      expect(entry, `${gv} ${kind}`).toBeDefined();
      expect(entry?.namespaced).toBe(namespaced);
      expect(entry?.singularName).toBe(kind.toLowerCase());
      expect(entry?.verbs).toEqual(
        expect.arrayContaining(['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']),
      );
      expect(entry?.shortNames ?? []).toEqual(shortNames);
    }
    const apps = await resources('apps/v1');
    expect(apps.resources.map((r) => r.name)).toEqual(
      expect.arrayContaining(['deployments/status', 'deployments/scale']),
    );
  });

  it('lets KubernetesObjectApi resolve every kind', async () => {
    for (const [apiVersion, kind, namespaced] of EXPECTED) {
      const list = await t.objects.list(apiVersion, kind, namespaced ? 'default' : undefined);
      expect(Array.isArray(list.items)).toBe(true);
    }
  });

  it('serves its metrics at /metrics: requests by verb, resource and code, and stored objects', async () => {
    await t.core.listNamespacedConfigMap({ namespace: 'default' });
    const res = await t.request('/metrics');
    expect(res.status).toBe(200);
    const text = String(res.body);
    const listed = text
      .split('\n')
      .find(
        (l) =>
          l.startsWith('apiserver_request_total{') &&
          l.includes('resource="configmaps"') &&
          l.includes('verb="LIST"') &&
          l.includes('code="200"'),
      );
    expect(listed).toMatch(/ \d+$/);
    expect(text).toMatch(/^apiserver_storage_objects\{resource="configmaps"\} \d+$/m);
  });

  it('refuses a request without the token with a Status body', async () => {
    const res = await t.request('/api/v1/namespaces', { anonymous: true });
    // kube-apiserver (anonymous authentication on, its default) takes the request as
    // system:anonymous and RBAC refuses it; the simulator refuses the request itself. A wrong token
    // is 401 on both (the gateway's tests).
    const refused = knownDifference(t, {
      sim: { code: 401, reason: 'Unauthorized' },
      real: { code: 403, reason: 'Forbidden' },
    });
    expect(res.status).toBe(refused.code);
    expect(res.body).toMatchObject({ kind: 'Status', ...refused });
  });

  it('answers 404 for an unknown resource and 405 for a verb a resource does not take', async () => {
    const res = await t.request('/api/v1/namespaces/default/widgets');
    expect(res.status).toBe(404);
    const post = await t.request('/api/v1/namespaces/default/configmaps/named', {
      method: 'POST',
      body: '{}',
    });
    expect(post.status).toBe(405);
    expect(post.body).toMatchObject({ reason: 'MethodNotAllowed', code: 405 });
  });

  it('serves a CRD created at run time, with discovery, and its objects like the rest', async () => {
    await t.ext.createCustomResourceDefinition({
      body: {
        metadata: { name: 'backups.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Namespaced',
          names: { plural: 'backups', singular: 'backup', kind: 'Backup', shortNames: ['bk'] },
          versions: [
            {
              name: 'v1alpha1',
              served: true,
              storage: true,
              subresources: { status: {} },
              schema: { openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true } },
            },
          ],
        },
      },
    });
    const crd = await waitFor(async () => {
      const c = await t.ext.readCustomResourceDefinition({ name: 'backups.example.com' });
      return c.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True')
        ? c
        : undefined;
    });
    expect(crd.status?.acceptedNames?.kind).toBe('Backup');
    // A real API server marks a CRD Established a moment before its discovery serves the group.
    await waitFor(async () => (await t.request('/apis/example.com/v1alpha1')).status === 200 || undefined);
    const list = await resources('example.com/v1alpha1');
    expect(list.resources.map((r) => r.name)).toEqual(['backups', 'backups/status']);
    const created = await t.custom.createNamespacedCustomObject({
      group: 'example.com',
      version: 'v1alpha1',
      namespace: 'default',
      plural: 'backups',
      body: {
        apiVersion: 'example.com/v1alpha1',
        kind: 'Backup',
        metadata: { name: 'nightly' },
        spec: { schedule: '@daily' },
        status: { ignored: true },
      },
    });
    expect(created.metadata.generation).toBe(1);
    expect(created.status).toBeUndefined();
    const viaObjects = await t.objects.read({
      apiVersion: 'example.com/v1alpha1',
      kind: 'Backup',
      metadata: { name: 'nightly', namespace: 'default' },
    });
    expect((viaObjects as { spec?: { schedule?: string } }).spec?.schedule).toBe('@daily');
    await t.ext.deleteCustomResourceDefinition({ name: 'backups.example.com' });
    // kube-apiserver removes the objects first (the CRD's cleanup finalizer), then stops serving.
    await waitFor(async () => {
      const gone = await apiError(
        t.custom.getNamespacedCustomObject({
          group: 'example.com',
          version: 'v1alpha1',
          namespace: 'default',
          plural: 'backups',
          name: 'nightly',
        }),
      );
      return gone.code === 404;
    });
  });

  it('serves OpenAPI v3 with a PATCH operation carrying the group-version-kind and fieldValidation', async () => {
    const root = (await t.request('/openapi/v3')).body as {
      paths: Record<string, { serverRelativeURL: string }>;
    };
    const url = root.paths['apis/apps/v1']?.serverRelativeURL;
    expect(url).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=/);
    const doc = (await t.request(url!)).body as {
      paths: Record<
        string,
        { patch?: { 'x-kubernetes-group-version-kind'?: unknown; parameters?: { name: string }[] } }
      >;
    };
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']?.patch;
    expect(patch?.['x-kubernetes-group-version-kind']).toEqual({
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
    });
    expect(patch?.parameters?.map((p) => p.name)).toContain('fieldValidation');
  });
});
