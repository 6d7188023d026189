// One firewall, two backends, one meaning: every case runs through the CiliumNetworkPolicy and the
// NetworkPolicy rendering, each judged by a model of its backend's documented semantics, together
// with the project isolation policies the firewall lives beside.
import { describe, expect, it } from 'vitest';
import {
  firewallPolicyManifest,
  firewallTargetIds,
  type FirewallIntent,
  type PolicyFlavour,
  type TagIndex,
} from '../manifests/firewall.ts';
import { baselinePolicyManifest, isolationPolicyManifest } from '../manifests/project.ts';
import { RESOURCE_ID, namespaceName } from '../manifests/meta.ts';
import { dropletAddressManifests } from '../manifests/droplet-service.ts';
import { evaluateCiliumPolicies } from './cilium.ts';
import { evaluateNetworkPolicies } from './network-policy.ts';
import type { Connection, Endpoint, Protocol, World } from './world.ts';

const projectA = 'proj_aaaaaaaaaaaaaaaaaaaa';
const projectB = 'proj_bbbbbbbbbbbbbbbbbbbb';
const id = (prefix: string, c: string) => `${prefix}_${c.repeat(20)}`;
const web1 = id('dpl', '1'); // the firewall's usual target (tag web)
const web2 = id('dpl', '2'); // same project, tag web only in some cases
const peer = id('dpl', '3'); // same project, never a target
const api = id('app', '4'); // same project app
const other = id('dpl', '5'); // another project's droplet

const pod = (projectId: string, resourceId: string): Endpoint => ({
  pod: {
    namespace: namespaceName(projectId),
    labels: {
      [RESOURCE_ID]: resourceId,
      'app.kubernetes.io/managed-by': 'uncloud',
      ...(resourceId.startsWith('dpl_') ? { 'kubevirt.io': 'virt-launcher' } : {}),
    },
  },
});
const endpoints = {
  web1: pod(projectA, web1),
  web2: pod(projectA, web2),
  peer: pod(projectA, peer),
  api: pod(projectA, api),
  other: pod(projectB, other),
  dns: { pod: { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } } },
  ingressController: { pod: { namespace: 'ingress-nginx', labels: { app: 'ingress-nginx' } } },
  internet: { external: '198.51.100.20' },
  office: { external: '203.0.113.7' },
  internet6: { external: '2001:db8::1' },
} satisfies Record<string, Endpoint>;
type Name = keyof typeof endpoints;

const tags: TagIndex = { web: [web1], pair: [web1, web2], nobody: [] };

const firewall = (rules: Partial<FirewallIntent>, n = 1): FirewallIntent => ({
  id: id('fw', String(n)) as never,
  projectId: projectA as never,
  name: `fw-${n}`,
  inbound: [],
  outbound: [],
  targets: ['tag:web'],
  allowDns: true,
  ...rules,
});

const worldFor = (firewalls: FirewallIntent[], flavour: PolicyFlavour): World => {
  const project = (projectId: string) => {
    const mine = firewalls.filter((f) => f.projectId === projectId);
    const firewalled = mine.flatMap((f) => firewallTargetIds(f, tags));
    const intent = { id: projectId as never, name: 'p' };
    // Each droplet's public address, with the policy admitting the internet while unfirewalled.
    const addresses = [web1, web2, peer, other]
      .filter((d) => (d === other ? projectB : projectA) === projectId)
      .flatMap((d) =>
        dropletAddressManifests(
          { id: d as never, projectId: projectId as never, name: 'd' },
          firewalled.includes(d) ? mine.flatMap((f) => f.inbound) : null,
        ).filter((o) => o.kind === 'NetworkPolicy'),
      );
    return [baselinePolicyManifest(intent), isolationPolicyManifest(intent, firewalled), ...addresses];
  };
  return {
    namespaces: {
      [namespaceName(projectA)]: { 'app.kubernetes.io/managed-by': 'uncloud' },
      [namespaceName(projectB)]: { 'app.kubernetes.io/managed-by': 'uncloud' },
      'kube-system': {},
      'ingress-nginx': {},
    },
    policies: [
      ...project(projectA),
      ...project(projectB),
      ...firewalls.flatMap((f) => firewallPolicyManifest(f, tags, flavour) ?? []),
    ],
  };
};

interface Case {
  name: string;
  firewalls: FirewallIntent[];
  from: Name;
  to: Name;
  protocol?: Protocol;
  port?: number;
  allowed: boolean;
  /** Where NetworkPolicy cannot say what the firewall means (ICMP), its verdict, as documented. */
  kubernetes?: boolean;
}

const ssh = { protocol: 'tcp' as const, ports: '22' };
const cases: Case[] = [
  // No firewall: the project's isolation alone.
  {
    name: 'no firewall: same project reaches a droplet',
    firewalls: [],
    from: 'peer',
    to: 'web1',
    port: 22,
    allowed: true,
  },
  {
    name: 'no firewall: another project is kept out',
    firewalls: [],
    from: 'other',
    to: 'web1',
    port: 22,
    allowed: false,
  },
  {
    name: 'no firewall: ingress controllers reach apps',
    firewalls: [],
    from: 'ingressController',
    to: 'api',
    port: 80,
    allowed: true,
  },
  {
    name: 'no firewall: outbound is open',
    firewalls: [],
    from: 'web1',
    to: 'internet',
    port: 443,
    allowed: true,
  },

  // A droplet's public address: open on SSH without a firewall, the firewall's to decide with one.
  {
    name: 'no firewall: the internet reaches SSH',
    firewalls: [],
    from: 'internet',
    to: 'web1',
    port: 22,
    allowed: true,
  },
  {
    name: 'no firewall: the internet reaches no other port',
    firewalls: [],
    from: 'internet',
    to: 'web1',
    port: 80,
    allowed: false,
  },
  {
    name: 'no firewall: the internet reaches no app directly',
    firewalls: [],
    from: 'internet',
    to: 'api',
    port: 22,
    allowed: false,
  },
  {
    name: 'firewall without an SSH rule: the internet is refused SSH',
    firewalls: [firewall({ inbound: [{ protocol: 'tcp', ports: '80', sources: ['0.0.0.0/0'] }] })],
    from: 'internet',
    to: 'web1',
    port: 22,
    allowed: false,
  },
  {
    name: 'firewall allowing SSH from one network: others are refused',
    firewalls: [firewall({ inbound: [{ ...ssh, sources: ['203.0.113.0/24'] }] })],
    from: 'internet',
    to: 'web1',
    port: 22,
    allowed: false,
  },

  // No inbound rules: nothing comes in, from anywhere.
  {
    name: 'no inbound rules: the internet is refused',
    firewalls: [firewall({})],
    from: 'internet',
    to: 'web1',
    port: 22,
    allowed: false,
  },
  {
    name: 'no inbound rules: same project is refused',
    firewalls: [firewall({})],
    from: 'peer',
    to: 'web1',
    port: 22,
    allowed: false,
  },
  {
    name: 'no inbound rules: another project is refused',
    firewalls: [firewall({})],
    from: 'other',
    to: 'web1',
    port: 22,
    allowed: false,
  },
  {
    name: 'no inbound rules: ingress controllers are refused',
    firewalls: [firewall({ targets: [api] })],
    from: 'ingressController',
    to: 'api',
    port: 80,
    allowed: false,
  },
  {
    name: 'no inbound rules: droplets not targeted stay reachable',
    firewalls: [firewall({})],
    from: 'peer',
    to: 'web2',
    port: 22,
    allowed: true,
  },

  // Inbound rules allow, by port, address, id and tag.
  {
    name: 'inbound ssh from anywhere: the internet gets in',
    firewalls: [firewall({ inbound: [{ ...ssh, sources: ['0.0.0.0/0'] }] })],
    from: 'internet',
    to: 'web1',
    port: 22,
    allowed: true,
  },
  {
    name: 'inbound ssh from anywhere: another port stays shut',
    firewalls: [firewall({ inbound: [{ ...ssh, sources: ['0.0.0.0/0'] }] })],
    from: 'internet',
    to: 'web1',
    port: 80,
    allowed: false,
  },
  {
    name: 'inbound ssh from anywhere: udp stays shut',
    firewalls: [firewall({ inbound: [{ ...ssh, sources: ['0.0.0.0/0'] }] })],
    from: 'internet',
    to: 'web1',
    protocol: 'UDP',
    port: 22,
    allowed: false,
  },
  {
    name: 'inbound from 0.0.0.0/0 includes pods of the cluster',
    firewalls: [firewall({ inbound: [{ ...ssh, sources: ['0.0.0.0/0'] }] })],
    from: 'peer',
    to: 'web1',
    port: 22,
    allowed: true,
  },
  {
    name: 'inbound from 0.0.0.0/0 does not cover IPv6 addresses',
    firewalls: [firewall({ inbound: [{ ...ssh, sources: ['0.0.0.0/0'] }] })],
    from: 'internet6',
    to: 'web1',
    port: 22,
    allowed: false,
  },
  {
    name: 'inbound from ::/0 covers IPv6 addresses',
    firewalls: [firewall({ inbound: [{ ...ssh, sources: ['::/0'] }] })],
    from: 'internet6',
    to: 'web1',
    port: 22,
    allowed: true,
  },
  {
    name: 'inbound from one address: that address gets in',
    firewalls: [firewall({ inbound: [{ ...ssh, sources: ['203.0.113.0/24'] }] })],
    from: 'office',
    to: 'web1',
    port: 22,
    allowed: true,
  },
  {
    name: 'inbound from one address: others do not',
    firewalls: [firewall({ inbound: [{ ...ssh, sources: ['203.0.113.0/24'] }] })],
    from: 'internet',
    to: 'web1',
    port: 22,
    allowed: false,
  },
  {
    name: 'inbound port range: inside',
    firewalls: [firewall({ inbound: [{ protocol: 'tcp', ports: '8000-9000', sources: ['0.0.0.0/0'] }] })],
    from: 'internet',
    to: 'web1',
    port: 8500,
    allowed: true,
  },
  {
    name: 'inbound port range: outside',
    firewalls: [firewall({ inbound: [{ protocol: 'tcp', ports: '8000-9000', sources: ['0.0.0.0/0'] }] })],
    from: 'internet',
    to: 'web1',
    port: 9001,
    allowed: false,
  },
  {
    name: 'inbound all ports of udp',
    firewalls: [firewall({ inbound: [{ protocol: 'udp', ports: 'all', sources: ['0.0.0.0/0'] }] })],
    from: 'internet',
    to: 'web1',
    protocol: 'UDP',
    port: 5353,
    allowed: true,
  },

  // Same-project traffic is the firewall's to govern.
  {
    name: 'same project: a droplet named as source gets in',
    firewalls: [firewall({ inbound: [{ ...ssh, sources: [peer] }] })],
    from: 'peer',
    to: 'web1',
    port: 22,
    allowed: true,
  },
  {
    name: 'same project: on that port only',
    firewalls: [firewall({ inbound: [{ ...ssh, sources: [peer] }] })],
    from: 'peer',
    to: 'web1',
    port: 80,
    allowed: false,
  },
  {
    name: 'same project: a droplet not named is refused',
    firewalls: [firewall({ inbound: [{ ...ssh, sources: [peer] }] })],
    from: 'web2',
    to: 'web1',
    port: 22,
    allowed: false,
  },
  {
    name: 'same project: an app named as source gets in',
    firewalls: [firewall({ inbound: [{ protocol: 'tcp', ports: '5432', sources: [api] }] })],
    from: 'api',
    to: 'web1',
    port: 5432,
    allowed: true,
  },
  {
    name: 'same project: a tag as source',
    firewalls: [firewall({ targets: [peer], inbound: [{ ...ssh, sources: ['tag:pair'] }] })],
    from: 'web2',
    to: 'peer',
    port: 22,
    allowed: true,
  },
  {
    name: 'other project named by id still refused (ids are per project)',
    firewalls: [firewall({ inbound: [{ ...ssh, sources: [other] }] })],
    from: 'other',
    to: 'web1',
    port: 22,
    allowed: false,
  },

  // Tags with no members.
  {
    name: 'target tag with no members: nothing is firewalled',
    firewalls: [firewall({ targets: ['tag:nobody'] })],
    from: 'peer',
    to: 'web1',
    port: 22,
    allowed: true,
  },
  {
    name: 'target tag with no members: isolation still holds',
    firewalls: [firewall({ targets: ['tag:nobody'] })],
    from: 'other',
    to: 'web1',
    port: 22,
    allowed: false,
  },
  {
    name: 'source tag with no members admits no one',
    firewalls: [firewall({ inbound: [{ ...ssh, sources: ['tag:nobody'] }] })],
    from: 'peer',
    to: 'web1',
    port: 22,
    allowed: false,
  },
  {
    name: 'source tag with no members admits not the internet',
    firewalls: [firewall({ inbound: [{ ...ssh, sources: ['tag:nobody'] }] })],
    from: 'internet',
    to: 'web1',
    port: 22,
    allowed: false,
  },
  {
    name: 'destination tag with no members: outbound shut but for DNS',
    firewalls: [firewall({ outbound: [{ protocol: 'tcp', ports: 'all', destinations: ['tag:nobody'] }] })],
    from: 'web1',
    to: 'internet',
    port: 443,
    allowed: false,
  },

  // Outbound and DNS.
  {
    name: 'no outbound rules: outbound open',
    firewalls: [firewall({})],
    from: 'web1',
    to: 'internet',
    port: 80,
    allowed: true,
  },
  {
    name: 'outbound rule: allowed destination and port',
    firewalls: [firewall({ outbound: [{ protocol: 'tcp', ports: '443', destinations: ['0.0.0.0/0'] }] })],
    from: 'web1',
    to: 'internet',
    port: 443,
    allowed: true,
  },
  {
    name: 'outbound rule: another port is shut',
    firewalls: [firewall({ outbound: [{ protocol: 'tcp', ports: '443', destinations: ['0.0.0.0/0'] }] })],
    from: 'web1',
    to: 'internet',
    port: 80,
    allowed: false,
  },
  {
    name: 'outbound rule: same project governed too',
    firewalls: [
      firewall({ outbound: [{ protocol: 'tcp', ports: '443', destinations: ['198.51.100.0/24'] }] }),
    ],
    from: 'web1',
    to: 'peer',
    port: 22,
    allowed: false,
  },
  {
    name: 'outbound restricted: DNS over udp still works',
    firewalls: [firewall({ outbound: [{ protocol: 'tcp', ports: '443', destinations: ['0.0.0.0/0'] }] })],
    from: 'web1',
    to: 'dns',
    protocol: 'UDP',
    port: 53,
    allowed: true,
  },
  {
    name: 'outbound restricted: DNS over tcp still works',
    firewalls: [
      firewall({ outbound: [{ protocol: 'tcp', ports: '443', destinations: ['198.51.100.0/24'] }] }),
    ],
    from: 'web1',
    to: 'dns',
    port: 53,
    allowed: true,
  },
  {
    name: 'outbound restricted: only DNS, not other kube-system ports',
    firewalls: [
      firewall({ outbound: [{ protocol: 'tcp', ports: '443', destinations: ['198.51.100.0/24'] }] }),
    ],
    from: 'web1',
    to: 'dns',
    port: 9153,
    allowed: false,
  },
  {
    name: 'allowDns false: DNS is cut',
    firewalls: [
      firewall({
        allowDns: false,
        outbound: [{ protocol: 'tcp', ports: '443', destinations: ['198.51.100.0/24'] }],
      }),
    ],
    from: 'web1',
    to: 'dns',
    protocol: 'UDP',
    port: 53,
    allowed: false,
  },
  {
    name: 'allowDns false and another firewall allowing DNS: rules add up',
    firewalls: [
      firewall({
        allowDns: false,
        outbound: [{ protocol: 'tcp', ports: '443', destinations: ['198.51.100.0/24'] }],
      }),
      firewall({ outbound: [{ protocol: 'tcp', ports: '80', destinations: ['198.51.100.0/24'] }] }, 2),
    ],
    from: 'web1',
    to: 'dns',
    protocol: 'UDP',
    port: 53,
    allowed: true,
  },
  {
    name: 'outbound restricted: the target still answers inbound it allows',
    firewalls: [
      firewall({
        inbound: [{ ...ssh, sources: ['0.0.0.0/0'] }],
        outbound: [{ protocol: 'tcp', ports: '443', destinations: ['0.0.0.0/0'] }],
      }),
    ],
    from: 'internet',
    to: 'web1',
    port: 22,
    allowed: true,
  },

  // Several firewalls on one target add up.
  {
    name: 'two firewalls: the first one’s port',
    firewalls: [
      firewall({ inbound: [{ ...ssh, sources: ['0.0.0.0/0'] }] }),
      firewall({ targets: [web1], inbound: [{ protocol: 'tcp', ports: '80', sources: ['0.0.0.0/0'] }] }, 2),
    ],
    from: 'internet',
    to: 'web1',
    port: 22,
    allowed: true,
  },
  {
    name: 'two firewalls: the second one’s port',
    firewalls: [
      firewall({ inbound: [{ ...ssh, sources: ['0.0.0.0/0'] }] }),
      firewall({ targets: [web1], inbound: [{ protocol: 'tcp', ports: '80', sources: ['0.0.0.0/0'] }] }, 2),
    ],
    from: 'internet',
    to: 'web1',
    port: 80,
    allowed: true,
  },
  {
    name: 'two firewalls: neither one’s port',
    firewalls: [
      firewall({ inbound: [{ ...ssh, sources: ['0.0.0.0/0'] }] }),
      firewall({ targets: [web1], inbound: [{ protocol: 'tcp', ports: '80', sources: ['0.0.0.0/0'] }] }, 2),
    ],
    from: 'internet',
    to: 'web1',
    port: 443,
    allowed: false,
  },

  // ICMP: Cilium enforces the rule; NetworkPolicy cannot express ICMP, so it is dropped there.
  {
    name: 'icmp allowed by a rule',
    firewalls: [firewall({ inbound: [{ protocol: 'icmp', ports: 'all', sources: ['0.0.0.0/0'] }] })],
    from: 'internet',
    to: 'web1',
    protocol: 'ICMP',
    allowed: true,
    kubernetes: false,
  },
  {
    name: 'icmp without a rule',
    firewalls: [firewall({ inbound: [{ ...ssh, sources: ['0.0.0.0/0'] }] })],
    from: 'internet',
    to: 'web1',
    protocol: 'ICMP',
    allowed: false,
  },
];

const connectionOf = (c: Case): Connection => ({
  from: endpoints[c.from],
  to: endpoints[c.to],
  protocol: c.protocol ?? 'TCP',
  ...(c.port === undefined ? {} : { port: c.port }),
});

describe('a firewall means the same on Cilium and on NetworkPolicy', () => {
  it.each(cases)('$name', (c) => {
    const connection = connectionOf(c);
    expect(evaluateCiliumPolicies(worldFor(c.firewalls, 'cilium'), connection), 'CiliumNetworkPolicy').toBe(
      c.allowed,
    );
    expect(evaluateNetworkPolicies(worldFor(c.firewalls, 'kubernetes'), connection), 'NetworkPolicy').toBe(
      c.kubernetes ?? c.allowed,
    );
  });
});

describe('a firewall policy isolates its targets by itself, without the project policies', () => {
  const alone = (f: FirewallIntent, flavour: PolicyFlavour): World => ({
    ...worldFor([], flavour),
    policies: [firewallPolicyManifest(f, tags, flavour)!],
  });
  const refusals: [string, FirewallIntent][] = [
    ['no inbound rules', firewall({})],
    ['a source tag with no members', firewall({ inbound: [{ ...ssh, sources: ['tag:nobody'] }] })],
    [
      'only outbound rules',
      firewall({ outbound: [{ protocol: 'tcp', ports: '443', destinations: ['0.0.0.0/0'] }] }),
    ],
  ];
  it.each(refusals)('%s: the internet and another project are refused on both backends', (_, f) => {
    for (const flavour of ['cilium', 'kubernetes'] as const) {
      const evaluate = flavour === 'cilium' ? evaluateCiliumPolicies : evaluateNetworkPolicies;
      for (const from of ['internet', 'other', 'peer'] as const)
        expect(
          evaluate(
            alone(f, flavour),
            connectionOf({ name: '', firewalls: [], from, to: 'web1', port: 22, allowed: false }),
          ),
          `${flavour} from ${from}`,
        ).toBe(false);
    }
  });
});
