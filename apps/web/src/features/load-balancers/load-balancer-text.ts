import type { ForwardingRule, LoadBalancer } from '@uncloud/sdk';

/** "HTTP 80 → 8080". */
export const describeRule = (rule: ForwardingRule) =>
  `${rule.entryProtocol.toUpperCase()} ${rule.entryPort} → ${rule.targetPort}`;

/** "2 of 3 healthy", or what is missing. */
export const healthSummary = (lb: LoadBalancer) =>
  lb.targets.length === 0
    ? 'No droplets'
    : `${lb.targets.filter((t) => t.healthy).length} of ${lb.targets.length} healthy`;

export const describeHealthCheck = (lb: LoadBalancer) => {
  const check = lb.healthCheck;
  const what =
    check.protocol === 'http'
      ? `HTTP GET ${check.path ?? '/'} on port ${check.port}`
      : `TCP port ${check.port}`;
  return `${what}, every ${check.intervalSeconds} s (healthy after ${check.healthyThreshold}, unhealthy after ${check.unhealthyThreshold})`;
};
