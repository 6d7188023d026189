// A small model of a cluster's network, for asking what policies allow: pods in namespaces, addresses
// outside the cluster, and connections between them. Pure: the policies are read, never enforced.
import { BlockList, isIPv6 } from 'node:net';
import type { KubeObject } from '../manifests/meta.ts';

export type Protocol = 'TCP' | 'UDP' | 'ICMP';

/** A pod, known to policies by its namespace and labels. */
export interface PodEndpoint {
  pod: { namespace: string; labels: Record<string, string> };
}
/** An address outside the cluster. */
export interface ExternalEndpoint {
  external: string;
}
export type Endpoint = PodEndpoint | ExternalEndpoint;

export interface Connection {
  from: Endpoint;
  to: Endpoint;
  protocol: Protocol;
  /** The destination port (none for ICMP). */
  port?: number;
}

export interface World {
  /** Labels of each namespace (`kubernetes.io/metadata.name` is added as the API server does). */
  namespaces: Record<string, Record<string, string>>;
  policies: KubeObject[];
}

/** Evaluates whether a connection is allowed in a world. */
export type PolicyEvaluator = (world: World, connection: Connection) => boolean;

export const isPod = (e: Endpoint): e is PodEndpoint => 'pod' in e;

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Kubernetes label selector semantics; `{}` selects everything. */
export const selects = (selector: LabelSelector, labels: Record<string, string>): boolean =>
  Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
  (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    const has = key in labels;
    switch (operator) {
      case 'In':
        return has && values.includes(labels[key]!);
      case 'NotIn':
        return !has || !values.includes(labels[key]!);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        throw new Error(`unknown selector operator ${operator}`);
    }
  });

export const namespaceLabels = (world: World, namespace: string) => ({
  ...world.namespaces[namespace],
  'kubernetes.io/metadata.name': namespace,
});

/** Whether an address lies in a CIDR (and in none of the exceptions). */
export const inCidr = (address: string, cidr: string, except: string[] = []): boolean => {
  const family = (a: string) => (isIPv6(a) ? 'ipv6' : 'ipv4');
  const contains = (block: string) => {
    const [network, prefix] = block.split('/') as [string, string];
    if (family(network) !== family(address)) return false;
    const list = new BlockList();
    list.addSubnet(network, Number(prefix), family(network));
    return list.check(address, family(address));
  };
  return contains(cidr) && !except.some(contains);
};

/** The policies in a namespace of one kind. */
export const policiesIn = (world: World, namespace: string, kind: string) =>
  world.policies.filter((p) => p.kind === kind && p.metadata.namespace === namespace);
