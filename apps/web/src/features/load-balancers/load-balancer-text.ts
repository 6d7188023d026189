import type { ForwardingRule, LoadBalancer } from '@uncloud/sdk';

/** "HTTP 80 → 8080", "HTTPS 443 → 8080 for shop.example.com". */
export const describeRule = (rule: ForwardingRule) =>
  `${rule.entryProtocol.toUpperCase()} ${rule.entryPort} → ${rule.targetPort}${rule.hostname ? ` for ${rule.hostname}` : ''}`;

/** "2 of 3 healthy", or what is missing. */
export const healthSummary = (lb: LoadBalancer) =>
  lb.targets.length === 0
    ? 'No droplets'
    : `${lb.targets.filter((t) => t.healthy).length} of ${lb.targets.length} healthy`;

export const describeHealthCheck = (lb: LoadBalancer) => {
  const check = lb.healthCheck;
  const what =
    check.protocol === 'tcp'
      ? `TCP port ${check.port}`
      : `${check.protocol.toUpperCase()} GET ${check.path ?? '/'} on port ${check.port}`;
  return `${what}, every ${check.intervalSeconds} s, ${check.timeoutSeconds} s to answer (in after ${check.healthyThreshold} passes, out after ${check.unhealthyThreshold} failures)`;
};

/** Where HTTPS rules' certificate comes from. */
export const describeCertificate = (lb: LoadBalancer) =>
  lb.tlsCertificate === null
    ? 'None'
    : lb.tlsCertificate.source === 'uploaded'
      ? 'Uploaded (kept in a Secret of the load balancer)'
      : 'Issued by cert-manager';
