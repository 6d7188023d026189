import { ApiException } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiError, createNamespace, deployment, startSim, waitFor, type TestCluster } from './helpers.ts';

let t: TestCluster;
const ns = 'faults';
beforeAll(async () => {
  t = await startSim({ controllerDelayMs: 5 });
  await createNamespace(t, ns);
});
afterEach(async () => {
  t.sim.clearFaults();
  t.sim.resumeControllers();
  await t.sim.acceptConnections();
});
afterAll(() => t?.stop());

const readDefault = () => t.core.readNamespace({ name: 'default' });

async function failure(p: Promise<unknown>): Promise<{ code?: string; cause?: { code?: string } }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string; cause?: { code?: string } };
  }
  throw new Error('expected the call to fail');
}

describe('fault injection', () => {
  it('refuses connections until restored', async () => {
    await t.sim.refuseConnections();
    const err = await failure(readDefault());
    expect(err.code ?? err.cause?.code).toBe('ECONNREFUSED');
    await t.sim.acceptConnections();
    expect((await readDefault()).metadata?.name).toBe('default');
  });

  it('answers 503 and 429 with Retry-After on matching paths only', async () => {
    t.sim.injectError({ status: 503, path: '/configmaps', retryAfterSeconds: 3 });
    const unavailable = await failure(t.core.listNamespacedConfigMap({ namespace: ns }));
    expect(unavailable).toBeInstanceOf(ApiException);
    const e = unavailable as unknown as ApiException<string>;
    expect(e.code).toBe(503);
    expect(e.headers['retry-after']).toBe('3');
    expect((await readDefault()).metadata?.name).toBe('default');
    t.sim.clearFaults();
    t.sim.injectError({ status: 429, method: 'GET', count: 1 });
    const limited = await apiError(readDefault());
    expect(limited.code).toBe(429);
    expect(limited.body).toMatchObject({
      kind: 'Status',
      reason: 'TooManyRequests',
      details: { retryAfterSeconds: 1 },
    });
    expect((await readDefault()).metadata?.name).toBe('default');
  });

  it('answers 500 for a counted number of requests', async () => {
    t.sim.injectError({ status: 500, count: 2 });
    expect((await apiError(readDefault())).code).toBe(500);
    expect((await apiError(readDefault())).body.reason).toBe('InternalError');
    expect((await readDefault()).metadata?.name).toBe('default');
  });

  it('adds latency', async () => {
    t.sim.addLatency({ ms: 150, path: '/namespaces/default' });
    const start = Date.now();
    await readDefault();
    expect(Date.now() - start).toBeGreaterThanOrEqual(140);
  });

  it('fails the next N writes with 409 Conflict', async () => {
    t.sim.failNextWrites(2);
    const body = { metadata: { name: 'conflicted' } };
    expect((await apiError(t.core.createNamespacedConfigMap({ namespace: ns, body }))).body.reason).toBe(
      'Conflict',
    );
    expect((await apiError(t.core.createNamespacedConfigMap({ namespace: ns, body }))).code).toBe(409);
    expect((await t.core.createNamespacedConfigMap({ namespace: ns, body })).metadata?.name).toBe(
      'conflicted',
    );
  });

  it('pauses and resumes the controllers', async () => {
    t.sim.pauseControllers();
    await t.apps.createNamespacedDeployment({ namespace: ns, body: deployment('paused') });
    await new Promise((r) => setTimeout(r, 100));
    expect(
      (await t.apps.listNamespacedReplicaSet({ namespace: ns, labelSelector: 'app=paused' })).items,
    ).toHaveLength(0);
    t.sim.resumeControllers();
    await waitFor(
      async () =>
        (await t.apps.readNamespacedDeployment({ name: 'paused', namespace: ns })).status
          ?.availableReplicas === 1,
    );
  });

  it('keeps a held VM instance in Scheduling', async () => {
    t.sim.holdObject({ resource: 'kubevirt.io/virtualmachineinstances', namespace: ns, name: 'stuck' });
    const api = { group: 'kubevirt.io', version: 'v1', namespace: ns };
    await t.custom.createNamespacedCustomObject({
      ...api,
      plural: 'virtualmachines',
      body: {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachine',
        metadata: { name: 'stuck' },
        spec: { runStrategy: 'Always', template: { spec: { domain: { devices: {} } } } },
      },
    });
    const phase = async () =>
      (
        (await t.custom.getNamespacedCustomObject({
          ...api,
          plural: 'virtualmachineinstances',
          name: 'stuck',
        })) as { status?: { phase?: string } }
      ).status?.phase;
    await waitFor(async () => (await phase()) === 'Scheduling');
    await new Promise((r) => setTimeout(r, 100));
    expect(await phase()).toBe('Scheduling');
    t.sim.releaseObject({ resource: 'kubevirt.io/virtualmachineinstances', namespace: ns, name: 'stuck' });
    await waitFor(async () => (await phase()) === 'Running');
  });

  it('counts requests per verb, resource and kind', async () => {
    t.sim.resetRequestCounts();
    await t.core.listNamespacedConfigMap({ namespace: ns });
    await t.core.listNamespacedConfigMap({ namespace: ns });
    await t.core.readNamespace({ name: 'default' });
    await t.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'counted' } } });
    const counts = t.sim.requestCounts();
    expect(counts).toEqual(
      expect.arrayContaining([
        { verb: 'list', group: '', resource: 'configmaps', kind: 'ConfigMap', count: 2 },
        { verb: 'get', group: '', resource: 'namespaces', kind: 'Namespace', count: 1 },
        { verb: 'create', group: '', resource: 'configmaps', kind: 'ConfigMap', count: 1 },
      ]),
    );
    expect(t.sim.requestTotal({ kind: 'ConfigMap' })).toBe(3);
    expect(t.sim.requestTotal({ verb: 'list', kind: 'ConfigMap' })).toBe(2);
  });

  it('drives the same faults over the HTTP control path', async () => {
    const control = (path: string, method: string, body?: unknown) =>
      fetch(`${t.info.httpUrl}/_sim/${path}`, {
        method,
        headers: { authorization: `Bearer ${t.info.token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect(
      (await control('faults/errors', 'POST', { status: 503, path: '/namespaces/default', count: 1 })).status,
    ).toBe(200);
    expect((await apiError(readDefault())).code).toBe(503);
    await control('requests', 'DELETE');
    await readDefault();
    const counts = (await (await control('requests', 'GET')).json()) as {
      total: number;
      counts: { verb: string; resource: string; kind: string; count: number }[];
    };
    expect(counts.counts).toEqual([
      { verb: 'get', group: '', resource: 'namespaces', kind: 'Namespace', count: 1 },
    ]);
    expect((await control('faults/refuse', 'POST', { durationMs: 300 })).status).toBe(200);
    await waitFor(async () => {
      const e = await failure(readDefault()).catch(() => undefined);
      return (e?.code ?? e?.cause?.code) === 'ECONNREFUSED';
    });
    await waitFor(async () => (await readDefault()).metadata?.name === 'default', { timeout: 3000 });
    expect((await control('nope', 'GET')).status).toBe(404);
  });
});
