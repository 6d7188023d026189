// What simulated guests answer on the network: every TCP port open and HTTP 200 by default, one port
// closed, hung or answering a status when told (in-process or over the control API), by address as
// a load balancer's health checker reaches them; a restarted instance boots with the defaults.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, startSim, waitFor, type TestCluster } from './helpers.ts';

let t: TestCluster;
const ns = 'guest-network';
beforeAll(async () => {
  t = await startSim({ controllerDelayMs: 2 });
  await createNamespace(t, ns);
});
afterAll(() => t?.stop());

const vmis = { group: 'kubevirt.io', version: 'v1', plural: 'virtualmachineinstances', namespace: ns };
const vms = { ...vmis, plural: 'virtualmachines' };
type Vmi = { metadata: { uid: string }; status?: { phase?: string; interfaces?: { ipAddress?: string }[] } };

const runningVmi = (name: string, notUid?: string) =>
  waitFor(
    async () => {
      const vmi = (await t.custom.getNamespacedCustomObject({ ...vmis, name }).catch(() => undefined)) as
        Vmi | undefined;
      const ip = vmi?.status?.interfaces?.[0]?.ipAddress;
      return vmi?.status?.phase === 'Running' && ip && vmi.metadata.uid !== notUid
        ? { ip, uid: vmi.metadata.uid }
        : undefined;
    },
    { timeout: 10_000, message: `the instance of ${name} running` },
  );

const control = (path: string, body: object) =>
  fetch(`${t.info.httpUrl}/_sim/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.info.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('guest network', () => {
  let ip: string;
  let uid: string;
  beforeAll(async () => {
    await t.custom.createNamespacedCustomObject({
      ...vms,
      body: {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachine',
        metadata: { name: 'web' },
        spec: {
          runStrategy: 'Always',
          template: {
            spec: {
              domain: {
                devices: { disks: [{ name: 'root', disk: { bus: 'virtio' } }] },
                memory: { guest: '512Mi' },
              },
              volumes: [{ name: 'root', containerDisk: { image: 'quay.io/containerdisks/debian:12' } }],
            },
          },
        },
      },
    });
    ({ ip, uid } = await runningVmi('web'));
  });

  it('answers every port of a running guest, HTTP 200, by default', () => {
    expect(t.sim.network.probe({ ip, port: 8080, protocol: 'http', path: '/healthz' })).toEqual({
      ok: true,
      reason: 'HTTP 200 from /healthz',
    });
    expect(t.sim.network.probe({ ip, port: 5432, protocol: 'tcp' })).toEqual({
      ok: true,
      reason: 'TCP port 5432 accepts connections',
    });
  });

  it.each([
    [{ kind: 'closed' }, 'tcp', { ok: false, reason: 'connection refused on port 8080' }],
    [{ kind: 'silent' }, 'tcp', { ok: true, reason: 'TCP port 8080 accepts connections' }],
    [{ kind: 'silent' }, 'http', { ok: false, reason: 'no answer on port 8080 within 2 s' }],
    [{ kind: 'http', status: 503 }, 'http', { ok: false, reason: 'HTTP 503 from /' }],
    [{ kind: 'http', status: 302 }, 'https', { ok: true, reason: 'HTTPS 302 from /' }],
  ] as const)('answers as told: %o over %s', (answer, protocol, result) => {
    t.sim.network.serve(ns, 'web', 8080, answer);
    expect(t.sim.network.probe({ ip, port: 8080, protocol, path: null, timeoutMs: 2000 })).toEqual(result);
    // Other ports keep the default.
    expect(t.sim.network.probe({ ip, port: 8081, protocol: 'tcp' }).ok).toBe(true);
    t.sim.network.serve(ns, 'web', 8080, undefined);
  });

  it('times out for an address nobody holds', () => {
    expect(t.sim.network.probe({ ip: '10.42.255.254', port: 80, protocol: 'tcp', timeoutMs: 3000 })).toEqual({
      ok: false,
      reason: 'no answer on port 80 within 3 s',
    });
  });

  it('is driven over the control API by tests in other processes', async () => {
    expect(
      (await control('guest/serve', { namespace: ns, vm: 'web', port: 80, answer: { kind: 'closed' } }))
        .status,
    ).toBe(200);
    const probe = await control('network/probe', { ip, port: 80, protocol: 'tcp' });
    expect(await probe.json()).toEqual({ ok: false, reason: 'connection refused on port 80' });
    expect(
      (await control('guest/serve', { namespace: ns, vm: 'web', port: 80, answer: { kind: 'odd' } })).status,
    ).toBe(400);
    expect(
      (await control('guest/serve', { namespace: ns, vm: 'nothing', port: 80, answer: null })).status,
    ).toBe(400);
    expect((await control('guest/serve', { namespace: ns, vm: 'web', port: 80, answer: null })).status).toBe(
      200,
    );
    expect(await (await control('network/probe', { ip, port: 80, protocol: 'tcp' })).json()).toMatchObject({
      ok: true,
    });
  });

  it('forgets what it was told when the instance restarts', async () => {
    t.sim.network.serve(ns, 'web', 9000, { kind: 'closed' });
    await t.custom.deleteNamespacedCustomObject({ ...vmis, name: 'web' });
    const next = await runningVmi('web', uid);
    expect(t.sim.network.probe({ ip: next.ip, port: 9000, protocol: 'tcp' }).ok).toBe(true);
  });
});
