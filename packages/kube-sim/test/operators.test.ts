import { afterEach, describe, expect, it } from 'vitest';
import { createSimCluster, type SimCluster } from '../src/cluster.ts';
import type { StoredObject } from '../src/types.ts';

const CRDS = 'apiextensions.k8s.io/customresourcedefinitions';

let sim: SimCluster | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const until = async (check: () => boolean, what: string) => {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const kubevirtCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'kubevirts.kubevirt.io' },
  spec: {
    group: 'kubevirt.io',
    names: { kind: 'KubeVirt', plural: 'kubevirts', singular: 'kubevirt', listKind: 'KubeVirtList' },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ],
  },
} as unknown as StoredObject;

const operator = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'virt-operator', namespace: 'kubevirt' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { name: 'virt-operator' } },
    template: {
      metadata: { labels: { name: 'virt-operator' } },
      spec: { containers: [{ name: 'virt-operator', image: 'quay.io/kubevirt/virt-operator:v1.7.0' }] },
    },
  },
} as unknown as StoredObject;

describe('simulated operators on a bare cluster', () => {
  it("installs KubeVirt's CRDs once its resource and operator exist, and removes them with the resource", async () => {
    sim = createSimCluster({ profile: 'bare', controllerDelayMs: 0 });
    await sim.start();
    const api = sim.api;
    const crds = () => api.store.list(CRDS).map((c) => c.metadata.name);
    expect(crds()).toEqual([]);
    api.create(api.registry.byKind('v1', 'Namespace')!, '', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'kubevirt' },
    } as StoredObject);
    api.create(api.registry.get(CRDS)!, '', kubevirtCrd);
    const kubevirts = api.registry.byKind('kubevirt.io/v1', 'KubeVirt')!;
    api.create(kubevirts, 'kubevirt', {
      apiVersion: 'kubevirt.io/v1',
      kind: 'KubeVirt',
      metadata: { name: 'kubevirt' },
    } as StoredObject);
    // Without its operator the resource waits.
    await until(
      () => api.find(kubevirts, 'kubevirt', 'kubevirt')?.status?.phase === 'Deploying',
      'Deploying',
    );
    expect(crds()).not.toContain('virtualmachines.kubevirt.io');

    api.create(api.registry.byKind('apps/v1', 'Deployment')!, 'kubevirt', operator);
    await until(() => api.find(kubevirts, 'kubevirt', 'kubevirt')?.status?.phase === 'Deployed', 'Deployed');
    expect(crds()).toEqual(
      expect.arrayContaining(['virtualmachines.kubevirt.io', 'virtualmachineinstances.kubevirt.io']),
    );
    expect(api.registry.byKind('kubevirt.io/v1', 'VirtualMachine')).toBeDefined();

    api.delete(kubevirts, 'kubevirt', 'kubevirt');
    await until(() => !crds().includes('virtualmachines.kubevirt.io'), 'the CRDs to go');
    // The operator's own resource's CRD was applied by someone else: it stays.
    expect(crds()).toContain('kubevirts.kubevirt.io');
  });
});

describe('RBAC on a bare cluster, as a fresh k3s serves it', () => {
  it('takes the roles and bindings an operator manifest carries', async () => {
    sim = createSimCluster({ profile: 'bare', controllerDelayMs: 0 });
    await sim.start();
    const api = sim.api;
    const roles = api.registry.byKind('rbac.authorization.k8s.io/v1', 'ClusterRole')!;
    const bindings = api.registry.byKind('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding')!;
    expect(roles.namespaced).toBe(false);
    expect(api.registry.byKind('rbac.authorization.k8s.io/v1', 'RoleBinding')?.namespaced).toBe(true);
    api.create(roles, '', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'kubevirt-operator' },
      rules: [{ apiGroups: ['kubevirt.io'], resources: ['*'], verbs: ['*'] }],
    } as StoredObject);
    expect(api.find(roles, '', 'kubevirt-operator')).toBeDefined();
    api.create(bindings, '', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'kubevirt-operator' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kubevirt-operator' },
      subjects: [{ kind: 'ServiceAccount', name: 'kubevirt-operator', namespace: 'kubevirt' }],
    } as StoredObject);
    expect(api.find(bindings, '', 'kubevirt-operator')).toBeDefined();
  });
});
