// Load balancers' health checks decide where traffic goes, on the simulated cluster: a target whose
// guest stops answering the check turns unhealthy with the reason and leaves the ready endpoints of
// the EndpointSlice, and comes back once it answers again; two load balancers in front of one
// droplet judge it each by their own check. HTTP(S) rules with a hostname are served by an Ingress,
// and the project's quota holds the number of load balancers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import { type KubeObject, namespaceName, objectName } from '@uncloud/kube';
import type { DropletId, LoadBalancer, ProjectId, UncloudClient } from '@uncloud/sdk';
import { type PortAnswer, type SimCluster, createSimCluster } from '@uncloud/kube-sim';
import { failure } from './errors.ts';

let stack: Stack;
let c: UncloudClient;
let projectId: ProjectId;
let namespace: string;
const droplets: Record<string, DropletId> = {};

const wait = { timeoutMs: 30_000, intervalMs: 50 };
// The shortest check DigitalOcean allows, judged by one failure or success: quick to see.
const quickCheck = {
  protocol: 'http',
  port: 8080,
  path: '/healthz',
  intervalSeconds: 3,
  timeoutSeconds: 1,
  healthyThreshold: 1,
  unhealthyThreshold: 1,
} as const;

beforeAll(async () => {
  stack = await startStack();
  c = stack.client;
  projectId = (await c.projects.create.mutate({ name: 'health', description: '' })).id;
  namespace = namespaceName(projectId);
  for (const name of ['web-a', 'web-b']) {
    const d = await c.droplets.create.mutate({ projectId, name, size: 's-1vcpu-1gb', image: 'ubuntu-24-04' });
    droplets[name] = d.id;
  }
  for (const id of Object.values(droplets)) await c.waitFor(c.droplets, { projectId, id }, 'active', wait);
});
afterAll(() => stack?.close());

const serve = (name: string, port: number, answer: PortAnswer | undefined) =>
  stack.sim!.network.serve(namespace, objectName(droplets[name]!), port, answer);
const targetOf = (lb: LoadBalancer, name: string) => lb.targets.find((t) => t.name === name)!;
/** The droplets the load balancer's EndpointSlice in the cluster lists ready. */
const readyEndpoints = async (lbId: string) => {
  const slice = (await stack.kube!.get('EndpointSlice', namespace, objectName(lbId))) as KubeObject & {
    endpoints?: { conditions: { ready: boolean }; targetRef: { name: string } }[];
  };
  return (slice.endpoints ?? [])
    .filter((e) => e.conditions.ready)
    .map((e) => e.targetRef.name)
    .sort();
};

describe('load balancer health checks', { timeout: 90_000 }, () => {
  it('take a target that fails its check out of the endpoints, with the reason, and put it back', async () => {
    const lb = await c.loadBalancers.create.mutate({
      projectId,
      name: 'checked',
      forwardingRules: [{ entryProtocol: 'http', entryPort: 80, targetPort: 8080 }],
      healthCheck: quickCheck,
      dropletIds: [droplets['web-a']!, droplets['web-b']!],
    });
    const ref = { projectId, id: lb.id };
    const up = await c.waitFor(c.loadBalancers, ref, (l) => l.targets.every((t) => t.healthy), wait);
    expect(targetOf(up, 'web-a')).toMatchObject({ healthy: true, reason: 'HTTP 200 from /healthz' });
    // Sorted like readyEndpoints: ids are random, so their order is too.
    expect(await readyEndpoints(lb.id)).toEqual(
      [objectName(droplets['web-a']!), objectName(droplets['web-b']!)].sort(),
    );

    serve('web-b', 8080, { kind: 'http', status: 503 });
    const down = await c.waitFor(c.loadBalancers, ref, (l) => !targetOf(l, 'web-b').healthy, wait);
    expect(targetOf(down, 'web-b')).toMatchObject({ healthy: false, reason: 'HTTP 503 from /healthz' });
    expect(targetOf(down, 'web-a').healthy).toBe(true);
    expect(await readyEndpoints(lb.id)).toEqual([objectName(droplets['web-a']!)]);

    serve('web-b', 8080, undefined);
    const back = await c.waitFor(c.loadBalancers, ref, (l) => targetOf(l, 'web-b').healthy, wait);
    expect(targetOf(back, 'web-b').reason).toBe('HTTP 200 from /healthz');
    expect(await readyEndpoints(lb.id)).toHaveLength(2);
    await c.loadBalancers.delete.mutate(ref);
  });

  it('judge one droplet by each load balancer’s own check', async () => {
    serve('web-a', 9000, { kind: 'closed' });
    const make = (name: string, port: number) =>
      c.loadBalancers.create.mutate({
        projectId,
        name,
        forwardingRules: [{ entryProtocol: 'tcp', entryPort: port, targetPort: port }],
        healthCheck: { ...quickCheck, protocol: 'tcp', path: null, port },
        dropletIds: [droplets['web-a']!],
      });
    const [open, closed] = [await make('on-8080', 8080), await make('on-9000', 9000)];
    const judged = (id: LoadBalancer['id'], healthy: boolean) =>
      c.waitFor(
        c.loadBalancers,
        { projectId, id },
        (l) => targetOf(l, 'web-a').since !== null && targetOf(l, 'web-a').healthy === healthy,
        wait,
      );
    expect(targetOf(await judged(open.id, true), 'web-a').reason).toBe('TCP port 8080 accepts connections');
    expect(targetOf(await judged(closed.id, false), 'web-a').reason).toBe('connection refused on port 9000');
    expect(await readyEndpoints(closed.id)).toEqual([]);
    serve('web-a', 9000, undefined);
    for (const id of [open.id, closed.id]) await c.loadBalancers.delete.mutate({ projectId, id });
  });

  it('say a powered-off target is off, and check it again from scratch when it is back', async () => {
    const lb = await c.loadBalancers.create.mutate({
      projectId,
      name: 'power',
      forwardingRules: [{ entryProtocol: 'tcp', entryPort: 22, targetPort: 22 }],
      healthCheck: { ...quickCheck, protocol: 'tcp', path: null, port: 22 },
      dropletIds: [droplets['web-b']!],
    });
    const ref = { projectId, id: lb.id };
    await c.waitFor(c.loadBalancers, ref, (l) => targetOf(l, 'web-b').healthy, wait);
    await c.waitForAction(await c.droplets.powerOff.mutate({ projectId, id: droplets['web-b']! }), wait);
    const off = await c.waitFor(c.loadBalancers, ref, (l) => !targetOf(l, 'web-b').healthy, wait);
    expect(targetOf(off, 'web-b')).toMatchObject({ reason: 'the droplet is powered off', since: null });
    await c.waitForAction(await c.droplets.powerOn.mutate({ projectId, id: droplets['web-b']! }), wait);
    await c.waitFor(c.loadBalancers, ref, (l) => targetOf(l, 'web-b').healthy, wait);
    await c.loadBalancers.delete.mutate(ref);
  });
});

describe('load balancer hostnames', { timeout: 60_000 }, () => {
  const certificate = '-----BEGIN CERTIFICATE-----\nMIIBdGVzdA==\n-----END CERTIFICATE-----\n';
  const privateKey = '-----BEGIN PRIVATE KEY-----\nMIIEdGVzdA==\n-----END PRIVATE KEY-----\n';

  it('serve HTTP and HTTPS hostnames through an Ingress, with the uploaded certificate in a Secret', async () => {
    const lb = await c.loadBalancers.create.mutate({
      projectId,
      name: 'shop',
      forwardingRules: [
        { entryProtocol: 'http', entryPort: 80, targetPort: 8080, hostname: 'shop.example.com' },
        { entryProtocol: 'https', entryPort: 443, targetPort: 8080, hostname: 'shop.example.com' },
      ],
      dropletIds: [droplets['web-a']!],
      tlsCertificate: { source: 'uploaded', certificate, privateKey },
    });
    expect(lb.tlsCertificate).toEqual({ source: 'uploaded' });
    expect(JSON.stringify(lb)).not.toContain('PRIVATE KEY');
    await c.waitFor(c.loadBalancers, { projectId, id: lb.id }, (l) => l.syncState === 'synced', wait);
    const ingress = (await stack.kube!.get('Ingress', namespace, objectName(lb.id))) as KubeObject & {
      spec: Record<string, unknown>;
    };
    expect(ingress.spec).toMatchObject({
      tls: [{ hosts: ['shop.example.com'], secretName: `${objectName(lb.id)}-tls` }],
      rules: [{ host: 'shop.example.com' }],
    });
    const secret = (await stack.kube!.get('Secret', namespace, `${objectName(lb.id)}-tls`)) as KubeObject & {
      type: string;
      data: Record<string, string>;
    };
    expect(secret.type).toBe('kubernetes.io/tls');
    expect(Buffer.from(secret.data['tls.key']!, 'base64').toString()).toBe(privateKey);

    // Dropping the certificate while an HTTPS hostname needs it is refused, naming the field.
    const refused = await failure(
      c.loadBalancers.update.mutate({ projectId, id: lb.id, tlsCertificate: null }),
    );
    expect(refused.data).toMatchObject({ code: 'BAD_REQUEST', field: 'tlsCertificate' });
    await c.loadBalancers.delete.mutate({ projectId, id: lb.id });
  });

  it('refuse an HTTPS hostname without a certificate, and a hostname on a TCP rule', async () => {
    const https = await failure(
      c.loadBalancers.create.mutate({
        projectId,
        name: 'no-cert',
        forwardingRules: [
          { entryProtocol: 'https', entryPort: 443, targetPort: 8080, hostname: 'a.example.com' },
        ],
      }),
    );
    expect(https.data.fieldErrors).toEqual({
      tlsCertificate: ['HTTPS for a.example.com needs a certificate: upload one, or choose cert-manager'],
    });
    const tcp = await failure(
      c.loadBalancers.create.mutate({
        projectId,
        name: 'tcp-host',
        forwardingRules: [{ entryProtocol: 'tcp', entryPort: 22, targetPort: 22, hostname: 'a.example.com' }],
      }),
    );
    expect(tcp.data.fieldErrors).toEqual({
      'forwardingRules.0.hostname': [
        'only HTTP and HTTPS rules have a hostname: leave it out, or make the rule HTTP',
      ],
    });
  });
});

describe('the load balancer quota', { timeout: 60_000 }, () => {
  it('refuses one load balancer too many, naming the limit, and counts them on the quota', async () => {
    const project = (await c.projects.create.mutate({ name: 'lb-quota', description: '' })).id;
    await c.quotas.update.mutate({ projectId: project, loadBalancers: 1 });
    const rules = [{ entryProtocol: 'tcp' as const, entryPort: 22, targetPort: 22 }];
    await c.loadBalancers.create.mutate({ projectId: project, name: 'one', forwardingRules: rules });
    const over = await failure(
      c.loadBalancers.create.mutate({ projectId: project, name: 'two', forwardingRules: rules }),
    );
    expect(over.data).toMatchObject({ code: 'QUOTA_EXCEEDED', field: 'name' });
    expect(over.message).toContain('limit "loadBalancers"');
    const quota = await c.quotas.get.query({ projectId: project });
    expect(quota).toMatchObject({ loadBalancers: 1, usage: { loadBalancers: 1 } });
    // Kubernetes' ceiling on LoadBalancer Services: the load balancers' and every droplet's own
    // address (and reserved IPs', when the project has that limit).
    const others = quota.droplets + Number((quota as Record<string, unknown>).reservedIps ?? 0);
    await expect
      .poll(
        async () => {
          const [rq] = (await stack.kube!.list('ResourceQuota', {
            namespace: namespaceName(project),
          })) as (KubeObject & {
            spec: { hard: Record<string, string> };
          })[];
          return rq?.spec.hard['services.loadbalancers'];
        },
        { timeout: 20_000 },
      )
      .toBe(String(1 + others));
    const below = await failure(c.quotas.update.mutate({ projectId: project, loadBalancers: 0 }));
    expect(below.data).toMatchObject({ code: 'BAD_REQUEST', field: 'loadBalancers' });
  });
});

describe('load balancer actions', { timeout: 60_000 }, () => {
  it('put droplets behind it and take them away, each an action that ends when the cluster follows', async () => {
    const lb = await c.loadBalancers.create.mutate({
      projectId,
      name: 'acting',
      forwardingRules: [{ entryProtocol: 'tcp', entryPort: 22, targetPort: 22 }],
      healthCheck: { ...quickCheck, protocol: 'tcp', path: null, port: 22 },
      dropletIds: [droplets['web-a']!],
    });
    const ref = { projectId, id: lb.id };
    const add = await c.loadBalancers.addDroplets.mutate({ ...ref, dropletIds: [droplets['web-b']!] });
    expect(add).toMatchObject({ type: 'addDroplets', resourceKind: 'loadBalancer', resourceId: lb.id });
    expect(await c.waitForAction(add, wait)).toMatchObject({ status: 'completed' });
    await c.waitFor(
      c.loadBalancers,
      ref,
      (l) => l.targets.length === 2 && l.targets.every((t) => t.healthy),
      wait,
    );
    expect(await readyEndpoints(lb.id)).toHaveLength(2);

    const remove = await c.loadBalancers.removeDroplets.mutate({ ...ref, dropletIds: [droplets['web-a']!] });
    expect(await c.waitForAction(remove, wait)).toMatchObject({ status: 'completed' });
    expect((await c.loadBalancers.get.query(ref)).dropletIds).toEqual([droplets['web-b']]);
    expect(await readyEndpoints(lb.id)).toEqual([objectName(droplets['web-b']!)]);
    const listed = await c.actions.list.query({ projectId, resourceId: lb.id });
    expect(listed.items.map((a) => a.type)).toEqual(['removeDroplets', 'addDroplets']);
    await c.loadBalancers.delete.mutate(ref);
  });
});

// Uncloud outside the cluster (a kubeconfig: an operator's laptop, a VM beside the cluster) cannot
// reach pod addresses: HTTP(S) checks go through the API server's pod proxy instead, and TCP
// checks, which cannot, are not made: their targets take traffic while running, saying why.
describe('load balancer health checks from outside the cluster', { timeout: 90_000 }, () => {
  let outside: Stack;
  let cluster: SimCluster;
  let dir: string;
  let ns: string;
  let project: ProjectId;
  const vms: Record<string, DropletId> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uncloud-outside-'));
    cluster = createSimCluster({
      controllerDelayMs: 0,
      kubeconfigPath: join(dir, 'kubeconfig'),
      dataFile: join(dir, 'cluster.json'),
    });
    await cluster.start();
    outside = await startStack({ kubeconfig: join(dir, 'kubeconfig') });
    const client = outside.client;
    project = (await client.projects.create.mutate({ name: 'outside', description: '' })).id;
    ns = namespaceName(project);
    for (const name of ['web-a', 'web-b']) {
      const d = await client.droplets.create.mutate({
        projectId: project,
        name,
        size: 's-1vcpu-1gb',
        image: 'ubuntu-24-04',
      });
      vms[name] = d.id;
    }
    for (const id of Object.values(vms))
      await client.waitFor(client.droplets, { projectId: project, id }, 'active', wait);
  });
  afterAll(async () => {
    await outside?.close();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('probe HTTP checks through the API server’s pod proxy, and take a failing target out', async () => {
    const client = outside.client;
    const lb = await client.loadBalancers.create.mutate({
      projectId: project,
      name: 'proxied',
      forwardingRules: [{ entryProtocol: 'http', entryPort: 80, targetPort: 8080 }],
      healthCheck: quickCheck,
      dropletIds: [vms['web-a']!, vms['web-b']!],
    });
    const ref = { projectId: project, id: lb.id };
    const up = await client.waitFor(
      client.loadBalancers,
      ref,
      (l) => l.targets.every((t) => t.healthy),
      wait,
    );
    expect(targetOf(up, 'web-a')).toMatchObject({
      healthy: true,
      reason: 'HTTP 200 from /healthz (through the API server)',
    });

    cluster.network.serve(ns, objectName(vms['web-b']!), 8080, { kind: 'http', status: 503 });
    const down = await client.waitFor(client.loadBalancers, ref, (l) => !targetOf(l, 'web-b').healthy, wait);
    expect(targetOf(down, 'web-b').reason).toBe('HTTP 503 from /healthz (through the API server)');
    const slice = (await outside.kube!.get('EndpointSlice', ns, objectName(lb.id))) as KubeObject & {
      endpoints?: { conditions: { ready: boolean }; targetRef: { name: string } }[];
    };
    expect(slice.endpoints?.filter((e) => e.conditions.ready).map((e) => e.targetRef.name)).toEqual([
      objectName(vms['web-a']!),
    ]);
    cluster.network.serve(ns, objectName(vms['web-b']!), 8080, undefined);
    await client.loadBalancers.delete.mutate(ref);
  });

  it('let TCP-checked targets take traffic while running, saying that they are not checked and why', async () => {
    const client = outside.client;
    // A closed port: a check from inside would fail; from outside it is not made.
    cluster.network.serve(ns, objectName(vms['web-a']!), 5432, { kind: 'closed' });
    const lb = await client.loadBalancers.create.mutate({
      projectId: project,
      name: 'tcp-outside',
      forwardingRules: [{ entryProtocol: 'tcp', entryPort: 5432, targetPort: 5432 }],
      healthCheck: { ...quickCheck, protocol: 'tcp', path: null, port: 5432 },
      dropletIds: [vms['web-a']!],
    });
    const ref = { projectId: project, id: lb.id };
    const judged = await client.waitFor(
      client.loadBalancers,
      ref,
      (l) => targetOf(l, 'web-a').since !== null,
      wait,
    );
    expect(targetOf(judged, 'web-a').healthy).toBe(true);
    expect(targetOf(judged, 'web-a').reason).toMatch(
      /^not checked: TCP checks cannot reach the pod network from outside the cluster; .*UNCLOUD_LB_HEALTH_CHECKS/,
    );
    await client.loadBalancers.delete.mutate(ref);
  });
});
