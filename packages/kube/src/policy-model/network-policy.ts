// Kubernetes NetworkPolicy semantics (networking.k8s.io/v1, as the API reference states them):
// a pod is isolated in a direction when a policy of its namespace selects it with that policy type;
// an isolated pod admits what the union of those policies' rules allows; peers in `from`/`to` are
// ORed, an absent or empty peer or port list matches everything. `ipBlock` is taken to match
// addresses outside the cluster only (what Cilium, among others, does; the spec leaves pod IPs to
// the implementation).
import type { KubeObject } from '../manifests/meta.ts';
import {
  type Connection,
  type Endpoint,
  type LabelSelector,
  type PolicyEvaluator,
  type World,
  inCidr,
  isPod,
  namespaceLabels,
  policiesIn,
  selects,
} from './world.ts';

type Direction = 'ingress' | 'egress';

interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface Port {
  protocol?: string;
  port?: number;
  endPort?: number;
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: Port[];
}
interface Spec {
  podSelector?: LabelSelector;
  policyTypes?: string[];
  ingress?: Rule[];
  egress?: Rule[];
}

const specOf = (policy: KubeObject) => policy.spec as Spec;

/** `policyTypes` as the API server defaults it: Ingress always, Egress when egress rules exist. */
const typesOf = (spec: Spec) =>
  spec.policyTypes ?? ['Ingress', ...(spec.egress !== undefined ? ['Egress'] : [])];

const peerMatches = (world: World, policyNamespace: string, peer: Peer, endpoint: Endpoint) => {
  if (peer.ipBlock)
    return !isPod(endpoint) && inCidr(endpoint.external, peer.ipBlock.cidr, peer.ipBlock.except);
  if (!isPod(endpoint)) return false;
  const { namespace, labels } = endpoint.pod;
  const namespaceOk = peer.namespaceSelector
    ? selects(peer.namespaceSelector, namespaceLabels(world, namespace))
    : namespace === policyNamespace;
  return namespaceOk && selects(peer.podSelector ?? {}, labels);
};

const portMatches = (port: Port, connection: Connection) =>
  connection.protocol === (port.protocol ?? 'TCP') &&
  (port.port === undefined ||
    (connection.port !== undefined &&
      connection.port >= port.port &&
      connection.port <= (port.endPort ?? port.port)));

const ruleMatches = (world: World, namespace: string, rule: Rule, peer: Endpoint, connection: Connection) => {
  const peers = rule.from ?? rule.to ?? [];
  const ports = rule.ports ?? [];
  return (
    (peers.length === 0 || peers.some((p) => peerMatches(world, namespace, p, peer))) &&
    (ports.length === 0 || ports.some((p) => portMatches(p, connection)))
  );
};

/**
 * What the NetworkPolicies of a pod's namespace say about one direction of a connection at that
 * pod: `isolated` when some policy selects the pod for the direction, `allowed` when a rule admits it.
 */
export const networkPolicyVerdict = (
  world: World,
  pod: Endpoint,
  peer: Endpoint,
  direction: Direction,
  connection: Connection,
) => {
  if (!isPod(pod)) return { isolated: false, allowed: false };
  const type = direction === 'ingress' ? 'Ingress' : 'Egress';
  const selecting = policiesIn(world, pod.pod.namespace, 'NetworkPolicy').filter(
    // An absent podSelector is the empty one (every pod), as the API server reads it.
    (p) => typesOf(specOf(p)).includes(type) && selects(specOf(p).podSelector ?? {}, pod.pod.labels),
  );
  return {
    isolated: selecting.length > 0,
    allowed: selecting.some((p) =>
      (specOf(p)[direction] ?? []).some((rule) =>
        ruleMatches(world, pod.pod.namespace, rule, peer, connection),
      ),
    ),
  };
};

/** A connection passes when the source may send it and the destination may accept it. */
export const evaluateNetworkPolicies: PolicyEvaluator = (world, connection) => {
  const egress = networkPolicyVerdict(world, connection.from, connection.to, 'egress', connection);
  const ingress = networkPolicyVerdict(world, connection.to, connection.from, 'ingress', connection);
  return (!egress.isolated || egress.allowed) && (!ingress.isolated || ingress.allowed);
};
