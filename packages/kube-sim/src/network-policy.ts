// The simulated cluster's dataplane for NetworkPolicy: whether a connection between pods (or from
// or to an address outside the cluster) would pass, given the stored NetworkPolicies, pods and
// namespaces, as the networking.k8s.io/v1 API reference defines it. A pod is isolated in a
// direction when a policy of its namespace selects it for that direction; an isolated pod admits
// the union of those policies' rules. `ipBlock` matches addresses outside the cluster only (what
// Cilium does; the spec leaves pod IPs to the implementation). Named ports are not resolved.
import { BlockList, isIPv6 } from 'node:net';
import type { ObjectStore } from './store.ts';
import type { StoredObject } from './types.ts';

/** A pod by namespace and name, or an address outside the cluster. */
export type NetworkEndpoint = { namespace: string; pod: string } | { address: string };

export interface NetworkConnection {
  from: NetworkEndpoint;
  to: NetworkEndpoint;
  protocol: 'TCP' | 'UDP' | 'SCTP' | 'ICMP';
  port?: number;
}

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}
interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: { protocol?: string; port?: number | string; endPort?: number }[];
}
interface Spec {
  podSelector?: Selector;
  policyTypes?: string[];
  ingress?: Rule[];
  egress?: Rule[];
}

type Resolved = { pod: { namespace: string; labels: Record<string, string> } } | { address: string };

const selects = (selector: Selector, labels: Record<string, string>) =>
  Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
  (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    const value = labels[key];
    if (operator === 'In') return value !== undefined && values.includes(value);
    if (operator === 'NotIn') return value === undefined || !values.includes(value);
    if (operator === 'Exists') return value !== undefined;
    return value === undefined; // DoesNotExist
  });

const inCidr = (address: string, cidr: string) => {
  const [network = '', prefix = '0'] = cidr.split('/');
  const family = (a: string) => (isIPv6(a) ? 'ipv6' : 'ipv4');
  if (family(network) !== family(address)) return false;
  const list = new BlockList();
  list.addSubnet(network, Number(prefix), family(network));
  return list.check(address, family(address));
};

/** Whether the stored NetworkPolicies let a connection through, at both ends. */
export function networkAllows(store: ObjectStore, connection: NetworkConnection): boolean {
  const namespaceLabels = (name: string) => ({
    ...store.get('/namespaces', '', name)?.metadata.labels,
    'kubernetes.io/metadata.name': name,
  });
  const resolve = (e: NetworkEndpoint): Resolved => {
    if ('address' in e) return e;
    const pod = store.get('/pods', e.namespace, e.pod);
    if (!pod) throw new Error(`no pod ${e.namespace}/${e.pod}`);
    return { pod: { namespace: e.namespace, labels: pod.metadata.labels ?? {} } };
  };
  const peerMatches = (policyNamespace: string, peer: Peer, other: Resolved) => {
    if (peer.ipBlock)
      return (
        'address' in other &&
        inCidr(other.address, peer.ipBlock.cidr) &&
        !(peer.ipBlock.except ?? []).some((c) => inCidr(other.address, c))
      );
    if (!('pod' in other)) return false;
    const namespaceOk = peer.namespaceSelector
      ? selects(peer.namespaceSelector, namespaceLabels(other.pod.namespace))
      : other.pod.namespace === policyNamespace;
    return namespaceOk && selects(peer.podSelector ?? {}, other.pod.labels);
  };
  const portMatches = (port: NonNullable<Rule['ports']>[number]) =>
    connection.protocol === (port.protocol ?? 'TCP') &&
    (port.port === undefined ||
      (typeof port.port === 'number' &&
        connection.port !== undefined &&
        connection.port >= port.port &&
        connection.port <= (port.endPort ?? port.port)));
  const admits = (at: Resolved, other: Resolved, direction: 'ingress' | 'egress') => {
    if (!('pod' in at)) return true;
    const type = direction === 'ingress' ? 'Ingress' : 'Egress';
    const selecting = store
      .list('networking.k8s.io/networkpolicies', at.pod.namespace)
      .map((p: StoredObject) => p.spec as Spec)
      .filter((spec) => {
        const types = spec.policyTypes ?? ['Ingress', ...(spec.egress ? ['Egress'] : [])];
        return types.includes(type) && selects(spec.podSelector ?? {}, at.pod.labels);
      });
    if (selecting.length === 0) return true;
    return selecting.some((spec) =>
      (spec[direction] ?? []).some((rule) => {
        const peers = (direction === 'ingress' ? rule.from : rule.to) ?? [];
        const ports = rule.ports ?? [];
        return (
          (peers.length === 0 || peers.some((p) => peerMatches(at.pod.namespace, p, other))) &&
          (ports.length === 0 || ports.some(portMatches))
        );
      }),
    );
  };
  const from = resolve(connection.from);
  const to = resolve(connection.to);
  return admits(from, to, 'egress') && admits(to, from, 'ingress');
}
