import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import type { CatalogueFile } from '@uncloud/kube';
import { createSimCluster, type SimCluster } from '@uncloud/kube-sim';
import type { ComponentName, UncloudClient } from '@uncloud/sdk';
import { type ManifestServer, sshPublicKeys, startManifestServer, waitFor } from '@uncloud/testing';
import { failure } from './errors.ts';

// From a fresh k3s (the simulator's `bare` profile) to a running droplet and a PostgreSQL database,
// through the SDK alone, with UNCLOUD_CLUSTER=kubeconfig, the components' manifests served locally.
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

const until = <T>(check: () => Promise<T>, message: string, timeout = 20_000) =>
  waitFor(check, { timeout, interval: 50, message });

const component = async (name: ComponentName) =>
  (await c.components.list.query()).find((x) => x.name === name)!;

describe('provisioning a fresh cluster through the SDK', () => {
  it('goes from nothing to a running droplet and a PostgreSQL database', async () => {
    // A fresh k3s: the required components are missing, and creates that need them are refused.
    const missing = await until(async () => {
      const { missing } = await c.components.readiness.query();
      return missing.length === 4 && missing;
    }, 'the cluster to be looked at');
    expect(missing).toEqual(['kubevirt', 'cdi', 'storage', 'cnpg']);
    expect((await component('kubevirt')).state).toBe('absent');
    expect((await component('coredns')).state).toBe('absent');

    const project = await c.projects.create.mutate({ name: 'fresh', description: '' });
    const projectId = project.id;
    const key = await c.sshKeys.create.mutate({
      projectId,
      name: 'me',
      publicKey: sshPublicKeys.ed25519.line,
    });
    const refusedDroplet = await failure(
      c.droplets.create.mutate({
        projectId,
        name: 'web-1',
        size: 's-1vcpu-1gb',
        image: 'ubuntu-24-04',
        sshKeyIds: [key.id],
      }),
    );
    expect(refusedDroplet.data.code).toBe('CONFLICT');
    expect(refusedDroplet.message).toMatch(/needs KubeVirt and CDI .* Setup page/);
    const refusedDb = await failure(
      c.databases.create.mutate({
        projectId,
        name: 'main',
        engine: 'postgres',
        version: '16',
        size: 'db-s-1vcpu-1gb',
        nodes: 1,
      }),
    );
    expect(refusedDb.message).toMatch(/needs CloudNativePG and a storage class/);
    expect((await failure(c.volumes.create.mutate({ projectId, name: 'data', sizeGiB: 1 }))).message).toMatch(
      /needs a storage class/,
    );
    expect((await failure(c.buckets.create.mutate({ projectId, name: 'assets' }))).message).toMatch(
      /A bucket cannot run on this cluster yet: it needs object storage/,
    );

    // Preflight: k3s detected, no default storage class yet.
    const before = await c.components.preflight.query();
    expect(before.k3s.detected).toBe(true);
    expect(before.checks.find((check) => check.id === 'storage-class')).toMatchObject({ status: 'failed' });
    expect(before.checks.find((check) => check.id === 'kubernetes-version')).toMatchObject({ status: 'ok' });

    // A component that depends on another not yet asked for is refused, naming it.
    const early = await failure(c.components.install.mutate({ name: 'cdi' }));
    expect(early.data).toMatchObject({ code: 'CONFLICT', field: 'name' });
    expect(early.message).toMatch(/needs KubeVirt: install kubevirt first/);

    const started = await c.components.install.mutate({ name: 'storage', variant: 'longhorn' });
    expect(started).toMatchObject({ state: 'installing', version: 'v1.8.1', variant: 'longhorn' });
    expect(started.action).toMatchObject({ type: 'install', status: 'in-progress' });
    for (const name of ['cnpg', 'kubevirt', 'cdi'] as const) await c.components.install.mutate({ name });

    const ready = await until(async () => {
      const list = await c.components.list.query();
      const required = list.filter((x) => x.required);
      return required.every((x) => x.state === 'ready') && required;
    }, 'the required components to be ready').catch(async (error: unknown) => {
      const states = (await c.components.list.query()).map(({ name, state, lastError, health }) => ({
        name,
        state,
        lastError,
        waiting: health.filter((h) => !h.ready),
      }));
      throw new Error(`${String(error)}: ${JSON.stringify(states)}`);
    });
    for (const x of ready) {
      expect(x.action).toMatchObject({ status: 'completed' });
      expect(x.installedVersion).toBe(x.version);
      expect(x.health.every((h) => h.ready)).toBe(true);
    }
    // Health comes from the objects themselves: the operators' Deployments, CRDs and resources.
    expect((await component('kubevirt')).health.map((h) => h.object)).toEqual(
      expect.arrayContaining([
        'CustomResourceDefinition kubevirts.kubevirt.io',
        'Deployment kubevirt/virt-operator',
        'KubeVirt kubevirt/kubevirt',
        'CustomResourceDefinition virtualmachines.kubevirt.io',
      ]),
    );
    await until(async () => (await c.components.readiness.query()).missing.length === 0, 'readiness');
    const after = await c.components.preflight.query();
    expect(after.checks.find((check) => check.id === 'storage-class')).toMatchObject({
      status: 'ok',
      message: 'default storage class: longhorn',
    });
    // KubeVirt runs with emulation (the fixture's KubeVirt asks for it): droplets run, slowly.
    expect(after.checks.find((check) => check.id === 'virtualization')?.status).toBe('warning');

    // The engine's informers for VirtualMachine and its kin started before KubeVirt served them:
    // told by the provisioner that the kinds are served, they list at once rather than at their
    // next try (30 s away), so the first droplet runs within a couple of seconds.
    const created = performance.now();
    const droplet = await c.droplets.create.mutate({
      projectId,
      name: 'web-1',
      size: 's-1vcpu-1gb',
      image: 'ubuntu-24-04',
      sshKeyIds: [key.id],
    });
    const db = await c.databases.create.mutate({
      projectId,
      name: 'main',
      engine: 'postgres',
      version: '16',
      size: 'db-s-1vcpu-1gb',
      nodes: 1,
    });
    const running = await until(
      async () => {
        const d = await c.droplets.get.query({ projectId, id: droplet.id });
        return d.state === 'active' && d;
      },
      'the droplet to run within a couple of seconds',
      3000,
    ).catch(async (error: unknown) => {
      const d = await c.droplets.get.query({ projectId, id: droplet.id });
      throw new Error(`${String(error)}: ${d.state} ${d.syncError}`);
    });
    const firstDropletMs = performance.now() - created;
    expect(firstDropletMs).toBeLessThan(3000);
    expect(running.state).toBe('active');
    await until(
      async () => (await c.databases.get.query({ projectId, id: db.id })).state === 'active',
      'the database to be ready',
      45_000,
    );
  }, 120_000);
});
