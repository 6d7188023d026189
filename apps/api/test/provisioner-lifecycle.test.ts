import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import type { CatalogueFile } from '@uncloud/kube';
import { createSimCluster, type SimCluster } from '@uncloud/kube-sim';
import type { Component, ComponentName, UncloudClient } from '@uncloud/sdk';
import { type ManifestServer, startManifestServer, waitFor } from '@uncloud/testing';
import { failure } from './errors.ts';

// Install, upgrade, repair, uninstall and failures of cluster components on a bare simulated
// cluster, with the manifests served from 127.0.0.1.
let manifests: ManifestServer;
let sim: SimCluster;
let stack: Stack;
let c: UncloudClient;

beforeAll(async () => {
  manifests = await startManifestServer();
  sim = createSimCluster({ profile: 'bare', controllerDelayMs: 0 });
  const { kubeconfigPath } = await sim.start();
  stack = await startStack({
    kubeconfig: kubeconfigPath,
    componentsCatalogue: manifests.catalogue as CatalogueFile,
  });
  c = stack.client;
}, 30_000);

afterAll(async () => {
  await stack?.close();
  await sim?.stop();
  await manifests?.close();
});

const get = (name: ComponentName) => c.components.get.query({ name });
const settled = (name: ComponentName, check: (x: Component) => boolean, message: string) =>
  waitFor(
    async () => {
      const x = await get(name);
      return check(x) && x;
    },
    { timeout: 20_000, interval: 50, message },
  );
const kube = () => stack.kube!;

describe('component lifecycle', () => {
  it('refuses a file whose checksum changed, reporting it on the component and its action', async () => {
    manifests.tamper(
      '/metrics-server/v0.7.2/components.yaml',
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: evil}\n',
    );
    await c.components.install.mutate({ name: 'metrics-server' });
    const failed = await settled('metrics-server', (x) => x.state === 'error', 'the install to fail');
    expect(failed.lastError).toMatch(
      /checksum of .*components\.yaml is [0-9a-f]{64}, not the recorded [0-9a-f]{64}: refusing/,
    );
    expect(failed.action).toMatchObject({ type: 'install', status: 'errored' });
    expect(failed.action?.error).toBe(failed.lastError);
    // Nothing of the file was applied.
    expect(await kube().get('Namespace', undefined, 'evil')).toBeNull();
  });

  it('refuses a version the catalogue has no checksum for, and one it does not have', async () => {
    // Rook's files: the module proxy would not serve the repository, so no sum is built in.
    const unverified = await failure(c.components.install.mutate({ name: 'object-storage' }));
    expect(unverified.data).toMatchObject({ code: 'BAD_REQUEST', field: 'version' });
    expect(unverified.message).toMatch(
      /no checksum is recorded for https:\/\/raw\.githubusercontent\.com\/rook\/rook\/v1\.16\.4\//,
    );
    const unknown = await failure(c.components.install.mutate({ name: 'kubevirt', version: 'v9.9.9' }));
    expect(unknown.data).toMatchObject({ code: 'BAD_REQUEST', field: 'version' });
    expect(unknown.message).toMatch(/choose one of v1\.7\.0, v1\.6\.3/);
    const dns = await failure(c.components.install.mutate({ name: 'coredns' }));
    expect(dns.data).toMatchObject({ code: 'BAD_REQUEST', field: 'name' });
  });

  it('installs, upgrades (pruning what the new version dropped), repairs drift and uninstalls', async () => {
    await c.components.install.mutate({ name: 'kubevirt', version: 'v1.6.3' });
    const old = await settled('kubevirt', (x) => x.state === 'ready', 'v1.6.3 to be ready');
    expect(old).toMatchObject({
      installedVersion: 'v1.6.3',
      action: { type: 'install', status: 'completed' },
    });
    expect(await kube().get('Deployment', 'kubevirt', 'virt-operator')).toMatchObject({
      spec: { template: { spec: { containers: [{ image: 'quay.io/kubevirt/virt-operator:v1.6.3' }] } } },
    });
    // Objects carry the component's label and the installation's, never the managed-by label the
    // engine collects orphans by.
    const operator = (await kube().get('Deployment', 'kubevirt', 'virt-operator'))!;
    expect(operator.metadata.labels).toMatchObject({ 'uncloud.dev/component': 'kubevirt' });
    expect(operator.metadata.labels?.['app.kubernetes.io/managed-by']).toBeUndefined();
    expect(await kube().discover('v1', 'ConfigMap')).not.toBeNull();
    const configMaps = (await kube().discover('v1', 'ConfigMap'))!;
    expect(await kube().getAs(configMaps, 'kubevirt', 'kubevirt-legacy')).not.toBeNull();

    // Installing what is installed changes nothing: refused, pointing at repair.
    const again = await failure(c.components.install.mutate({ name: 'kubevirt', version: 'v1.6.3' }));
    expect(again.message).toMatch(/installed already; repair applies it again/);

    const upgrading = await c.components.upgrade.mutate({ name: 'kubevirt', version: 'v1.7.0' });
    expect(upgrading.action).toMatchObject({ type: 'upgrade', version: 'v1.7.0', status: 'in-progress' });
    await settled(
      'kubevirt',
      (x) => x.installedVersion === 'v1.7.0' && x.state === 'ready' && x.action?.status === 'completed',
      'the upgrade',
    );
    expect(await kube().get('Deployment', 'kubevirt', 'virt-operator')).toMatchObject({
      spec: { template: { spec: { containers: [{ image: 'quay.io/kubevirt/virt-operator:v1.7.0' }] } } },
    });
    expect(await kube().getAs(configMaps, 'kubevirt', 'kubevirt-legacy')).toBeNull();

    // Drift: the operator deleted behind Uncloud's back; a repair puts it back.
    await kube().delete({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'virt-operator', namespace: 'kubevirt' },
    });
    const repairing = await c.components.repair.mutate({ name: 'kubevirt' });
    expect(repairing.action).toMatchObject({ type: 'repair', status: 'in-progress' });
    await settled(
      'kubevirt',
      (x) => x.state === 'ready' && x.action?.type === 'repair' && x.action.status === 'completed',
      'the repair',
    );
    expect(await kube().get('Deployment', 'kubevirt', 'virt-operator')).not.toBeNull();
    // And without asking: the periodic pass finds it gone and applies the version again.
    await kube().delete({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'virt-operator', namespace: 'kubevirt' },
    });
    await stack.api.provisioner!.pass();
    await waitFor(async () => (await kube().get('Deployment', 'kubevirt', 'virt-operator')) !== null, {
      timeout: 10_000,
      message: 'the drift to be repaired',
    });

    // CDI depends on KubeVirt: KubeVirt cannot go while CDI is installed.
    await c.components.install.mutate({ name: 'cdi' });
    await settled('cdi', (x) => x.state === 'ready', 'CDI');
    const blocked = await failure(c.components.uninstall.mutate({ name: 'kubevirt' }));
    expect(blocked.message).toMatch(/Containerized Data Importer need KubeVirt: uninstall cdi first/);

    await c.components.uninstall.mutate({ name: 'cdi' });
    await settled('cdi', (x) => x.state === 'absent', 'CDI to be uninstalled');
    const uninstalling = await c.components.uninstall.mutate({ name: 'kubevirt' });
    expect(uninstalling).toMatchObject({
      state: 'uninstalling',
      action: { type: 'uninstall', status: 'in-progress' },
    });
    const gone = await settled('kubevirt', (x) => x.state === 'absent', 'KubeVirt to be uninstalled');
    expect(gone).toMatchObject({
      managed: false,
      installedVersion: null,
      action: { type: 'uninstall', status: 'completed' },
    });
    // The operator took the CRDs it installed with it, and the namespace is gone.
    expect(await kube().discover('kubevirt.io/v1', 'VirtualMachine', { fresh: true })).toBeNull();
    await waitFor(async () => (await kube().get('Namespace', undefined, 'kubevirt')) === null, {
      timeout: 10_000,
      message: 'the kubevirt namespace to go',
    });
    expect((await c.components.readiness.query()).missing).toContain('kubevirt');
  }, 90_000);

  it('keeps every install, upgrade, repair and uninstall as a system action: listed, awaited, audited, admins only', async () => {
    // What the tests above did, newest first, in the actions table with no project.
    const all = await c.systemActions.list.query({});
    expect(all.items.every((a) => a.projectId === null && a.resourceKind === 'component')).toBe(true);
    expect(all.items[0]).toMatchObject({ type: 'uninstall', resourceId: 'kubevirt', status: 'completed' });
    const kubevirt = await c.systemActions.list.query({ resourceId: 'kubevirt' });
    expect(kubevirt.items.map((a) => [a.type, a.params.version])).toEqual([
      ['uninstall', 'v1.7.0'],
      ['repair', 'v1.7.0'],
      ['upgrade', 'v1.7.0'],
      ['install', 'v1.6.3'],
    ]);
    expect(kubevirt.total).toBe(4);
    const failed = (await c.systemActions.list.query({ resourceId: 'metrics-server', status: 'errored' }))
      .items[0]!;
    expect(failed).toMatchObject({
      type: 'install',
      error: expect.stringMatching(/checksum of .* refusing/),
    });
    await expect(c.waitForAction({ projectId: null, id: failed.id })).rejects.toMatchObject({
      code: 'ACTION_ERRORED',
      message: expect.stringMatching(/^install of component metrics-server failed: the checksum/),
    });

    // A new one, awaited with the SDK like any action.
    const started = await c.components.install.mutate({ name: 'kubevirt', version: 'v1.7.0' });
    const ref = { projectId: null, id: started.action!.id };
    expect(await c.systemActions.get.query({ id: ref.id })).toMatchObject({
      id: ref.id,
      projectId: null,
      type: 'install',
      resourceId: 'kubevirt',
      params: { version: 'v1.7.0' },
    });
    const done = await c.waitForAction(ref, { intervalMs: 50, timeoutMs: 20_000 });
    expect(done).toMatchObject({ status: 'completed', error: null, completedAt: expect.any(String) });
    expect((await get('kubevirt')).action).toMatchObject({ id: ref.id, status: 'completed' });

    // Audited with the action it started.
    const audit = await c.audit.list.query({ procedure: 'components.install' });
    expect(audit.items[0]).toMatchObject({ resourceId: ref.id, outcome: 'ok', projectId: null });

    // Never in a project's actions, and only administrators read them.
    const project = await c.projects.create.mutate({ name: 'apart', description: '' });
    const ids = (await c.actions.list.query({ projectId: project.id })).items.map((a) => a.id);
    expect(ids).not.toContain(ref.id);
    expect((await failure(c.actions.get.query({ projectId: project.id, id: ref.id }))).data.code).toBe(
      'NOT_FOUND',
    );
    const { token } = await c.users.create.mutate({ name: 'not-an-admin' });
    const user = stack.clientWith(token.token);
    expect((await failure(user.systemActions.list.query({}))).data.code).toBe('FORBIDDEN');
    expect((await failure(user.systemActions.get.query({ id: ref.id }))).data.code).toBe('FORBIDDEN');
    // A project action's id is not a system action's.
    expect((await failure(c.systemActions.get.query({ id: `act_${'0'.repeat(20)}` }))).data.code).toBe(
      'NOT_FOUND',
    );
  }, 60_000);
});

describe('a cluster provisioned by other means', () => {
  it('counts what it finds as present, and refuses nothing', async () => {
    const full = await startStack();
    try {
      const list = await waitFor(
        async () => {
          const items = await full.client.components.list.query();
          return items.find((x) => x.name === 'kubevirt')?.state === 'present' && items;
        },
        { timeout: 10_000, message: 'the cluster to be looked at' },
      );
      expect(list.filter((x) => x.required).map((x) => [x.name, x.state])).toEqual([
        ['kubevirt', 'present'],
        ['cdi', 'present'],
        ['storage', 'present'],
        ['cnpg', 'present'],
      ]);
      expect((await full.client.components.readiness.query()).missing).toEqual([]);
      // Once it is known to hold what creates need, and with no component of Uncloud's, a pass
      // costs the cluster nothing: the engine's steady state stays request-free.
      full.sim!.resetRequestCounts();
      await full.api.provisioner!.pass();
      expect(full.sim!.requestCounts().filter((count) => count.resource !== 'leases')).toEqual([]);
    } finally {
      await full.close();
    }
  });
});
