import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CacheChange,
  type KubeGateway,
  type KubeObject,
  RESOURCE_ID,
  appManifests,
  createInformers,
  createKubeGateway,
  createObjectCache,
  loadKubeConfig,
  managedSelector,
  namespaceManifest,
  openKubeGateway,
  ownerLabels,
} from '@uncloud/kube';
import { app, namespace, project } from './gateway-fixtures.ts';
import { createSimCluster, type SimCluster } from '../src/index.ts';
import { waitFor } from './helpers.ts';

// The informers the sync engine reads the cluster through: list, then watch from the list's
// version into one cache; 410 relists; outages and a restarted server (new certificate and token)
// are survived with backoff and re-read credentials.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const [deployment, service] = appManifests(app, { ingressClass: undefined }) as [KubeObject, KubeObject];

const startSim = async (options: Parameters<typeof createSimCluster>[0] = {}) => {
  const sim = createSimCluster({ controllerDelayMs: 0, ...options });
  const info = await sim.start();
  return { sim, info };
};

/** Informers over Deployments and Services, with every change they report. */
const watchWith = (gateway: KubeGateway) => {
  const cache = createObjectCache();
  const changes: { change: CacheChange; name: string; kind: string }[] = [];
  const errors: string[] = [];
  const informers = createInformers({
    gateway,
    cache,
    kinds: ['Deployment', 'Service'],
    labelSelector: managedSelector(),
    onChange: (change, object) => changes.push({ change, name: object.metadata.name, kind: object.kind }),
    onError: (_kind, error) => errors.push((error as Error).message),
    baseBackoffMs: 20,
    maxBackoffMs: 200,
  });
  informers.start();
  cleanups.push(() => informers.stop());
  return { cache, changes, errors, informers };
};

const requestsOf = (sim: SimCluster, verb: string, resource: string) =>
  sim.requests.total({ verb, resource });

describe('informers', () => {
  it('list, then watch into one cache indexed by resource', async () => {
    const { sim, info } = await startSim();
    cleanups.push(() => sim.stop());
    const gateway = createKubeGateway(loadKubeConfig({ kubeconfigPath: info.kubeconfigPath }));
    cleanups.push(() => gateway.close());
    await gateway.apply(namespaceManifest(project));
    await gateway.apply(service);
    const { cache, changes, informers } = watchWith(gateway);
    await informers.waitForSync();
    expect(cache.ofResource(app.id).map((o) => o.kind)).toEqual(['Service']);

    await gateway.apply(deployment);
    await waitFor(() => cache.ofResource(app.id).some((o) => o.kind === 'Deployment'), {
      message: 'the Deployment in the cache',
    });
    // The deployment controller's status writes arrive as changes too.
    await waitFor(() => changes.some((c) => c.kind === 'Deployment' && c.change === 'modified'), {
      message: 'a modification of the Deployment',
    });
    await gateway.delete(service);
    await waitFor(() => changes.some((c) => c.kind === 'Service' && c.change === 'deleted'), {
      message: 'the Service deleted',
    });
    expect(cache.ofResource(app.id).map((o) => o.kind)).toEqual(['Deployment']);
    expect(cache.list().every((o) => o.metadata.labels?.[RESOURCE_ID] === app.id)).toBe(true);
    // One list per kind, then nothing but the watches.
    expect(requestsOf(sim, 'list', 'deployments')).toBe(1);
    expect(requestsOf(sim, 'list', 'services')).toBe(1);
  });

  it('lists again after 410 Gone and reports only what changed meanwhile', async () => {
    const { sim, info } = await startSim();
    cleanups.push(() => sim.stop());
    const gateway = createKubeGateway(loadKubeConfig({ kubeconfigPath: info.kubeconfigPath }));
    cleanups.push(() => gateway.close());
    await gateway.apply(namespaceManifest(project));
    await gateway.apply(service);
    const { cache, changes, informers } = watchWith(gateway);
    await informers.waitForSync();
    const listsBefore = requestsOf(sim, 'list', 'services');
    changes.length = 0;

    sim.expireWatches();
    await gateway.apply(deployment);
    await waitFor(() => requestsOf(sim, 'list', 'services') > listsBefore, { message: 'a relist' });
    await waitFor(() => cache.ofResource(app.id).some((o) => o.kind === 'Deployment'), {
      message: 'the Deployment created after the expiry in the cache',
    });
    await waitFor(() => informers.healthy(), { message: 'watching again' });
    // The Service did not change: the relist does not report it again.
    expect(changes.filter((c) => c.kind === 'Service')).toEqual([]);
  });

  it('reconnects with backoff after an outage and catches up on what it missed', async () => {
    const { sim, info } = await startSim();
    cleanups.push(() => sim.stop());
    const gateway = createKubeGateway(loadKubeConfig({ kubeconfigPath: info.kubeconfigPath }), {
      timeoutMs: 1000,
    });
    cleanups.push(() => gateway.close());
    await gateway.apply(namespaceManifest(project));
    const { cache, errors, informers } = watchWith(gateway);
    await informers.waitForSync();

    await sim.refuseConnections();
    await waitFor(() => errors.length > 0 && !informers.healthy(), { message: 'the watch to fail' });
    await sim.acceptConnections();
    await gateway.apply(service);
    await waitFor(() => cache.ofResource(app.id).some((o) => o.kind === 'Service'), {
      timeout: 10_000,
      message: 'the Service created after the outage in the cache',
    });
    expect(errors.join('\n')).toMatch(/could not be reached|connection was lost|cut off/);
    await waitFor(() => informers.healthy(), { timeout: 10_000, message: 'every kind watched again' });
  });

  it('follows a restarted API server with a new certificate and token by re-reading the kubeconfig', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uncloud-informer-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const kubeconfigPath = join(dir, 'kubeconfig');
    const dataFile = join(dir, 'cluster.db');
    const first = await startSim({ kubeconfigPath, dataFile, token: 'first-token-0123456789' });
    const port = Number(new URL(first.info.url).port);
    const gateway = openKubeGateway({ kubeconfigPath }, { timeoutMs: 1000 });
    cleanups.push(() => gateway.close());
    // What a gateway that kept its first credentials would do.
    const stale = createKubeGateway(loadKubeConfig({ kubeconfigPath }), { timeoutMs: 1000 });
    cleanups.push(() => stale.close());
    await gateway.apply(namespaceManifest(project));
    const { cache, informers } = watchWith(gateway);
    await informers.waitForSync();

    await first.sim.stop();
    const second = await startSim({ kubeconfigPath, dataFile, port, token: 'second-token-9876543210' });
    cleanups.push(() => second.sim.stop());
    expect(second.info.caCert).not.toBe(first.info.caCert);

    await expect(stale.list('Service', { namespace })).rejects.toThrow(
      /could not be reached|self-signed|certificate/i,
    );
    const other = createKubeGateway(loadKubeConfig({ kubeconfigPath }));
    cleanups.push(() => other.close());
    await other.apply(service);
    await waitFor(() => cache.ofResource(app.id).some((o) => o.kind === 'Service'), {
      timeout: 10_000,
      message: 'the Service created on the restarted server in the cache',
    });
    expect(gateway.credentialChanges()).toBe(1);
    await waitFor(() => informers.healthy(), { timeout: 10_000, message: 'every kind watched again' });
  });

  it('looks at once at a kind the cluster did not serve when told its CRD is in, not at its next try', async () => {
    // A fresh k3s: no KubeVirt, so VirtualMachine is not served; its informer looks again only
    // every maxBackoffMs (30 s by default) unless woken.
    const { sim, info } = await startSim({ profile: 'bare' });
    cleanups.push(() => sim.stop());
    const gateway = createKubeGateway(loadKubeConfig({ kubeconfigPath: info.kubeconfigPath }));
    cleanups.push(() => gateway.close());
    const cache = createObjectCache();
    const informers = createInformers({
      gateway,
      cache,
      kinds: ['VirtualMachine'],
      labelSelector: managedSelector(),
      onChange: () => undefined,
    });
    informers.start();
    cleanups.push(() => informers.stop());
    await informers.waitForSync();
    await waitFor(() => informers.state().VirtualMachine?.waitingToBeServed === true, {
      message: 'the informer to wait for the kind to be served',
    });
    const crds = (await gateway.discover('apiextensions.k8s.io/v1', 'CustomResourceDefinition'))!;
    await gateway.applyAs(crds, {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'virtualmachines.kubevirt.io' },
      spec: {
        group: 'kubevirt.io',
        names: {
          kind: 'VirtualMachine',
          plural: 'virtualmachines',
          singular: 'virtualmachine',
          listKind: 'VirtualMachineList',
        },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    });
    await waitFor(
      async () => (await gateway.discover('kubevirt.io/v1', 'VirtualMachine', { fresh: true })) !== null,
      {
        message: 'the kind to be served',
      },
    );
    await gateway.apply(namespaceManifest(project));
    const owner = {
      kind: 'droplet' as const,
      id: 'drp_0000000000000000000001',
      projectId: project.id,
      name: 'vm',
    };
    await gateway.apply({
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachine',
      metadata: {
        name: 'vm',
        namespace: namespaceManifest(project).metadata.name,
        labels: ownerLabels(owner),
      },
      spec: { runStrategy: 'Halted', template: { spec: {} } },
    });

    // Still in the 30 s wait it began at the start (a few hundred ms ago).
    expect(informers.state().VirtualMachine?.waitingToBeServed).toBe(true);
    const woken = performance.now();
    expect(informers.recheckUnserved()).toEqual(['VirtualMachine']);
    await waitFor(() => cache.ofResource(owner.id).length === 1, {
      timeout: 2000,
      message: 'the VirtualMachine in the cache within 2 s of the wake',
    });
    expect(performance.now() - woken).toBeLessThan(2000);
    await waitFor(() => informers.healthy(), { message: 'watching the kind' });
    expect(informers.state().VirtualMachine?.waitingToBeServed).toBe(false);
  });

  it('after a wake, looks a few more times soon at a kind still not served', async () => {
    const { sim, info } = await startSim({ profile: 'bare' });
    cleanups.push(() => sim.stop());
    const gateway = createKubeGateway(loadKubeConfig({ kubeconfigPath: info.kubeconfigPath }));
    cleanups.push(() => gateway.close());
    const informers = createInformers({
      gateway,
      cache: createObjectCache(),
      kinds: ['VirtualMachine'],
      labelSelector: managedSelector(),
      onChange: () => undefined,
      baseBackoffMs: 50,
    });
    informers.start();
    cleanups.push(() => informers.stop());
    await waitFor(() => informers.state().VirtualMachine?.waitingToBeServed === true, {
      message: 'the informer to wait for the kind to be served',
    });
    const before = requestsOf(sim, 'list', 'virtualmachines');
    informers.recheckUnserved();
    // The wake's look, then 50, 100, 200 ms later: a CRD Established a moment before its kind answers.
    await waitFor(() => requestsOf(sim, 'list', 'virtualmachines') >= before + 4, {
      timeout: 2000,
      message: 'quick looks after the wake',
    });
    await waitFor(() => informers.state().VirtualMachine?.waitingToBeServed === true, { message: 'waiting' });
  });
});
