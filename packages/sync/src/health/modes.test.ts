import { KubeError, type KubeGateway, type KubeObject } from '@uncloud/kube';
import { describe, expect, it } from 'vitest';
import { apiServerProxyProbe, defaultHealthCheckMode, offProbe } from './modes.ts';
import type { ProbeTarget } from './probe.ts';

const target: ProbeTarget = {
  ip: '10.42.0.5',
  namespace: 'uc-p',
  vm: 'web',
  port: 8080,
  protocol: 'http',
  path: '/healthz',
  timeoutMs: 1000,
};
const pod = (name: string, phase: string) =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'uc-p' }, status: { phase } }) as KubeObject;

/** A gateway whose pods and proxied answers the test sets, recording what was asked. */
const fakeGateway = (
  proxied: () => Promise<{ status: number }>,
  pods = [pod('virt-launcher-web-abcde', 'Running')],
) => {
  const asked: unknown[] = [];
  const gateway: Pick<KubeGateway, 'list' | 'proxyPodGet'> = {
    list: async (_kind, options) => (asked.push(options), pods),
    proxyPodGet: async (namespace, name, to, options) => (
      asked.push({ namespace, name, ...to, ...options }),
      proxied()
    ),
  };
  return { gateway, asked };
};

describe('health check modes', () => {
  it('probe directly in the cluster and the embedded one, through the API server from a kubeconfig', () => {
    expect(defaultHealthCheckMode('in-cluster')).toBe('direct');
    expect(defaultHealthCheckMode('embedded')).toBe('direct');
    expect(defaultHealthCheckMode('kubeconfig')).toBe('apiserver-proxy');
  });

  it('off: every target passes, and says the checks are off', async () => {
    expect(await offProbe(target)).toEqual({
      ok: true,
      reason: 'not checked: health checks are off (UNCLOUD_LB_HEALTH_CHECKS=off)',
    });
  });
});

describe('apiServerProxyProbe', () => {
  it('GETs the check path of the VM’s launcher pod through the API server, and judges the status', async () => {
    const { gateway, asked } = fakeGateway(async () => ({ status: 200 }));
    expect(await apiServerProxyProbe(gateway)(target)).toEqual({
      ok: true,
      reason: 'HTTP 200 from /healthz (through the API server)',
    });
    expect(asked).toEqual([
      { namespace: 'uc-p', labelSelector: 'vm.kubevirt.io/name=web' },
      {
        namespace: 'uc-p',
        name: 'virt-launcher-web-abcde',
        port: 8080,
        path: '/healthz',
        scheme: 'http',
        timeoutMs: 1000,
      },
    ]);
    const failing = fakeGateway(async () => ({ status: 503 })).gateway;
    expect(await apiServerProxyProbe(failing)({ ...target, protocol: 'https' })).toEqual({
      ok: false,
      reason: 'HTTPS 503 from /healthz (through the API server)',
    });
  });

  it('does not make a TCP check it cannot make, and lets the target in saying why', async () => {
    const { gateway, asked } = fakeGateway(async () => ({ status: 200 }));
    const result = await apiServerProxyProbe(gateway)({ ...target, protocol: 'tcp', path: null });
    expect(result.ok).toBe(true);
    expect(result.reason).toMatch(
      /^not checked: TCP checks cannot reach the pod network from outside the cluster; /,
    );
    expect(result.reason).toContain('UNCLOUD_LB_HEALTH_CHECKS');
    expect(asked).toEqual([]);
  });

  it('counts the API server’s failure to reach the pod as a network-level failure, and a refusal as not', async () => {
    const unreachable = fakeGateway(async () => {
      throw new KubeError('Unavailable', 'error trying to reach service: dial tcp: i/o timeout', 503);
    }).gateway;
    expect(await apiServerProxyProbe(unreachable)(target)).toMatchObject({ ok: false, network: true });
    const refusedByPod = fakeGateway(async () => {
      throw new KubeError(
        'Unavailable',
        'error trying to reach service: dial tcp 10.42.0.5:8080: connect: connection refused',
        503,
      );
    }).gateway;
    expect(await apiServerProxyProbe(refusedByPod)(target)).toEqual({
      ok: false,
      reason: 'connection refused on port 8080 (through the API server)',
    });
    const forbidden = fakeGateway(async () => {
      throw new KubeError('Forbidden', 'cannot get resource pods/proxy', 403);
    }).gateway;
    const refused = await apiServerProxyProbe(forbidden)(target);
    expect(refused).toMatchObject({ ok: false });
    expect(refused.network).toBeUndefined();
    expect(refused.reason).toContain('pods/proxy');
  });

  it('fails a target whose pod is not running', async () => {
    const { gateway } = fakeGateway(
      async () => ({ status: 200 }),
      [pod('virt-launcher-web-old', 'Succeeded')],
    );
    expect(await apiServerProxyProbe(gateway)(target)).toEqual({
      ok: false,
      reason: 'the pod of web is not running',
    });
  });
});
