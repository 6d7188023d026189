import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import type { ForwardingRule, HealthCheck, LoadBalancer } from '@uncloud/sdk';
import {
  type IngressSettings,
  type LoadBalancerIngressIntent,
  loadBalancerIngressManifest,
  loadBalancerTlsSecretManifest,
} from './load-balancer-ingress.ts';
import { type KubeObject, RESOURCE_ID, metadata, namespaceName, objectName } from './meta.ts';

export type LoadBalancerIntent = Pick<
  LoadBalancer,
  'id' | 'projectId' | 'name' | 'forwardingRules' | 'stickySessions'
> & { healthCheck: HealthCheck };

/** What the manifests of a load balancer depend on beyond its intent. */
export interface LoadBalancerSettings {
  ingress: IngressSettings;
  /**
   * The namespace the health checker (the sync engine) runs in, let in on the check's port on
   * every target, firewalled or not; unset when Uncloud runs outside the cluster.
   */
  checkerNamespace: string | undefined;
}

/** A target droplet as the cluster runs it now: its pod-network address, and whether its VM is ready. */
export interface LoadBalancerBackend {
  dropletId: string;
  ip: string | null;
  ready: boolean;
}

/** Who writes a load balancer's EndpointSlice: Uncloud, so the endpointslice controller leaves it be. */
export const ENDPOINTSLICE_MANAGER = 'uncloud.dev';
const SERVICE_NAME = 'kubernetes.io/service-name';
const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
/** The health check, for load balancer implementations that read it (and for operators). */
export const HEALTH_CHECK_ANNOTATION = 'uncloud.dev/health-check';

const protocolOf = (rule: ForwardingRule) => (rule.entryProtocol === 'udp' ? 'UDP' : 'TCP');
const portName = (rule: ForwardingRule) => `${rule.entryProtocol}-${rule.entryPort}`;

const owner = (lb: LoadBalancerIntent) => ({
  kind: 'loadBalancer' as const,
  id: lb.id,
  projectId: lb.projectId,
  name: lb.name,
});

const launcherPods = (ids: readonly string[]) => ({
  matchLabels: { 'kubevirt.io': 'virt-launcher' },
  matchExpressions: [{ key: RESOURCE_ID, operator: 'In', values: [...ids].sort() }],
});

/**
 * A load balancer's Service: type LoadBalancer, one port per forwarding rule, and no selector — its
 * targets are droplets picked by id or tag, which no equality selector over launcher pods can name
 * (and KubeVirt does not carry template label changes to running pods), so Uncloud writes its
 * endpoints itself. Sticky sessions are Kubernetes' ClientIP affinity.
 */
export const loadBalancerServiceManifest = (lb: LoadBalancerIntent): V1Service & KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: metadata(owner(lb), objectName(lb.id), {
    annotations: { [HEALTH_CHECK_ANNOTATION]: JSON.stringify(lb.healthCheck) },
  }),
  spec: {
    type: 'LoadBalancer',
    sessionAffinity: lb.stickySessions ? 'ClientIP' : 'None',
    ports: lb.forwardingRules.map((rule) => ({
      name: portName(rule),
      protocol: protocolOf(rule),
      port: rule.entryPort,
      targetPort: rule.targetPort,
      ...(rule.entryProtocol === 'http' || rule.entryProtocol === 'https'
        ? { appProtocol: rule.entryProtocol }
        : {}),
    })),
  },
});

/**
 * The Service's endpoints: each target droplet that has an address, ready when its VM is. A
 * droplet without an address (powered off, not started yet) is left out: it cannot take traffic.
 */
export const loadBalancerEndpointsManifest = (
  lb: LoadBalancerIntent,
  backends: LoadBalancerBackend[],
): V1EndpointSlice & KubeObject => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: metadata(owner(lb), objectName(lb.id), {
    labels: { [SERVICE_NAME]: objectName(lb.id), [MANAGED_BY]: ENDPOINTSLICE_MANAGER },
  }),
  addressType: 'IPv4',
  endpoints: backends
    .filter((b): b is LoadBalancerBackend & { ip: string } => b.ip !== null)
    .sort((a, b) => a.dropletId.localeCompare(b.dropletId))
    .map((b) => ({
      addresses: [b.ip],
      conditions: { ready: b.ready, serving: b.ready, terminating: false },
      targetRef: {
        kind: 'VirtualMachineInstance',
        namespace: namespaceName(lb.projectId),
        name: objectName(b.dropletId),
      },
    })),
  ports: lb.forwardingRules.map((rule) => ({
    name: portName(rule),
    protocol: protocolOf(rule),
    port: rule.targetPort,
  })),
});

/**
 * The project isolation admits only pods: this admits the internet to the target ports of the
 * targets no firewall applies to, as a droplet's own address does for SSH. A firewalled target is
 * left to its firewall (policies add up, and this would override it): its rules must let the
 * traffic in. Null when no target is without a firewall.
 */
export const loadBalancerPolicyManifest = (
  lb: LoadBalancerIntent,
  unfirewalledDropletIds: readonly string[],
): KubeObject | null =>
  unfirewalledDropletIds.length === 0
    ? null
    : {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: metadata(owner(lb), objectName(lb.id)),
        spec: {
          podSelector: launcherPods(unfirewalledDropletIds),
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }],
              ports: [
                ...new Map(
                  lb.forwardingRules.map((rule) => [
                    `${protocolOf(rule)}/${rule.targetPort}`,
                    { protocol: protocolOf(rule), port: rule.targetPort },
                  ]),
                ).values(),
              ],
            },
          ],
        },
      };

export const loadBalancerManifests = (
  lb: LoadBalancerIntent & LoadBalancerIngressIntent,
  backends: LoadBalancerBackend[],
  firewalled: readonly string[],
  settings: LoadBalancerSettings,
): KubeObject[] =>
  [
    loadBalancerServiceManifest(lb),
    loadBalancerEndpointsManifest(lb, backends),
    loadBalancerPolicyManifest(
      lb,
      backends.map((b) => b.dropletId).filter((id) => !firewalled.includes(id)),
    ),
    loadBalancerCheckPolicyManifest(
      lb,
      backends.map((b) => b.dropletId),
      settings.checkerNamespace,
    ),
    loadBalancerIngressManifest(lb, settings.ingress),
    loadBalancerTlsSecretManifest(lb),
  ].filter((o) => o !== null);

/**
 * The health checker reaches every target on the check's port (a load balancer's own checks pass a
 * firewall, as DigitalOcean's do): the project isolation admits only its own namespace.
 */
export const loadBalancerCheckPolicyManifest = (
  lb: LoadBalancerIntent,
  dropletIds: readonly string[],
  checkerNamespace: string | undefined,
): KubeObject | null =>
  dropletIds.length === 0 || !checkerNamespace
    ? null
    : {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: metadata(owner(lb), `${objectName(lb.id)}-health`),
        spec: {
          podSelector: launcherPods(dropletIds),
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [
                { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': checkerNamespace } } },
              ],
              ports: [{ protocol: 'TCP', port: lb.healthCheck.port }],
            },
          ],
        },
      };

/** The target droplets an EndpointSlice lists as ready (by the VMI each endpoint refers to). */
export const readyTargets = (slice: KubeObject | undefined, dropletIds: readonly string[]): string[] => {
  const endpoints = (slice as V1EndpointSlice | undefined)?.endpoints ?? [];
  const ready = new Set(
    endpoints.filter((e) => e.conditions?.ready === true).map((e) => e.targetRef?.name ?? ''),
  );
  return dropletIds.filter((id) => ready.has(objectName(id)));
};
