import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import type { DropletId, ProjectId, UncloudClient } from '@uncloud/sdk';
import {
  type Endpoint,
  type KubeObject,
  RESOURCE_ID,
  evaluateCiliumPolicies,
  evaluateNetworkPolicies,
  namespaceName,
} from '@uncloud/kube';
import { waitFor } from '@uncloud/testing';

// A firewall end to end: intent → the sync engine → the policies in the (simulated) cluster, judged
// over the droplets' real launcher pods by the model of the backend the cluster runs. Same-project
// traffic is the firewall's to govern, and the project's isolation follows the firewall.

let stack: Stack;
let c: UncloudClient;
let projectId: ProjectId;
let namespace: string;
let web: DropletId;
let peer: DropletId;
beforeAll(async () => {
  stack = await startStack();
  c = stack.client;
  projectId = (await c.projects.create.mutate({ name: 'walls' })).id;
  namespace = namespaceName(projectId);
  await until(async () => (await c.projects.get.query({ projectId })).state === 'active', 'project active');
  const droplet = (name: string, tags: string[]) =>
    c.droplets.create.mutate({ projectId, name, size: 's-1vcpu-1gb', image: 'debian-12', tags });
  web = (await droplet('web', ['web'])).id;
  peer = (await droplet('peer', [])).id;
  await until(async () => {
    const states = await Promise.all([web, peer].map((id) => c.droplets.get.query({ projectId, id })));
    return states.every((d) => d.state === 'active');
  }, 'droplets active');
});
afterAll(() => stack.close());

const until = <T>(check: () => Promise<T>, message: string) => waitFor(check, { timeout: 10_000, message });
const kube = () => stack.kube!;

/** What the cluster holds now, as the policy models read it: namespaces, policies, launcher pods. */
const clusterWorld = async () => {
  const [namespaces, networkPolicies, ciliumPolicies, pods] = await Promise.all([
    kube().list('Namespace'),
    kube().list('NetworkPolicy', { namespace }),
    kube().list('CiliumNetworkPolicy', { namespace }),
    kube().list('Pod', { namespace }),
  ]);
  const podOf = (id: string): Endpoint => {
    const pod = pods.find((p: KubeObject) => p.metadata.labels?.[RESOURCE_ID] === id);
    if (!pod) throw new Error(`no pod of ${id}`);
    return { pod: { namespace, labels: pod.metadata.labels ?? {} } };
  };
  const world = {
    namespaces: Object.fromEntries(namespaces.map((n) => [n.metadata.name, n.metadata.labels ?? {}])),
    policies: [...networkPolicies, ...ciliumPolicies],
  };
  const evaluate = ciliumPolicies.length > 0 ? evaluateCiliumPolicies : evaluateNetworkPolicies;
  return {
    allows: (from: string, to: string, port: number) =>
      evaluate(world, { from: podOf(from), to: podOf(to), protocol: 'TCP', port }),
  };
};

describe('a firewall in the cluster', () => {
  it('governs same-project traffic to its targets, reports where it is enforced, and lets go when deleted', async () => {
    expect((await clusterWorld()).allows(peer, web, 80)).toBe(true);

    const fw = await c.firewalls.create.mutate({
      projectId,
      name: 'ssh-from-peer',
      inbound: [{ protocol: 'tcp', ports: '22', sources: [peer] }],
      targets: ['tag:web'],
    });
    expect(fw.allowDns).toBe(true);
    const enforced = await until(async () => {
      const f = await c.firewalls.get.query({ projectId, id: fw.id });
      return f.appliesTo.every((t) => t.enforced) && f.appliesTo.length > 0 && f;
    }, 'firewall enforced on its target');
    expect(enforced.appliesTo).toEqual([
      { id: web, kind: 'droplet', name: 'web', enforced: true, note: null },
    ]);

    // The project's isolation leaves the target to its firewall (the firewall nudges the project).
    const world = await until(async () => {
      const w = await clusterWorld();
      return !w.allows(peer, web, 80) && w;
    }, 'same-project traffic governed by the firewall');
    expect(world.allows(peer, web, 22)).toBe(true);
    expect(world.allows(web, peer, 80)).toBe(true);

    await c.firewalls.delete.mutate({ projectId, id: fw.id });
    await until(
      async () => (await clusterWorld()).allows(peer, web, 80),
      'isolation admits the project again',
    );
  });

  it("agrees with the simulated cluster's NetworkPolicy dataplane on every connection", async () => {
    const fw = await c.firewalls.create.mutate({
      projectId,
      name: 'web-only',
      inbound: [{ protocol: 'tcp', ports: '80', sources: ['0.0.0.0/0'] }],
      targets: ['tag:web'],
    });
    await until(async () => {
      const w = await clusterWorld();
      return !w.allows(peer, web, 22) && w;
    }, 'firewall applied');
    const pods = await kube().list('Pod', { namespace });
    const networkPolicies = await kube().list('NetworkPolicy', { namespace });
    const namespaces = await kube().list('Namespace');
    const world = {
      namespaces: Object.fromEntries(namespaces.map((n) => [n.metadata.name, n.metadata.labels ?? {}])),
      policies: networkPolicies,
    };
    const ends = [
      ...pods.map((p) => ({
        sim: { namespace, pod: p.metadata.name },
        model: { pod: { namespace, labels: p.metadata.labels ?? {} } } as Endpoint,
      })),
      { sim: { address: '198.51.100.20' }, model: { external: '198.51.100.20' } as Endpoint },
    ];
    const verdicts: boolean[] = [];
    for (const from of ends)
      for (const to of ends)
        for (const port of [22, 80, 443]) {
          if (from === to || 'address' in to.sim) continue;
          const connection = { protocol: 'TCP' as const, port };
          const simulated = stack.sim!.allowsConnection({ from: from.sim, to: to.sim, ...connection });
          verdicts.push(simulated);
          expect(simulated, `${JSON.stringify(from.sim)} → ${JSON.stringify(to.sim)}:${port}`).toBe(
            evaluateNetworkPolicies(world, { from: from.model, to: to.model, ...connection }),
          );
        }
    // Both answers occur: the comparison is not of two evaluators that always say yes.
    expect(new Set(verdicts)).toEqual(new Set([true, false]));
    await c.firewalls.delete.mutate({ projectId, id: fw.id });
  });

  it('lists a target that is not enforced yet as such', async () => {
    const fw = await c.firewalls.create.mutate({ projectId, name: 'later', targets: [peer] });
    // Read at once: the sync engine has not applied the policy yet, or has, never anything else.
    const now = await c.firewalls.get.query({ projectId, id: fw.id });
    expect(now.appliesTo).toHaveLength(1);
    expect(now.appliesTo[0]).toMatchObject({ id: peer, kind: 'droplet', name: 'peer' });
    if (!now.appliesTo[0]!.enforced) expect(now.appliesTo[0]!.note).toMatch(/not enforced yet/);
    await until(
      async () => (await c.firewalls.get.query({ projectId, id: fw.id })).appliesTo[0]?.enforced === true,
      'enforced',
    );
  });
});
