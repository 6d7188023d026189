import type { V1Service } from '@kubernetes/client-node';
import type { InboundRule, ReservedIp } from '@uncloud/sdk';
import { exposedPorts, launcherSelector } from './droplet-service.ts';
import { type KubeObject, metadata, objectName } from './meta.ts';

export type ReservedIpIntent = Pick<ReservedIp, 'id' | 'projectId' | 'name' | 'ip' | 'dropletId'>;

/**
 * How a Service asks the cluster's load balancer for one particular address. `spec.loadBalancerIP`
 * is deprecated since Kubernetes 1.24 in favour of each implementation's annotation, and an
 * implementation ignores the others' annotations, so the Service carries each one Uncloud supports:
 * MetalLB's (current and pre-0.14 names) and Cilium LB-IPAM's. k3s ServiceLB cannot hand out
 * addresses it was not given (it answers with node addresses): reserved IPs need MetalLB or Cilium.
 */
export const REQUESTED_ADDRESS_ANNOTATIONS = [
  'metallb.io/loadBalancerIPs',
  'metallb.universe.tf/loadBalancerIPs',
  'io.cilium/lb-ipam-ips',
] as const;

/**
 * A reserved IP's Service: type LoadBalancer, asking for its own address, and selecting the
 * virt-launcher pod of the droplet it is assigned to — so moving it is a change of selector, while
 * the Service, and so the address, stays. Unassigned, it selects by its own id, which no launcher
 * pod carries: no endpoints, the address kept. (A selector left out would read as unchanged to the
 * drift check, which lets others add fields, and the old droplet would keep the traffic.)
 * It forwards what the droplet's own address forwards: SSH and the ports its firewalls allow
 * (`inbound` null: no firewall applies, SSH only).
 */
export const reservedIpServiceManifest = (
  rip: ReservedIpIntent,
  inbound: readonly Pick<InboundRule, 'protocol' | 'ports'>[] | null,
): V1Service & KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: metadata({ kind: 'reservedIp', ...rip }, objectName(rip.id), {
    annotations: Object.fromEntries(REQUESTED_ADDRESS_ANNOTATIONS.map((key) => [key, rip.ip])),
  }),
  spec: {
    type: 'LoadBalancer',
    // The client's address reaches the droplet, so the firewall's source CIDRs apply.
    externalTrafficPolicy: 'Local',
    selector: launcherSelector(rip.dropletId ?? rip.id),
    ports: exposedPorts(rip.dropletId ? (inbound ?? []) : []).map(({ protocol, port }) => ({
      name: `${protocol.toLowerCase()}-${port}`,
      protocol,
      port,
      targetPort: port,
    })),
  },
});

/** Whether the cluster's load balancer gave the Service the very address it asks for. */
export const holdsAddress = (service: KubeObject | undefined, ip: string): boolean =>
  ((service?.status as V1Service['status'])?.loadBalancer?.ingress ?? []).some((i) => i.ip === ip);
