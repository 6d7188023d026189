// A load balancer in front of droplets, through the API on the simulated cluster: it gets an
// address, its targets are healthy while their droplets run and unhealthy once powered off, tags
// pick targets, and the objects in the cluster say so (a LoadBalancer Service and its endpoints).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import { type KubeObject, namespaceName, objectName } from '@uncloud/kube';
import type { LoadBalancer, ProjectId, UncloudClient } from '@uncloud/sdk';
import { failure } from './errors.ts';

let stack: Stack;
let c: UncloudClient;
let projectId: ProjectId;
let namespace: string;

beforeAll(async () => {
  stack = await startStack();
  c = stack.client;
  projectId = (await c.projects.create.mutate({ name: 'balancing', description: '' })).id;
  namespace = namespaceName(projectId);
});
afterAll(() => stack?.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = KubeObject & Record<string, any>;
const wait = { timeoutMs: 20_000, intervalMs: 50 };
const newDroplet = async (name: string, tags: string[] = []) => {
  const droplet = await c.droplets.create.mutate({
    projectId,
    name,
    size: 's-1vcpu-1gb',
    image: 'ubuntu-24-04',
    tags,
  });
  await c.waitFor(c.droplets, { projectId, id: droplet.id }, 'active', wait);
  return droplet;
};
/** Whether the internet may reach a droplet's launcher pod on a port, by the cluster's NetworkPolicies. */
const internetReaches = async (dropletId: string, port: number) => {
  const [pod] = await stack.kube!.list('Pod', {
    namespace,
    labelSelector: `uncloud.dev/resource-id=${dropletId},kubevirt.io=virt-launcher`,
  });
  return stack.sim!.allowsConnection({
    from: { address: '203.0.113.9' },
    to: { namespace, pod: pod!.metadata.name! },
    protocol: 'TCP',
    port,
  });
};
const healthOf = (lb: LoadBalancer) => Object.fromEntries(lb.targets.map((t) => [t.name, t.healthy]));

describe('a load balancer', { timeout: 60_000 }, () => {
  it('gets an address and sends to healthy droplets, and a powered-off one turns unhealthy', async () => {
    const [a, b] = [await newDroplet('web-a'), await newDroplet('web-b')];
    const created = await c.loadBalancers.create.mutate({
      projectId,
      name: 'front',
      forwardingRules: [{ entryProtocol: 'http', entryPort: 80, targetPort: 8080 }],
      dropletIds: [a.id, b.id],
      stickySessions: true,
    });
    expect(created.id).toMatch(/^lb_/);
    const ref = { projectId, id: created.id };
    const up = await c.waitFor(
      c.loadBalancers,
      ref,
      (lb) => lb.state === 'active' && lb.targets.every((t) => t.healthy),
      wait,
    );
    expect(up.address).toMatch(/^198\.51\.100\.\d+$/);
    expect(healthOf(up)).toEqual({ 'web-a': true, 'web-b': true });
    expect(up.healthCheck).toMatchObject({ protocol: 'tcp', port: 8080 });

    const service = (await stack.kube!.get('Service', namespace, objectName(created.id))) as Loose;
    expect(service.spec).toMatchObject({
      type: 'LoadBalancer',
      sessionAffinity: 'ClientIP',
      ports: [{ name: 'http-80', protocol: 'TCP', port: 80, targetPort: 8080 }],
    });

    // The internet reaches the target port of droplets no firewall applies to, and no other port.
    expect(await internetReaches(a.id, 8080)).toBe(true);
    expect(await internetReaches(a.id, 9090)).toBe(false);

    await c.waitForAction(await c.droplets.powerOff.mutate({ projectId, id: b.id }), wait);
    const down = await c.waitFor(c.loadBalancers, ref, (lb) => healthOf(lb)['web-b'] === false, wait);
    expect(healthOf(down)).toEqual({ 'web-a': true, 'web-b': false });

    // Deleting it takes its objects away and leaves the droplets.
    expect((await c.loadBalancers.delete.mutate(ref)).state).toBe('deleting');
    await c.waitFor(c.loadBalancers, ref, 'gone', wait);
    expect(await stack.kube!.get('Service', namespace, objectName(created.id))).toBeNull();
    expect(await stack.kube!.get('EndpointSlice', namespace, objectName(created.id))).toBeNull();
    expect((await c.droplets.get.query({ projectId, id: a.id })).state).toBe('active');
  });

  it('sends to the droplets carrying its tag', async () => {
    await newDroplet('tagged-1', ['pool']);
    const untagged = await newDroplet('untagged');
    const lb = await c.loadBalancers.create.mutate({
      projectId,
      name: 'by-tag',
      forwardingRules: [{ entryProtocol: 'tcp', entryPort: 5432, targetPort: 5432 }],
      tag: 'pool',
    });
    const up = await c.waitFor(
      c.loadBalancers,
      { projectId, id: lb.id },
      (l) => l.state === 'active' && l.targets.length > 0 && l.targets.every((t) => t.healthy),
      wait,
    );
    expect(healthOf(up)).toEqual({ 'tagged-1': true });

    // A droplet that gets the tag joins; naming droplets instead replaces the tag.
    await c.droplets.update.mutate({ projectId, id: untagged.id, tags: ['pool'] });
    await c.waitFor(
      c.loadBalancers,
      { projectId, id: lb.id },
      (l) => healthOf(l)['untagged'] === true && healthOf(l)['tagged-1'] === true,
      wait,
    );
    const named = await c.loadBalancers.update.mutate({ projectId, id: lb.id, dropletIds: [untagged.id] });
    expect(named).toMatchObject({ tag: null, dropletIds: [untagged.id] });
    const slice = async () =>
      ((await stack.kube!.get('EndpointSlice', namespace, objectName(lb.id))) as Loose).endpoints.length;
    await expect.poll(slice, { timeout: 20_000, interval: 50 }).toBe(1);
  });

  // The firewall's own rules are a CiliumNetworkPolicy here, which the simulated dataplane does not
  // evaluate: what is checked is that the load balancer stops admitting the internet on its own.
  it("leaves a firewalled target to its firewall's rules", async () => {
    const guarded = await newDroplet('guarded');
    const lb = await c.loadBalancers.create.mutate({
      projectId,
      name: 'guarded',
      forwardingRules: [{ entryProtocol: 'tcp', entryPort: 8443, targetPort: 8443 }],
      dropletIds: [guarded.id],
    });
    await c.waitFor(c.loadBalancers, { projectId, id: lb.id }, (l) => l.targets[0]?.healthy === true, wait);
    expect(await internetReaches(guarded.id, 8443)).toBe(true);
    const fw = await c.firewalls.create.mutate({
      projectId,
      name: 'ssh-only',
      inbound: [{ protocol: 'tcp', ports: '22', sources: ['0.0.0.0/0'] }],
      targets: [guarded.id],
    });
    await expect.poll(() => internetReaches(guarded.id, 8443), { timeout: 20_000, interval: 50 }).toBe(false);
    // Without the firewall, the load balancer admits the internet to it again.
    await c.firewalls.delete.mutate({ projectId, id: fw.id });
    await expect.poll(() => internetReaches(guarded.id, 8443), { timeout: 20_000, interval: 50 }).toBe(true);
  });

  it('refuses targets by id and tag at once, droplets of other projects, and a repeated entry port', async () => {
    const other = (await c.projects.create.mutate({ name: 'elsewhere', description: '' })).id;
    const foreign = await c.droplets.create.mutate({
      projectId: other,
      name: 'foreign',
      size: 's-1vcpu-1gb',
      image: 'ubuntu-24-04',
    });
    const rules = [{ entryProtocol: 'tcp' as const, entryPort: 80, targetPort: 80 }];
    expect(
      await failure(
        c.loadBalancers.create.mutate({
          projectId,
          name: 'mixed',
          forwardingRules: rules,
          dropletIds: [foreign.id],
          tag: 'pool',
        }),
      ),
    ).toMatchObject({ data: { code: 'BAD_REQUEST' }, message: expect.stringContaining('not both') });
    expect(
      await failure(
        c.loadBalancers.create.mutate({
          projectId,
          name: 'foreign',
          forwardingRules: rules,
          dropletIds: [foreign.id],
        }),
      ),
    ).toMatchObject({
      data: { code: 'BAD_REQUEST' },
      message: expect.stringContaining('is not in this project'),
    });
    expect(
      await failure(
        c.loadBalancers.create.mutate({
          projectId,
          name: 'twice',
          forwardingRules: [...rules, ...rules],
          dropletIds: [],
        }),
      ),
    ).toMatchObject({ data: { code: 'BAD_REQUEST' }, message: expect.stringContaining('already forwarded') });
  });
});
