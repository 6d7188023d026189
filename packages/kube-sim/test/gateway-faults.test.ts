import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appManifests,
  createKubeGateway,
  loadKubeConfig,
  namespaceManifest,
  virtualMachineManifest,
  type KubeGateway,
} from '@uncloud/kube';
import { DropletId } from '@uncloud/sdk';
import { app, kubeErrorRecorder, namespace, project } from './gateway-fixtures.ts';
import { createSimCluster, type SimCluster } from '../src/index.ts';
import { waitFor } from './helpers.ts';

// The gateway's answers to what only the simulated cluster can do on request: forced conflicts,
// 5xx and 410 answers, refused connections, slow answers, and a KubeVirt that restarts VMs (kube-real
// runs no operator). Sim only; the rest of the gateway's tests (gateway.test.ts) run on both tiers.

let sim: SimCluster;
let gateway: KubeGateway;

beforeAll(async () => {
  sim = createSimCluster({ controllerDelayMs: 0 });
  const { kubeconfigPath } = await sim.start();
  gateway = createKubeGateway(loadKubeConfig({ kubeconfigPath }), { timeoutMs: 2000 });
  await gateway.create(namespaceManifest(project));
});
afterAll(async () => {
  gateway.close();
  await sim.stop();
});

const { failure, expectNoRestPaths } = kubeErrorRecorder();

describe('gateway under injected faults', () => {
  it('maps a forced write conflict to Conflict', async () => {
    sim.failNextWrites(1);
    const [, service] = appManifests(app, { ingressClass: undefined });
    expect(await failure(gateway.apply(service!))).toMatchObject({ kind: 'Conflict', status: 409 });
  });

  it('maps 500 and 503 answers to Unavailable', async () => {
    sim.injectError({ status: 503, count: 1 });
    expect(await failure(gateway.list('Namespace'))).toMatchObject({ kind: 'Unavailable', status: 503 });
    sim.injectError({ status: 500, count: 1 });
    expect(await failure(gateway.list('Namespace'))).toMatchObject({ kind: 'Unavailable', status: 500 });
  });

  it('maps refused connections to Unavailable, and recovers when the cluster is back', async () => {
    await sim.refuseConnections();
    try {
      expect(await failure(gateway.list('Namespace'))).toMatchObject({
        kind: 'Unavailable',
        status: undefined,
      });
    } finally {
      await sim.acceptConnections();
    }
    expect((await gateway.list('Namespace')).length).toBeGreaterThan(0);
  });

  it('gives up on a slow answer at the deadline, as Unavailable', async () => {
    sim.addLatency({ ms: 500, path: '/api/v1/secrets' });
    try {
      const error = await failure(gateway.list('Secret', { timeoutMs: 100 }));
      expect(error.kind).toBe('Unavailable');
      expect(error.message).toBe(
        'could not list Secret objects: the API server did not answer within 100 ms (timed out)',
      );
    } finally {
      sim.clearFaults();
    }
  });

  it('maps 410 to Gone', async () => {
    sim.injectError({ status: 410, count: 1 });
    expect(await failure(gateway.list('Namespace'))).toMatchObject({ kind: 'Gone', status: 410 });
  });

  it('says in words what an unavailable server failed to do', async () => {
    sim.injectError({ status: 503, method: 'PATCH', count: 1 });
    const [, service] = appManifests(app, { ingressClass: undefined });
    const unavailable = await failure(gateway.apply(service!));
    expect(unavailable.message).toBe(
      `could not apply Service ${service!.metadata.name} in namespace ${namespace}: the server is currently unable to handle the request`,
    );
  });

  it('restarts a VirtualMachine: KubeVirt replaces its running instance', async () => {
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
    await gateway.create(vm);
    const running = async () => {
      const vmi = await gateway.get('VirtualMachineInstance', namespace, vm.metadata.name);
      return (vmi?.status as { phase?: string } | undefined)?.phase === 'Running' ? vmi : undefined;
    };
    const before = await waitFor(running);
    await gateway.restartVirtualMachine(namespace, vm.metadata.name);
    await waitFor(async () => {
      const after = await running();
      return after && after.metadata.uid !== before.metadata.uid;
    });
  });

  it('never shows a REST path in an error message', () => {
    expectNoRestPaths();
  });
});
