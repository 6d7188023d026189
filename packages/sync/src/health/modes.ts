import { KubeError, type KubeGateway } from '@uncloud/kube';
import type { ProbeResult } from './judge.ts';
import { type TargetProbe, timedOut } from './probe.ts';

/**
 * How load balancers' health checks reach their targets (`UNCLOUD_LB_HEALTH_CHECKS`):
 * - `direct`: over the pod network from this process (Uncloud runs in the cluster);
 * - `apiserver-proxy`: HTTP(S) checks through the API server's `pods/proxy` subresource, for an
 *   Uncloud outside the cluster (a kubeconfig); TCP checks cannot go that way and are not made;
 * - `off`: no checks; every running target takes traffic.
 */
export const HEALTH_CHECK_MODES = ['direct', 'apiserver-proxy', 'off'] as const;
export type HealthCheckMode = (typeof HEALTH_CHECK_MODES)[number];

/**
 * The default for where the cluster comes from: in the cluster (and the embedded one, whose
 * guests answer for themselves) pod addresses are reachable; from a kubeconfig they usually are
 * not (a laptop, a VM beside the cluster), and the API server can reach them instead.
 */
export const defaultHealthCheckMode = (cluster: 'embedded' | 'in-cluster' | 'kubeconfig'): HealthCheckMode =>
  cluster === 'kubeconfig' ? 'apiserver-proxy' : 'direct';

/**
 * A check that is not made: the target counts as healthy while its droplet runs (failing open,
 * since a checker that cannot look must not take a working service down), and says why in words.
 */
export const notChecked = (why: string): ProbeResult => ({ ok: true, reason: `not checked: ${why}` });

/** `off`: every target is taken at its word. */
export const offProbe: TargetProbe = async () =>
  notChecked('health checks are off (UNCLOUD_LB_HEALTH_CHECKS=off)');

const PROXY_TCP =
  'TCP checks cannot reach the pod network from outside the cluster; ' +
  'run Uncloud in the cluster (UNCLOUD_LB_HEALTH_CHECKS=direct) or use an HTTP(S) check';

/** The running launcher pod of a VirtualMachine: the pod whose address its guest answers on. */
const launcherPod = async (gateway: Pick<KubeGateway, 'list'>, namespace: string, vm: string) => {
  const pods = await gateway.list('Pod', { namespace, labelSelector: `vm.kubevirt.io/name=${vm}` });
  const running = pods.find(
    (p) =>
      !p.metadata.deletionTimestamp && (p as { status?: { phase?: string } }).status?.phase === 'Running',
  );
  return running?.metadata.name;
};

/**
 * `apiserver-proxy`: HTTP(S) checks go through the API server (`pods/proxy`, RBAC `get` on
 * `pods/proxy` and `list` on pods), which reaches the pod network for a checker outside it. The
 * API server's own failure to reach the pod (its 502/503) is a network-level failure, as a timeout
 * is. TCP checks cannot be proxied: they are not made, and say so (see {@link notChecked}).
 */
export const apiServerProxyProbe =
  (gateway: Pick<KubeGateway, 'list' | 'proxyPodGet'>): TargetProbe =>
  async (target) => {
    if (target.protocol === 'tcp') return notChecked(PROXY_TCP);
    const scheme = target.protocol.toUpperCase();
    const path = target.path ?? '/';
    try {
      const pod = await launcherPod(gateway, target.namespace, target.vm);
      if (!pod) return { ok: false, reason: `the pod of ${target.vm} is not running` };
      const { status } = await gateway.proxyPodGet(
        target.namespace,
        pod,
        { port: target.port, path, scheme: target.protocol === 'https' ? 'https' : 'http' },
        { timeoutMs: target.timeoutMs },
      );
      return {
        ok: status >= 200 && status < 400,
        reason: `${scheme} ${status} from ${path} (through the API server)`,
      };
    } catch (error) {
      if (error instanceof KubeError && error.status !== undefined && error.status < 500)
        return { ok: false, reason: `the API server would not proxy the check: ${error.detail}` };
      // The pod refused: an answer, as a refusal over the network is.
      if (error instanceof KubeError && /connection refused/.test(error.detail))
        return { ok: false, reason: `connection refused on port ${target.port} (through the API server)` };
      if (error instanceof KubeError && error.kind === 'Unavailable' && /timed out/.test(error.message))
        return timedOut(target);
      return {
        ok: false,
        reason: `the API server could not reach port ${target.port}: ${error instanceof KubeError ? error.detail : (error as Error).message}`,
        network: true,
      };
    }
  };
