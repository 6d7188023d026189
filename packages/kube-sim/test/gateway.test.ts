import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appManifests,
  createKubeGateway,
  isolationPolicyManifest,
  loadKubeConfig,
  managedSelector,
  namespaceManifest,
  virtualMachineManifest,
  type KubeGateway,
  type KubeObject,
} from '@uncloud/kube';
import { DropletId } from '@uncloud/sdk';
import { app, kubeErrorRecorder, namespace, project } from './gateway-fixtures.ts';
import { clusterUnderTest, type ClusterUnderTest } from '../src/testing/cluster-under-test.ts';

// @uncloud/kube's gateway against a live API server: TLS, the kubeconfig's token, and every
// Kubernetes failure mapped to a KubeError that says in words what failed. It runs on the
// simulated cluster and, in the real tier, on kube-real; what needs injected faults is in
// gateway-faults.test.ts. It lives here because @uncloud/kube may not depend on the simulator.

let cluster: ClusterUnderTest;
let gateway: KubeGateway;

beforeAll(async () => {
  cluster = await clusterUnderTest();
  gateway = createKubeGateway(loadKubeConfig({ kubeconfigPath: cluster.kubeconfigPath }), {
    timeoutMs: 5000,
  });
  await gateway.create(namespaceManifest(project));
});
afterAll(async () => {
  gateway?.close();
  await cluster?.close();
});

const { failure, expectNoRestPaths } = kubeErrorRecorder();

const lease = (name: string) => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name, namespace },
  spec: { holderIdentity: 'a', leaseDurationSeconds: 15 },
});

describe('gateway', () => {
  it('creates, applies and reads objects over TLS with the kubeconfig token', async () => {
    expect(gateway.server).toMatch(/^https:/);
    const [deployment] = appManifests(app, { ingressClass: undefined });
    const created = await gateway.create(deployment!);
    expect(created.metadata.uid).toBeDefined();
    const read = await gateway.get('Deployment', 'uc-proj-0123456789abcdefghij', 'app-0123456789abcdefghij');
    expect(read?.metadata.labels?.['uncloud.dev/resource-id']).toBe(app.id);
  });

  it('applies the same manifest twice without changing anything', async () => {
    const [, service] = appManifests(app, { ingressClass: undefined });
    const first = await gateway.apply(service!);
    const second = await gateway.apply(service!);
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
  });

  it('keeps fields the typed models would rename (NetworkPolicy `from`)', async () => {
    await gateway.apply(isolationPolicyManifest(project));
    const policy = (await gateway.get(
      'NetworkPolicy',
      'uc-proj-0123456789abcdefghij',
      'uncloud-project-isolation',
    )) as unknown as {
      spec: { ingress: { from: unknown[] }[] };
    };
    expect(policy.spec.ingress[0]!.from).toHaveLength(2);
  });

  it('lists a kind across namespaces by label, with kind and apiVersion filled in', async () => {
    const items = await gateway.list('Deployment', { labelSelector: managedSelector('app') });
    expect(items.map((i) => [i.kind, i.apiVersion, i.metadata.name])).toEqual([
      ['Deployment', 'apps/v1', 'app-0123456789abcdefghij'],
    ]);
    expect(await gateway.list('Deployment', { labelSelector: managedSelector('droplet') })).toEqual([]);
  });

  it('answers null for a missing object and false for deleting one', async () => {
    expect(await gateway.get('Service', 'uc-proj-0123456789abcdefghij', 'nope')).toBeNull();
    expect(
      await gateway.delete({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'nope', namespace: 'uc-proj-0123456789abcdefghij' },
      }),
    ).toBe(false);
  });

  it('maps a duplicate create to Conflict (AlreadyExists)', async () => {
    const error = await failure(gateway.create(namespaceManifest(project)));
    expect(error).toMatchObject({ kind: 'Conflict', status: 409, reason: 'AlreadyExists' });
  });

  it('maps an invalid object to Invalid', async () => {
    const bad = { ...namespaceManifest(project), metadata: { name: 'Not_Valid' } };
    expect(await failure(gateway.create(bad))).toMatchObject({ kind: 'Invalid', status: 422 });
  });

  it('refuses a field the kind does not have as Invalid, on create and on apply (strict field validation)', async () => {
    const [deployment] = appManifests(
      { ...app, id: 'app_unknownfield0000000' as never },
      { ingressClass: undefined },
    );
    const typo = { ...deployment!, spec: { ...(deployment!.spec as object), replica: 3 } } as KubeObject;
    const created = await failure(gateway.create(typo));
    expect(created).toMatchObject({ kind: 'Invalid', status: 400, verb: 'create' });
    expect(created.detail).toContain('unknown field "spec.replica"');
    const applied = await failure(gateway.apply(typo));
    expect(applied).toMatchObject({ kind: 'Invalid', verb: 'apply' });
    expect(applied.detail).toMatch(/spec\.replica/);
    expect(await gateway.get('Deployment', namespace, typo.metadata.name)).toBeNull();
  });

  it('updates an object only at the version it was read at', async () => {
    const created = await gateway.create(lease('update-once'));
    const renewed = await gateway.update({ ...created, spec: { holderIdentity: 'b' } });
    expect(renewed.spec).toMatchObject({ holderIdentity: 'b' });
    expect(renewed.metadata.resourceVersion).not.toBe(created.metadata.resourceVersion);

    const stale = await failure(gateway.update({ ...created, spec: { holderIdentity: 'c' } }));
    expect(stale).toMatchObject({ kind: 'Conflict', status: 409, verb: 'update', objectKind: 'Lease' });
    expect((await gateway.get('Lease', namespace, 'update-once'))?.spec).toMatchObject({
      holderIdentity: 'b',
    });
  });

  it('scales a Deployment through its scale subresource', async () => {
    await gateway.scale('Deployment', namespace, 'app-0123456789abcdefghij', 3);
    const deployment = await gateway.get('Deployment', namespace, 'app-0123456789abcdefghij');
    expect(deployment?.spec).toMatchObject({ replicas: 3 });
    const missing = await failure(gateway.scale('StatefulSet', namespace, 'nope', 1));
    expect(missing).toMatchObject({
      kind: 'NotFound',
      verb: 'scale',
      objectKind: 'StatefulSet',
      objectName: 'nope',
    });
  });

  it('writes a VirtualMachine as the KubeVirt CRD has it', async () => {
    const vm = virtualMachineManifest({
      id: DropletId.parse('dpl_0123456789abcdefghij'),
      projectId: project.id,
      name: 'web-1',
      size: 's-1vcpu-1gb',
      image: 'ubuntu-24-04',
      userData: null,
      sshPublicKeys: [],
      volumes: [],
      poweredOn: true,
    });
    const created = await gateway.apply(vm);
    expect(created.spec).toMatchObject({ runStrategy: 'Always' });
    expect(await gateway.delete(vm)).toBe(true);
  });

  it('says in words what failed, with the kind, name, namespace and verb as fields', async () => {
    const bad = { ...namespaceManifest(project), metadata: { name: 'Not_Valid' } };
    const invalid = await failure(gateway.create(bad));
    expect(invalid).toMatchObject({ verb: 'create', objectKind: 'Namespace', objectName: 'Not_Valid' });
    expect(invalid.message).toMatch(/^could not create Namespace Not_Valid: /);
    expect(invalid.causes[0]).toMatchObject({ field: 'metadata.name' });
  });

  it('maps a refused credential to Forbidden', async () => {
    const config = loadKubeConfig({ kubeconfigPath: cluster.kubeconfigPath });
    config.users[0] = { ...config.users[0]!, token: 'not-the-token' };
    const stranger = createKubeGateway(config);
    try {
      expect(await failure(stranger.list('Namespace'))).toMatchObject({ kind: 'Forbidden', status: 401 });
    } finally {
      stranger.close();
    }
  });

  it('never shows a REST path in an error message', () => {
    expectNoRestPaths();
  });
});
