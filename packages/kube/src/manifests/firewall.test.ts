import { describe, expect, it } from 'vitest';
import { firewallPolicyManifest, type FirewallIntent } from './firewall.ts';
import { ids, projectId } from './fixtures.test-data.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const firewall: FirewallIntent = {
  id: ids.firewall as never,
  projectId: projectId as never,
  name: 'web',
  inbound: [
    { protocol: 'tcp', ports: '443', sources: ['0.0.0.0/0', '::/0'] },
    { protocol: 'tcp', ports: '8000-9000', sources: ['203.0.113.7', ids.app] },
    { protocol: 'udp', ports: 'all', sources: ['tag:db'] },
    { protocol: 'icmp', ports: 'all', sources: ['10.0.0.0/8'] },
  ],
  outbound: [{ protocol: 'tcp', ports: '5432', destinations: ['10.1.0.0/16'] }],
  targets: [ids.droplet, 'tag:web'],
  allowDns: true,
};
const tags = { web: [ids.droplet2, ids.droplet], db: [ids.app] };
const selects = (values: string[]) => ({
  matchExpressions: [{ key: 'uncloud.dev/resource-id', operator: 'In', values }],
});

describe('firewall → CiliumNetworkPolicy', () => {
  const policy = firewallPolicyManifest(firewall, tags, 'cilium') as Json;

  it('selects the target droplets and apps, tags expanded and deduplicated', () => {
    expect(policy).toMatchObject({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy' });
    expect(policy.metadata).toMatchObject({
      name: 'fw-0123456789abcdefghij',
      namespace: 'uc-proj-0123456789abcdefghij',
    });
    expect(policy.spec.endpointSelector).toEqual(selects([ids.droplet, ids.droplet2]));
  });

  it('turns default-deny on outright: inbound always, outbound when it has outbound rules', () => {
    expect(policy.spec.enableDefaultDeny).toEqual({ ingress: true, egress: true });
    const inboundOnly = firewallPolicyManifest({ ...firewall, outbound: [] }, tags, 'cilium') as Json;
    expect(inboundOnly.spec.enableDefaultDeny).toEqual({ ingress: true, egress: false });
  });

  it('keeps an empty rule list a refusal by turning default-deny on outright', () => {
    const closed = firewallPolicyManifest({ ...firewall, inbound: [], outbound: [] }, tags, 'cilium') as Json;
    // The CRD wants a section present; with default-deny stated, an empty one admits nothing.
    expect(closed.spec.ingress).toEqual([]);
    expect(closed.spec.enableDefaultDeny).toEqual({ ingress: true, egress: false });
    expect(closed.spec).not.toHaveProperty('egress');
    const nobody = firewallPolicyManifest(
      { ...firewall, inbound: [{ protocol: 'tcp', ports: '22', sources: ['tag:nobody'] }] },
      tags,
      'cilium',
    ) as Json;
    expect(nobody.spec.ingress).toEqual([]);
  });

  it('translates ports, ranges, CIDRs and endpoints exactly', () => {
    expect(policy.spec.ingress).toEqual([
      { fromCIDR: ['0.0.0.0/0', '::/0'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
      // A zero-length prefix is anywhere: the cluster's pods too.
      { fromEntities: ['cluster'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
      {
        fromCIDR: ['203.0.113.7/32'],
        toPorts: [{ ports: [{ port: '8000', endPort: 9000, protocol: 'TCP' }] }],
      },
      {
        fromEndpoints: [selects([ids.app])],
        toPorts: [{ ports: [{ port: '8000', endPort: 9000, protocol: 'TCP' }] }],
      },
      { fromEndpoints: [selects([ids.app])], toPorts: [{ ports: [{ port: '0', protocol: 'UDP' }] }] },
      {
        fromCIDR: ['10.0.0.0/8'],
        icmps: [
          {
            fields: [
              { type: 8, family: 'IPv4' },
              { type: 128, family: 'IPv6' },
            ],
          },
        ],
      },
    ]);
    expect(policy.spec.egress).toEqual([
      { toCIDR: ['10.1.0.0/16'], toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }] },
      {
        toEndpoints: [
          { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' } },
        ],
        toPorts: [
          {
            ports: [
              { port: '53', protocol: 'UDP' },
              { port: '53', protocol: 'TCP' },
            ],
          },
        ],
      },
    ]);
  });

  it('leaves DNS out when the firewall opts out of it', () => {
    const noDns = firewallPolicyManifest({ ...firewall, allowDns: false }, tags, 'cilium') as Json;
    expect(noDns.spec.egress).toEqual([
      { toCIDR: ['10.1.0.0/16'], toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }] },
    ]);
  });

  it('leaves outbound traffic alone when the firewall has no outbound rules', () => {
    expect(
      (firewallPolicyManifest({ ...firewall, outbound: [] }, tags, 'cilium') as Json).spec,
    ).not.toHaveProperty('egress');
  });

  it('yields no object when it targets nothing (a tag nobody carries)', () => {
    expect(firewallPolicyManifest({ ...firewall, targets: ['tag:nobody'] }, tags, 'cilium')).toBeNull();
  });
});

describe('firewall → NetworkPolicy (clusters without Cilium)', () => {
  const policy = firewallPolicyManifest(firewall, tags, 'kubernetes') as Json;

  it('selects the targets and restricts both directions when there are outbound rules', () => {
    expect(policy).toMatchObject({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' });
    expect(policy.spec.podSelector).toEqual(selects([ids.droplet, ids.droplet2]));
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
  });

  it('translates ports, ranges and peers; ICMP cannot be expressed and is left out', () => {
    expect(policy.spec.ingress).toEqual([
      {
        from: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }, { namespaceSelector: {} }],
        ports: [{ protocol: 'TCP', port: 443 }],
      },
      {
        from: [{ ipBlock: { cidr: '203.0.113.7/32' } }, { podSelector: selects([ids.app]) }],
        ports: [{ protocol: 'TCP', port: 8000, endPort: 9000 }],
      },
      { from: [{ podSelector: selects([ids.app]) }], ports: [{ protocol: 'UDP' }] },
    ]);
    expect(policy.spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '10.1.0.0/16' } }], ports: [{ protocol: 'TCP', port: 5432 }] },
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
    ]);
  });

  it('never writes a rule with an empty peer list, which would admit every peer', () => {
    const nobody = firewallPolicyManifest(
      { ...firewall, inbound: [{ protocol: 'tcp', ports: '22', sources: ['tag:nobody'] }] },
      tags,
      'kubernetes',
    ) as Json;
    expect(nobody.spec.ingress).toEqual([]);
    expect(nobody.spec.policyTypes).toContain('Ingress');
  });
});
