import { type Firewall, type FirewallProtocol, classifyEndpoint } from '@uncloud/sdk';
import { type KubeObject, RESOURCE_ID, metadata, objectName } from './meta.ts';

export type FirewallIntent = Pick<Firewall, 'id' | 'projectId' | 'name' | 'inbound' | 'outbound' | 'targets'>;

/** Droplet and app ids carrying each tag, for turning `tag:<name>` into the resources it means now. */
export type TagIndex = Record<string, string[]>;

export type PolicyFlavour = 'cilium' | 'kubernetes';

interface Peers {
  cidrs: string[];
  resourceIds: string[];
}

const toCidr = (address: string) =>
  address.includes('/') ? address : `${address}/${address.includes(':') ? 128 : 32}`;

/** Splits sources or destinations into CIDRs and resource ids, expanding tags through the index. */
const peersOf = (values: string[], tags: TagIndex): Peers => {
  const cidrs = new Set<string>();
  const resourceIds = new Set<string>();
  for (const value of values) {
    const kind = classifyEndpoint(value);
    if (kind === 'address') cidrs.add(toCidr(value));
    else if (kind === 'tag') (tags[value.slice(4)] ?? []).forEach((id) => resourceIds.add(id));
    else if (kind) resourceIds.add(value);
  }
  return { cidrs: [...cidrs].sort(), resourceIds: [...resourceIds].sort() };
};

const selectIds = (ids: string[]) => ({
  matchExpressions: [{ key: RESOURCE_ID, operator: 'In', values: ids }],
});

/** `"all"` → every port; `"8000-9000"` → port and endPort. */
const portRange = (ports: string) => {
  if (ports === 'all') return null;
  const [from, to] = ports.split('-').map(Number) as [number, number | undefined];
  return to !== undefined && to !== from ? { port: from, endPort: to } : { port: from };
};

const protocolName = (protocol: FirewallProtocol) => protocol.toUpperCase() as 'TCP' | 'UDP';

// ICMP echo request, v4 and v6: what "allow ICMP" means to someone who wants ping to work.
const icmpEcho = [
  {
    fields: [
      { type: 8, family: 'IPv4' },
      { type: 128, family: 'IPv6' },
    ],
  },
];

const ciliumRules = (
  rules: { protocol: FirewallProtocol; ports: string; peers: Peers }[],
  direction: 'from' | 'to',
) =>
  rules.flatMap(({ protocol, ports, peers }) => {
    const l4 =
      protocol === 'icmp'
        ? { icmps: icmpEcho }
        : {
            toPorts: [
              {
                ports: [
                  (() => {
                    const range = portRange(ports);
                    // Port 0 means every port of the protocol.
                    return range
                      ? {
                          port: String(range.port),
                          ...(range.endPort ? { endPort: range.endPort } : {}),
                          protocol: protocolName(protocol),
                        }
                      : { port: '0', protocol: protocolName(protocol) };
                  })(),
                ],
              },
            ],
          };
    // One Cilium rule per kind of peer: CIDRs and endpoints are separate selectors.
    return [
      ...(peers.cidrs.length > 0 ? [{ [`${direction}CIDR`]: peers.cidrs, ...l4 }] : []),
      ...(peers.resourceIds.length > 0
        ? [{ [`${direction}Endpoints`]: [selectIds(peers.resourceIds)], ...l4 }]
        : []),
    ];
  });

const kubernetesRules = (
  rules: { protocol: FirewallProtocol; ports: string; peers: Peers }[],
  direction: 'from' | 'to',
) =>
  rules
    // Plain NetworkPolicy cannot express ICMP; such rules apply only with Cilium.
    .filter((rule) => rule.protocol !== 'icmp')
    .map(({ protocol, ports, peers }) => {
      const range = portRange(ports);
      return {
        [direction]: [
          ...peers.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
          ...(peers.resourceIds.length > 0 ? [{ podSelector: selectIds(peers.resourceIds) }] : []),
        ],
        ports: [{ protocol: protocolName(protocol), ...(range ?? {}) }],
      };
    })
    .filter((rule) => (rule[direction] as unknown[]).length > 0);

/**
 * A firewall as a network policy selecting the droplets and apps it targets. Inbound rules always
 * apply (no rule, no inbound traffic to the targets); outbound traffic is restricted only when the
 * firewall has outbound rules. A firewall that targets nothing yields no object.
 */
export const firewallPolicyManifest = (
  firewall: FirewallIntent,
  tags: TagIndex,
  flavour: PolicyFlavour,
): KubeObject | null => {
  const targets = peersOf(firewall.targets, tags).resourceIds;
  if (targets.length === 0) return null;
  const inbound = firewall.inbound.map((r) => ({
    protocol: r.protocol,
    ports: r.ports,
    peers: peersOf(r.sources, tags),
  }));
  const outbound = firewall.outbound.map((r) => ({
    protocol: r.protocol,
    ports: r.ports,
    peers: peersOf(r.destinations, tags),
  }));
  const meta = metadata(
    { kind: 'firewall', id: firewall.id, projectId: firewall.projectId, name: firewall.name },
    objectName(firewall.id),
  );
  if (flavour === 'cilium') {
    return {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: meta,
      spec: {
        endpointSelector: selectIds(targets),
        ingress: ciliumRules(inbound, 'from'),
        ...(outbound.length > 0 ? { egress: ciliumRules(outbound, 'to') } : {}),
      },
    };
  }
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta,
    spec: {
      podSelector: selectIds(targets),
      policyTypes: outbound.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'],
      ingress: kubernetesRules(inbound, 'from'),
      ...(outbound.length > 0 ? { egress: kubernetesRules(outbound, 'to') } : {}),
    },
  };
};
