import { type Firewall, type FirewallProtocol, classifyEndpoint } from '@uncloud/sdk';
import { type KubeObject, RESOURCE_ID, metadata, objectName } from './meta.ts';

export type FirewallIntent = Pick<
  Firewall,
  'id' | 'projectId' | 'name' | 'inbound' | 'outbound' | 'targets' | 'allowDns'
>;

/** Droplet and app ids carrying each tag, for turning `tag:<name>` into the resources it means now. */
export type TagIndex = Record<string, string[]>;

export type PolicyFlavour = 'cilium' | 'kubernetes';

/**
 * What one firewall means, whichever backend enforces it (docs/security.md, "Firewalls"):
 * - it applies to its targets (droplets and apps by id, and the members of its tags at this moment);
 * - inbound: a target accepts only what a rule of some firewall applying to it allows — no inbound
 *   rule, no inbound traffic, from other projects, the target's own project or the internet alike;
 * - outbound: a firewall with outbound rules restricts its targets to what those rules allow; one
 *   without outbound rules leaves outbound traffic alone;
 * - while outbound is restricted, DNS to the cluster's resolver stays allowed unless the firewall
 *   says `allowDns: false` (rules of several firewalls add up, so DNS is cut only when none allows it);
 * - a CIDR names addresses outside the cluster; a prefix of length 0 (`0.0.0.0/0`, `::/0`) means
 *   anywhere, the cluster's own pods included; droplets and apps are reached by id or tag.
 */

/** The cluster's resolver as k3s and kubeadm run it: CoreDNS pods labelled `k8s-app=kube-dns`. */
export const CLUSTER_DNS = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } } as const;

interface Peers {
  cidrs: string[];
  resourceIds: string[];
  /** A zero-length prefix was named: the cluster's pods are peers too. */
  anywhere: boolean;
}

const toCidr = (address: string) =>
  address.includes('/') ? address : `${address}/${address.includes(':') ? 128 : 32}`;

const isEmpty = (peers: Peers) =>
  peers.cidrs.length === 0 && peers.resourceIds.length === 0 && !peers.anywhere;

/** Splits sources or destinations into CIDRs and resource ids, expanding tags through the index. */
const peersOf = (values: string[], tags: TagIndex): Peers => {
  const cidrs = new Set<string>();
  const resourceIds = new Set<string>();
  let anywhere = false;
  for (const value of values) {
    const kind = classifyEndpoint(value);
    if (kind === 'address') {
      const cidr = toCidr(value);
      cidrs.add(cidr);
      if (cidr.endsWith('/0')) anywhere = true;
    } else if (kind === 'tag') (tags[value.slice(4)] ?? []).forEach((id) => resourceIds.add(id));
    else if (kind) resourceIds.add(value);
  }
  return { cidrs: [...cidrs].sort(), resourceIds: [...resourceIds].sort(), anywhere };
};

/** The droplets and apps a firewall applies to now, tags expanded (sorted, deduplicated). */
export const firewallTargetIds = (firewall: Pick<Firewall, 'targets'>, tags: TagIndex): string[] =>
  peersOf(firewall.targets, tags).resourceIds;

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

interface Rule {
  protocol: FirewallProtocol;
  ports: string;
  peers: Peers;
}

const ciliumPort = (protocol: FirewallProtocol, ports: string) => {
  const range = portRange(ports);
  // Port 0 means every port of the protocol.
  return range
    ? {
        port: String(range.port),
        ...(range.endPort ? { endPort: range.endPort } : {}),
        protocol: protocolName(protocol),
      }
    : { port: '0', protocol: protocolName(protocol) };
};

/**
 * Cilium rules for one direction. Never an empty selector list: Cilium reads a rule without L3
 * peers as "from everywhere", so a rule whose peers resolve to nothing is left out instead (the
 * list may end up empty: `enableDefaultDeny` keeps that a refusal).
 */
const ciliumRules = (rules: Rule[], direction: 'from' | 'to') =>
  rules.flatMap(({ protocol, ports, peers }) => {
    const l4 =
      protocol === 'icmp' ? { icmps: icmpEcho } : { toPorts: [{ ports: [ciliumPort(protocol, ports)] }] };
    // One Cilium rule per kind of peer: CIDRs, endpoints and entities are separate selectors.
    return [
      ...(peers.cidrs.length > 0 ? [{ [`${direction}CIDR`]: peers.cidrs, ...l4 }] : []),
      ...(peers.resourceIds.length > 0
        ? [{ [`${direction}Endpoints`]: [selectIds(peers.resourceIds)], ...l4 }]
        : []),
      ...(peers.anywhere ? [{ [`${direction}Entities`]: ['cluster'], ...l4 }] : []),
    ];
  });

const ciliumDns = {
  toEndpoints: [
    {
      matchLabels: {
        'k8s:io.kubernetes.pod.namespace': CLUSTER_DNS.namespace,
        ...Object.fromEntries(Object.entries(CLUSTER_DNS.labels).map(([k, v]) => [`k8s:${k}`, v])),
      },
    },
  ],
  toPorts: [
    {
      ports: [
        { port: '53', protocol: 'UDP' },
        { port: '53', protocol: 'TCP' },
      ],
    },
  ],
};

/**
 * NetworkPolicy rules for one direction. A rule with an empty peer list would admit every peer, so
 * rules whose peers resolve to nothing are left out; ICMP cannot be expressed (see docs/security.md).
 */
const kubernetesRules = (rules: Rule[], direction: 'from' | 'to') =>
  rules
    .filter((rule) => rule.protocol !== 'icmp' && !isEmpty(rule.peers))
    .map(({ protocol, ports, peers }) => {
      const range = portRange(ports);
      return {
        [direction]: [
          ...peers.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
          ...(peers.resourceIds.length > 0 ? [{ podSelector: selectIds(peers.resourceIds) }] : []),
          // Every pod of every namespace: what "anywhere" adds to the addresses outside the cluster.
          ...(peers.anywhere ? [{ namespaceSelector: {} }] : []),
        ],
        ports: [{ protocol: protocolName(protocol), ...(range ?? {}) }],
      };
    });

const kubernetesDns = {
  to: [
    {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': CLUSTER_DNS.namespace } },
      podSelector: { matchLabels: { ...CLUSTER_DNS.labels } },
    },
  ],
  ports: [
    { protocol: 'UDP', port: 53 },
    { protocol: 'TCP', port: 53 },
  ],
};

/** Whether a firewall restricts its targets' outbound traffic (it has outbound rules). */
export const restrictsOutbound = (firewall: Pick<Firewall, 'outbound'>) => firewall.outbound.length > 0;

/**
 * A firewall as a network policy selecting the droplets and apps it targets, meaning the same on
 * both backends (see the model above). A firewall that targets nothing yields no object.
 */
export const firewallPolicyManifest = (
  firewall: FirewallIntent,
  tags: TagIndex,
  flavour: PolicyFlavour,
): KubeObject | null => {
  const targets = firewallTargetIds(firewall, tags);
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
  const egress = restrictsOutbound(firewall);
  const meta = metadata(
    { kind: 'firewall', id: firewall.id, projectId: firewall.projectId, name: firewall.name },
    objectName(firewall.id),
  );
  if (flavour === 'cilium') {
    const ingressRules = ciliumRules(inbound, 'from');
    const egressRules = egress
      ? [...ciliumRules(outbound, 'to'), ...(firewall.allowDns ? [ciliumDns] : [])]
      : [];
    return {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: meta,
      spec: {
        endpointSelector: selectIds(targets),
        // Said outright: Cilium otherwise turns default-deny on only for a direction that lists a
        // rule, and an empty `ingress: []` (which the CRD requires to be there, or another section)
        // would leave the targets open to everything.
        enableDefaultDeny: { ingress: true, egress },
        ingress: ingressRules,
        ...(egress ? { egress: egressRules } : {}),
      },
    };
  }
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta,
    spec: {
      podSelector: selectIds(targets),
      policyTypes: egress ? ['Ingress', 'Egress'] : ['Ingress'],
      ingress: kubernetesRules(inbound, 'from'),
      ...(egress
        ? { egress: [...kubernetesRules(outbound, 'to'), ...(firewall.allowDns ? [kubernetesDns] : [])] }
        : {}),
    },
  };
};
