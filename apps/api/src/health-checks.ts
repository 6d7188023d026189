import {
  type HealthCheckMode,
  type TargetProbe,
  apiServerProxyProbe,
  defaultHealthCheckMode,
  offProbe,
} from '@uncloud/sync';
import type { ClusterConnection } from './cluster.ts';
import type { Logger } from './logger.ts';

const SAID: Record<HealthCheckMode, string> = {
  direct: 'load balancer health checks reach targets over the pod network from this process',
  'apiserver-proxy':
    "load balancer health checks go through the API server's pod proxy (RBAC: get pods/proxy); " +
    'TCP checks cannot, and their targets count as healthy while running',
  off: 'load balancer health checks are off: every running target takes traffic',
};

/**
 * How load balancers' health checks reach targets: `UNCLOUD_LB_HEALTH_CHECKS` when set, else by
 * where the cluster is (docs/load-balancers.md). `undefined` is the engine's own network probe;
 * the embedded cluster answers `direct` checks for its simulated guests.
 */
export const healthProbeFor = (
  cluster: ClusterConnection,
  chosen: HealthCheckMode | undefined,
  logger: Logger,
): TargetProbe | undefined => {
  const mode = chosen ?? defaultHealthCheckMode(cluster.source);
  logger.info(
    {
      component: 'sync',
      lbHealthChecks: mode,
      chosenBy: chosen ? 'UNCLOUD_LB_HEALTH_CHECKS' : cluster.source,
    },
    SAID[mode],
  );
  if (mode === 'off') return offProbe;
  if (mode === 'apiserver-proxy') return apiServerProxyProbe(cluster.gateway);
  return cluster.probe;
};
