import type { V1Service } from '@kubernetes/client-node';
import type { Droplet, InboundRule } from '@uncloud/sdk';
import { type KubeObject, RESOURCE_ID, metadata, objectName } from './meta.ts';

export type DropletAddressIntent = Pick<Droplet, 'id' | 'projectId' | 'name'>;

/** SSH, always exposed: what a droplet's SSH keys are for. */
export const SSH_PORT = 22;
/** A Service lists ports one by one: ranges wider than this are not exposed (say so in docs). */
export const MAX_EXPOSED_RANGE = 16;
const MAX_EXPOSED_PORTS = 64;

export interface ExposedPort {
  protocol: 'TCP' | 'UDP';
  port: number;
}

/**
 * The ports a droplet's public address forwards: SSH, and every TCP or UDP port the inbound rules of
 * the firewalls applying to it allow (single ports, and ranges of at most MAX_EXPOSED_RANGE ports;
 * "all" is not forwarded). The firewall still decides who gets through.
 */
export const exposedPorts = (inbound: readonly Pick<InboundRule, 'protocol' | 'ports'>[]): ExposedPort[] => {
  const seen = new Map<string, ExposedPort>([[`TCP/${SSH_PORT}`, { protocol: 'TCP', port: SSH_PORT }]]);
  for (const rule of inbound) {
    if (rule.protocol === 'icmp' || rule.ports === 'all') continue;
    const [from, to = from] = rule.ports.split('-').map(Number) as [number, number?];
    if (to - from + 1 > MAX_EXPOSED_RANGE) continue;
    const protocol = rule.protocol === 'tcp' ? 'TCP' : 'UDP';
    for (let port = from; port <= to; port++) seen.set(`${protocol}/${port}`, { protocol, port });
  }
  return [...seen.values()]
    .sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol))
    .slice(0, MAX_EXPOSED_PORTS);
};

/** The labels KubeVirt carries from the VM template to the VMI and its virt-launcher pod. */
export const launcherSelector = (id: string) => ({ [RESOURCE_ID]: id, 'kubevirt.io': 'virt-launcher' });

/**
 * A droplet's public address: a LoadBalancer Service in front of its virt-launcher pod (the load
 * balancer implementation — k3s ServiceLB, MetalLB, a cloud's — gives it an address).
 * `externalTrafficPolicy: Local` keeps the client's address, so firewall rules naming CIDRs apply.
 */
export const dropletServiceManifest = (
  droplet: DropletAddressIntent,
  ports: ExposedPort[],
): V1Service & KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: metadata({ kind: 'droplet', ...droplet }, objectName(droplet.id)),
  spec: {
    type: 'LoadBalancer',
    externalTrafficPolicy: 'Local',
    selector: launcherSelector(droplet.id),
    ports: ports.map(({ protocol, port }) => ({
      name: `${protocol.toLowerCase()}-${port}`,
      protocol,
      port,
      targetPort: port,
    })),
  },
});

/**
 * For a droplet no firewall applies to, the project isolation admits only pods: this admits the
 * internet to the ports its address forwards (SSH), as a droplet without a firewall is open on
 * DigitalOcean. Never written for a firewalled droplet — policies add up, and it would override the
 * firewall.
 */
export const dropletPublicPolicyManifest = (
  droplet: DropletAddressIntent,
  ports: ExposedPort[],
): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: metadata({ kind: 'droplet', ...droplet }, `${objectName(droplet.id)}-public`),
  spec: {
    podSelector: { matchLabels: launcherSelector(droplet.id) },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }],
        ports: ports.map(({ protocol, port }) => ({ protocol, port })),
      },
    ],
  },
});

/** The objects that make a droplet reachable; `inbound` is null when no firewall applies to it. */
export const dropletAddressManifests = (
  droplet: DropletAddressIntent,
  inbound: readonly Pick<InboundRule, 'protocol' | 'ports'>[] | null,
): KubeObject[] => {
  const ports = exposedPorts(inbound ?? []);
  return [
    dropletServiceManifest(droplet, ports),
    ...(inbound === null ? [dropletPublicPolicyManifest(droplet, ports)] : []),
  ];
};

/** The address a LoadBalancer Service was given (an IP, or a hostname some clouds give instead). */
export const loadBalancerAddress = (service: KubeObject | undefined): string | null => {
  const ingress = (service?.status as V1Service['status'])?.loadBalancer?.ingress?.[0];
  return ingress?.ip ?? ingress?.hostname ?? null;
};
