import type { V1Ingress, V1Secret } from '@kubernetes/client-node';
import type { ForwardingRule, LoadBalancer, TlsCertificateInput } from '@uncloud/sdk';
import { type KubeObject, metadata, objectName } from './meta.ts';

/** What a load balancer's Ingress needs of intent. */
export type LoadBalancerIngressIntent = Pick<
  LoadBalancer,
  'id' | 'projectId' | 'name' | 'forwardingRules'
> & {
  tlsCertificate: TlsCertificateInput | null;
  redirectHttpToHttps: boolean;
};

/** How the cluster serves Ingresses; from configuration (docs/kubernetes.md, "Load balancer"). */
export interface IngressSettings {
  /** `spec.ingressClassName`; unset: the cluster's default class (k3s: traefik). */
  className: string | undefined;
  /** The cert-manager ClusterIssuer that issues certificates for `cert-manager` load balancers. */
  certManagerIssuer: string;
  /** Annotations that make the ingress controller redirect HTTP to HTTPS for an Ingress. */
  redirectAnnotations: Record<string, string>;
}

export const defaultIngressSettings: IngressSettings = {
  className: undefined,
  certManagerIssuer: 'letsencrypt',
  // k3s's Traefik: a redirectScheme Middleware the operator installs once (docs/kubernetes.md).
  redirectAnnotations: {
    'traefik.ingress.kubernetes.io/router.middlewares': 'kube-system-uncloud-redirect-https@kubernetescrd',
  },
};

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export const CERT_MANAGER_ISSUER = 'cert-manager.io/cluster-issuer';

const owner = (lb: LoadBalancerIngressIntent) => ({
  kind: 'loadBalancer' as const,
  id: lb.id,
  projectId: lb.projectId,
  name: lb.name,
});

/** The Secret an uploaded certificate is kept in, and cert-manager writes its certificate to. */
export const tlsSecretName = (lb: { id: string }) => `${objectName(lb.id)}-tls`;

const hostRules = (lb: LoadBalancerIngressIntent) =>
  lb.forwardingRules.filter(
    (r): r is ForwardingRule & { hostname: string } =>
      !!r.hostname && (r.entryProtocol === 'http' || r.entryProtocol === 'https'),
  );

/**
 * The Ingress for HTTP and HTTPS rules with a hostname: each hostname routed to the load
 * balancer's Service on the rule's port (so to its targets' target port, ready ones only), HTTPS
 * hostnames with TLS from the load balancer's certificate Secret. An uploaded certificate's Secret
 * is the load balancer's; with cert-manager the issuer annotation has cert-manager fill it. Null
 * when no rule has a hostname.
 */
export const loadBalancerIngressManifest = (
  lb: LoadBalancerIngressIntent,
  settings: IngressSettings,
): (V1Ingress & KubeObject) | null => {
  const rules = hostRules(lb);
  if (rules.length === 0) return null;
  const tlsHosts = [
    ...new Set(rules.filter((r) => r.entryProtocol === 'https').map((r) => r.hostname)),
  ].sort();
  const annotations = {
    ...(tlsHosts.length > 0 && lb.tlsCertificate?.source === 'cert-manager'
      ? { [CERT_MANAGER_ISSUER]: settings.certManagerIssuer }
      : {}),
    ...(tlsHosts.length > 0 && lb.redirectHttpToHttps ? settings.redirectAnnotations : {}),
  };
  // One rule per hostname: HTTPS wins when a hostname has both (TLS ends at the controller, so the
  // target gets plain HTTP either way).
  const byHost = new Map<string, ForwardingRule>();
  for (const rule of [...rules].sort((a, b) => a.entryProtocol.localeCompare(b.entryProtocol)))
    byHost.set(rule.hostname, rule);
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: metadata(owner(lb), objectName(lb.id), Object.keys(annotations).length ? { annotations } : {}),
    spec: {
      ...(settings.className ? { ingressClassName: settings.className } : {}),
      ...(tlsHosts.length > 0 ? { tls: [{ hosts: tlsHosts, secretName: tlsSecretName(lb) }] } : {}),
      rules: [...byHost.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([host, rule]) => ({
          host,
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: objectName(lb.id), port: { number: rule.entryPort } } },
              },
            ],
          },
        })),
    },
  };
};

/** The uploaded certificate as a `kubernetes.io/tls` Secret the load balancer owns; null otherwise. */
export const loadBalancerTlsSecretManifest = (
  lb: LoadBalancerIngressIntent,
): (V1Secret & KubeObject) | null =>
  lb.tlsCertificate?.source === 'uploaded' && hostRules(lb).some((r) => r.entryProtocol === 'https')
    ? {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: metadata(owner(lb), tlsSecretName(lb)),
        type: 'kubernetes.io/tls',
        // `data`, not `stringData`: the server keeps only `data`, and drift is judged against it.
        data: {
          'tls.crt': base64(lb.tlsCertificate.certificate),
          'tls.key': base64(lb.tlsCertificate.privateKey),
        },
      }
    : null;
