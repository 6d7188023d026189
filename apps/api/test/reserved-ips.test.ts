// Reserved IPs through the API on the simulated cluster: one is allocated from the administrator's
// pool, its Service asks the load balancer for that address, assigning points the Service at a
// droplet, moving it changes only whom the Service selects (the address stays), deleting one that
// is assigned is refused, and an address the load balancer may not give turns the reserved IP into
// an error that says why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import { type KubeObject, namespaceName, objectName } from '@uncloud/kube';
import type { ProjectId, ReservedIp, UncloudClient } from '@uncloud/sdk';
import { failure } from './errors.ts';

let stack: Stack;
let c: UncloudClient;
let projectId: ProjectId;
let namespace: string;

beforeAll(async () => {
  stack = await startStack({ reservedIpPool: '203.0.113.40-203.0.113.45' });
  c = stack.client;
  projectId = (await c.projects.create.mutate({ name: 'reserving', description: '' })).id;
  namespace = namespaceName(projectId);
});
afterAll(() => stack?.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = KubeObject & Record<string, any>;
const wait = { timeoutMs: 20_000, intervalMs: 50 };
const newDroplet = async (name: string) => {
  const droplet = await c.droplets.create.mutate({
    projectId,
    name,
    size: 's-1vcpu-1gb',
    image: 'ubuntu-24-04',
  });
  return c.waitFor(c.droplets, { projectId, id: droplet.id }, 'active', wait);
};
const serviceOf = async (rip: ReservedIp) =>
  (await stack.kube!.get('Service', namespace, objectName(rip.id))) as Loose;
/** The addresses the cluster's endpoints of the reserved IP's Service list as ready. */
const endpointsOf = async (rip: ReservedIp) => {
  const slices = (await stack.kube!.list('EndpointSlice', {
    namespace,
    labelSelector: `kubernetes.io/service-name=${objectName(rip.id)}`,
  })) as Loose[];
  return slices.flatMap((s) =>
    (s.endpoints ?? []).filter((e: Loose) => e.conditions?.ready).flatMap((e: Loose) => e.addresses),
  );
};
const until = async <T>(read: () => Promise<T>, ok: (v: T) => boolean) => {
  const deadline = Date.now() + wait.timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting; last seen ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, wait.intervalMs));
  }
};

describe('reserved IPs', { timeout: 90_000 }, () => {
  it('allocates from the pool, follows its droplet when moved, and keeps the address', async () => {
    const [a, b] = [await newDroplet('web-a'), await newDroplet('web-b')];
    const created = await c.reservedIps.create.mutate({ projectId, dropletId: a.id });
    expect(created).toMatchObject({
      ip: '203.0.113.40',
      name: 'ip-203-0-113-40',
      region: 'local',
      dropletId: a.id,
      dropletName: 'web-a',
      state: 'pending',
    });
    expect(created.id).toMatch(/^rip_/);
    const ref = { projectId, id: created.id };
    const up = await c.waitFor(c.reservedIps, ref, (r) => r.state === 'active' && r.announced, wait);
    expect(up.syncError).toBeNull();

    // The Service asks for the address the way each supported load balancer reads it, and got it.
    const service = await serviceOf(up);
    expect(service.metadata.annotations).toMatchObject({
      'metallb.io/loadBalancerIPs': '203.0.113.40',
      'io.cilium/lb-ipam-ips': '203.0.113.40',
    });
    expect(service.spec.loadBalancerIP).toBeUndefined();
    expect(service.status.loadBalancer.ingress).toEqual([{ ip: '203.0.113.40', ipMode: 'VIP' }]);
    expect(service.spec.selector['uncloud.dev/resource-id']).toBe(a.id);
    expect(service.spec.ports.map((p: Loose) => p.port)).toEqual([22]);
    expect(
      await until(
        () => endpointsOf(up),
        (ips) => ips.length === 1,
      ),
    ).toEqual([a.ip]);

    // The droplet shows it, and its SSH line is for it.
    const withIp = await c.droplets.get.query({ projectId, id: a.id });
    expect(withIp.reservedIp).toBe('203.0.113.40');

    // Moving: an action with progress; the Service now selects the other droplet, same address.
    const move = await c.reservedIps.assign.mutate({ ...ref, dropletId: b.id });
    expect(move).toMatchObject({ type: 'assign', resourceKind: 'reservedIp', status: 'in-progress' });
    expect(move.params).toMatchObject({ dropletId: b.id, fromDropletId: a.id });
    await c.waitForAction(move, wait);
    const moved = await c.reservedIps.get.query(ref);
    expect(moved).toMatchObject({
      ip: '203.0.113.40',
      dropletId: b.id,
      dropletName: 'web-b',
      state: 'active',
    });
    const after = await serviceOf(moved);
    expect(after.metadata.uid).toBe(service.metadata.uid);
    expect(after.spec.selector['uncloud.dev/resource-id']).toBe(b.id);
    expect(after.status.loadBalancer.ingress).toEqual([{ ip: '203.0.113.40', ipMode: 'VIP' }]);
    expect(
      await until(
        () => endpointsOf(moved),
        (ips) => ips[0] === b.ip,
      ),
    ).toEqual([b.ip]);
    expect((await c.droplets.get.query({ projectId, id: a.id })).reservedIp).toBeNull();
    expect((await c.droplets.get.query({ projectId, id: b.id })).reservedIp).toBe('203.0.113.40');

    // Deleting while assigned is refused, saying what to do.
    const refused = await failure(c.reservedIps.delete.mutate(ref));
    expect(refused.data.code).toBe('CONFLICT');
    expect(refused.message).toBe(
      'reserved IP 203.0.113.40 is assigned to droplet web-b; unassign it first, then delete it',
    );

    // Unassigned, it keeps the address and selects nothing.
    const off = await c.reservedIps.unassign.mutate(ref);
    await c.waitForAction(off, wait);
    const loose = await c.reservedIps.get.query(ref);
    expect(loose).toMatchObject({ dropletId: null, ip: '203.0.113.40', state: 'active', announced: true });
    expect(
      await until(
        () => endpointsOf(loose),
        (ips) => ips.length === 0,
      ),
    ).toEqual([]);
    expect((await serviceOf(loose)).status.loadBalancer.ingress).toEqual([
      { ip: '203.0.113.40', ipMode: 'VIP' },
    ]);

    // Then it may go, and its address is free again.
    await c.reservedIps.delete.mutate(ref);
    await c.waitFor(c.reservedIps, ref, 'gone', wait);
    expect(await stack.kube!.get('Service', namespace, objectName(created.id))).toBeNull();
    const next = await c.reservedIps.create.mutate({ projectId });
    expect(next.ip).toBe('203.0.113.40');
    await c.reservedIps.delete.mutate({ projectId, id: next.id });
  });

  it('forwards the ports its droplet’s firewalls allow, and lets go of a deleted droplet', async () => {
    const d = await newDroplet('web-fw');
    await c.firewalls.create.mutate({
      projectId,
      name: 'web',
      inbound: [{ protocol: 'tcp', ports: '443', sources: ['0.0.0.0/0'] }],
      targets: [d.id],
    });
    const rip = await c.reservedIps.create.mutate({ projectId, name: 'front', ip: '203.0.113.44' });
    const assigned = await c.reservedIps.assign.mutate({ projectId, id: rip.id, dropletId: d.id });
    await c.waitForAction(assigned, wait);
    const service = await until(
      () => serviceOf(rip),
      (s) => s.spec.ports.length === 2,
    );
    expect(service.spec.ports.map((p: Loose) => `${p.protocol}/${p.port}`)).toEqual(['TCP/22', 'TCP/443']);

    await c.droplets.delete.mutate({ projectId, id: d.id });
    const released = await c.reservedIps.get.query({ projectId, id: rip.id });
    expect(released.dropletId).toBeNull();
    await c.reservedIps.delete.mutate({ projectId, id: rip.id });
  });

  it('refuses what it cannot do, naming the field', async () => {
    const d = await newDroplet('web-x');
    const outside = await failure(c.reservedIps.create.mutate({ projectId, ip: '203.0.113.99' }));
    expect(outside.data).toMatchObject({ code: 'BAD_REQUEST', field: 'ip' });
    expect(outside.message).toBe(
      '203.0.113.99 is not in the pool of reserved IPs (203.0.113.40-203.0.113.45)',
    );
    const region = await failure(c.reservedIps.create.mutate({ projectId, region: 'nyc3' }));
    expect(region.data).toMatchObject({ code: 'BAD_REQUEST', field: 'region' });

    const one = await c.reservedIps.create.mutate({ projectId, dropletId: d.id });
    const taken = await failure(c.reservedIps.create.mutate({ projectId, ip: one.ip }));
    expect(taken.data).toMatchObject({ code: 'CONFLICT', field: 'ip' });
    const second = await failure(c.reservedIps.create.mutate({ projectId, dropletId: d.id }));
    expect(second.data).toMatchObject({ code: 'CONFLICT', field: 'dropletId' });
    expect(second.message).toContain(`already has reserved IP ${one.ip}`);
    const same = await failure(c.reservedIps.assign.mutate({ projectId, id: one.id, dropletId: d.id }));
    expect(same.data.code).toBe('BAD_REQUEST');

    const other = (await c.projects.create.mutate({ name: 'elsewhere', description: '' })).id;
    const foreign = await failure(c.reservedIps.create.mutate({ projectId: other, dropletId: d.id }));
    expect(foreign.data).toMatchObject({ code: 'BAD_REQUEST', field: 'dropletId' });

    await c.reservedIps.unassign.mutate({ projectId, id: one.id });
    await c.reservedIps.delete.mutate({ projectId, id: one.id });
  });

  it('counts against the quota', async () => {
    const project = (await c.projects.create.mutate({ name: 'counted', description: '' })).id;
    await c.quotas.update.mutate({ projectId: project, reservedIps: 1 });
    await c.reservedIps.create.mutate({ projectId: project });
    const over = await failure(c.reservedIps.create.mutate({ projectId: project }));
    expect(over.data.code).toBe('QUOTA_EXCEEDED');
    expect(over.message).toContain('(limit "reservedIps")');
    const quota = await c.quotas.get.query({ projectId: project });
    expect(quota.reservedIps).toBe(1);
    expect(quota.usage.reservedIps).toBe(1);
  });
});

describe('an address the load balancer may not give', { timeout: 60_000 }, () => {
  let outside: Stack;
  beforeAll(async () => {
    // The administrator's pool reaches past what the cluster's load balancer has (203.0.113.0/24).
    outside = await startStack({ reservedIpPool: '192.0.2.10', syncIntervalMs: 1000 });
  });
  afterAll(() => outside?.close());

  it('is an error in the load balancer’s own words, with what to do', async () => {
    const client = outside.client;
    const project = (await client.projects.create.mutate({ name: 'misconfigured', description: '' })).id;
    const rip = await client.reservedIps.create.mutate({ projectId: project });
    expect(rip.ip).toBe('192.0.2.10');
    const failed = await client.waitFor(
      client.reservedIps,
      { projectId: project, id: rip.id },
      'error',
      wait,
    );
    expect(failed.announced).toBe(false);
    expect(failed.syncError).toContain('"192.0.2.10" is not allowed in config');
    expect(failed.syncError).toContain('UNCLOUD_RESERVED_IP_POOL');
  });
});
