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
const healthOf = (lb: LoadBalancer) => Object.fromEntries(lb.targets.map((t) => [t.name, t.healthy]));

describe('a load balancer', () => {
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

    await c.waitForAction(await c.droplets.powerOff.mutate({ projectId, id: b.id }), wait);
    const down = await c.waitFor(c.loadBalancers, ref, (lb) => healthOf(lb)['web-b'] === false, wait);
    expect(healthOf(down)).toEqual({ 'web-a': true, 'web-b': false });
  });

  it('sends to the droplets carrying its tag', async () => {
    await newDroplet('tagged-1', ['pool']);
    await newDroplet('untagged');
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
