// CiliumNetworkPolicy semantics (cilium.io/v2, "Policy Enforcement Modes" and "Layer 3/4 Examples"
// in Cilium's documentation), with the Kubernetes NetworkPolicies Cilium enforces alongside:
// - an endpoint is default-deny in a direction when a policy selecting it asks for it:
//   `enableDefaultDeny.<direction>` if set, otherwise "the rule has a non-empty section for that
//   direction" (an empty `ingress: []` is no section at all); or a NetworkPolicy isolates it;
// - allowed is the union of every selecting policy's rules; deny rules win over allows;
// - an L3 selector list that is absent or empty leaves the rule open to every peer;
//   `fromEndpoints` selectors reach the policy's own namespace unless they name one;
//   CIDR selectors match addresses outside the cluster only; entities `world`, `cluster`, `all`;
// - `toPorts` port "0" is every port; protocol ANY matches TCP and UDP; `icmps` matches ICMP.
import type { KubeObject } from '../manifests/meta.ts';
import { networkPolicyVerdict } from './network-policy.ts';
import {
  type Connection,
  type Endpoint,
  type LabelSelector,
  type PolicyEvaluator,
  type World,
  inCidr,
  isPod,
  policiesIn,
  selects,
} from './world.ts';

type Direction = 'ingress' | 'egress';

interface CiliumRule {
  fromEndpoints?: LabelSelector[];
  toEndpoints?: LabelSelector[];
  fromCIDR?: string[];
  toCIDR?: string[];
  fromEntities?: string[];
  toEntities?: string[];
  toPorts?: { ports?: { port?: string; endPort?: number; protocol?: string }[] }[];
  icmps?: { fields: { type: number; family?: string }[] }[];
}
interface CiliumSpec {
  endpointSelector?: LabelSelector;
  enableDefaultDeny?: { ingress?: boolean; egress?: boolean };
  ingress?: CiliumRule[];
  egress?: CiliumRule[];
  ingressDeny?: CiliumRule[];
  egressDeny?: CiliumRule[];
}

const NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
const specOf = (policy: KubeObject) => policy.spec as CiliumSpec;

/** Cilium label keys may carry a source prefix (`k8s:`); selectors without one match any source. */
const unprefixed = (selector: LabelSelector): LabelSelector => {
  const strip = (key: string) => key.replace(/^k8s:/, '');
  return {
    matchLabels: Object.fromEntries(
      Object.entries(selector.matchLabels ?? {}).map(([k, v]) => [strip(k), v]),
    ),
    matchExpressions: (selector.matchExpressions ?? []).map((e) => ({ ...e, key: strip(e.key) })),
  };
};

const endpointMatches = (policyNamespace: string, selector: LabelSelector, endpoint: Endpoint) => {
  if (!isPod(endpoint)) return false;
  const plain = unprefixed(selector);
  const namesNamespace =
    NAMESPACE_LABEL in (plain.matchLabels ?? {}) ||
    (plain.matchExpressions ?? []).some((e) => e.key === NAMESPACE_LABEL);
  const labels = { ...endpoint.pod.labels, [NAMESPACE_LABEL]: endpoint.pod.namespace };
  return (namesNamespace || endpoint.pod.namespace === policyNamespace) && selects(plain, labels);
};

const entityMatches = (entity: string, endpoint: Endpoint) =>
  entity === 'all' || (entity === 'world' ? !isPod(endpoint) : entity === 'cluster' && isPod(endpoint));

const l3Matches = (namespace: string, rule: CiliumRule, direction: Direction, peer: Endpoint) => {
  const endpoints = (direction === 'ingress' ? rule.fromEndpoints : rule.toEndpoints) ?? [];
  const cidrs = (direction === 'ingress' ? rule.fromCIDR : rule.toCIDR) ?? [];
  const entities = (direction === 'ingress' ? rule.fromEntities : rule.toEntities) ?? [];
  if (endpoints.length + cidrs.length + entities.length === 0) return true;
  return (
    endpoints.some((s) => endpointMatches(namespace, s, peer)) ||
    cidrs.some((c) => !isPod(peer) && inCidr(peer.external, c)) ||
    entities.some((e) => entityMatches(e, peer))
  );
};

const l4Matches = (rule: CiliumRule, connection: Connection) => {
  const ports = (rule.toPorts ?? []).flatMap((p) => p.ports ?? []);
  const icmps = (rule.icmps ?? []).flatMap((i) => i.fields);
  if (ports.length === 0 && icmps.length === 0) return true;
  if (connection.protocol === 'ICMP') return icmps.some((f) => f.type === 8 || f.type === 128);
  return ports.some((p) => {
    const protocol = p.protocol ?? 'ANY';
    if (protocol !== 'ANY' && protocol !== connection.protocol) return false;
    const from = Number(p.port ?? '0');
    if (from === 0) return true;
    return connection.port !== undefined && connection.port >= from && connection.port <= (p.endPort ?? from);
  });
};

const ruleMatches = (
  namespace: string,
  rule: CiliumRule,
  direction: Direction,
  peer: Endpoint,
  c: Connection,
) => l3Matches(namespace, rule, direction, peer) && l4Matches(rule, c);

/** Cilium's verdict on one direction of a connection at one endpoint. */
const verdict = (
  world: World,
  pod: Endpoint,
  peer: Endpoint,
  direction: Direction,
  connection: Connection,
) => {
  if (!isPod(pod)) return true;
  const namespace = pod.pod.namespace;
  const selecting = policiesIn(world, namespace, 'CiliumNetworkPolicy')
    .map(specOf)
    .filter((s) =>
      selects(unprefixed(s.endpointSelector ?? {}), { ...pod.pod.labels, [NAMESPACE_LABEL]: namespace }),
    );
  const deny = direction === 'ingress' ? 'ingressDeny' : 'egressDeny';
  if (
    selecting.some((s) => (s[deny] ?? []).some((r) => ruleMatches(namespace, r, direction, peer, connection)))
  )
    return false;
  const kubernetes = networkPolicyVerdict(world, pod, peer, direction, connection);
  const defaultDeny =
    kubernetes.isolated ||
    selecting.some(
      (s) =>
        s.enableDefaultDeny?.[direction] ?? ((s[direction] ?? []).length > 0 || (s[deny] ?? []).length > 0),
    );
  const allowed =
    kubernetes.allowed ||
    selecting.some((s) =>
      (s[direction] ?? []).some((r) => ruleMatches(namespace, r, direction, peer, connection)),
    );
  return !defaultDeny || allowed;
};

export const evaluateCiliumPolicies: PolicyEvaluator = (world, connection) =>
  verdict(world, connection.from, connection.to, 'egress', connection) &&
  verdict(world, connection.to, connection.from, 'ingress', connection);
