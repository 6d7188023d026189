import { describe, expect, it } from 'vitest';
import { type ReservedIpIntent, holdsAddress, reservedIpServiceManifest } from './reserved-ip.ts';
import type { KubeObject } from './meta.ts';

const other = 'dpl_000000000000000000e2' as ReservedIpIntent['dropletId'];
const rip: ReservedIpIntent = {
  id: 'rip_00000000000000000001' as ReservedIpIntent['id'],
  projectId: 'proj_0000000000000000000p' as ReservedIpIntent['projectId'],
  name: 'ip-203-0-113-7',
  ip: '203.0.113.7',
  dropletId: 'dpl_0000000000000000000d' as ReservedIpIntent['dropletId'],
};

describe('reservedIpServiceManifest', () => {
  it('asks every supported load balancer for its address, never through the deprecated field', () => {
    const svc = reservedIpServiceManifest(rip, null);
    expect(svc.metadata.annotations).toEqual({
      'metallb.io/loadBalancerIPs': '203.0.113.7',
      'metallb.universe.tf/loadBalancerIPs': '203.0.113.7',
      'io.cilium/lb-ipam-ips': '203.0.113.7',
    });
    expect(svc.spec?.loadBalancerIP).toBeUndefined();
    expect(svc.spec?.type).toBe('LoadBalancer');
    expect(svc.metadata.name).toBe('rip-00000000000000000001');
    expect(svc.metadata.labels?.['uncloud.dev/kind']).toBe('reservedIp');
  });

  it("selects the assigned droplet's launcher pod and forwards what its firewalls allow", () => {
    const svc = reservedIpServiceManifest(rip, [
      { protocol: 'tcp', ports: '80' },
      { protocol: 'udp', ports: '53' },
      { protocol: 'tcp', ports: 'all' },
    ]);
    expect(svc.spec?.selector).toEqual({
      'uncloud.dev/resource-id': 'dpl_0000000000000000000d',
      'kubevirt.io': 'virt-launcher',
    });
    expect(svc.spec?.ports?.map((p) => `${p.protocol}/${p.port}`)).toEqual(['TCP/22', 'UDP/53', 'TCP/80']);
  });

  it('moves by changing the selector only, keeping the name and the address', () => {
    const a = reservedIpServiceManifest(rip, null);
    const b = reservedIpServiceManifest({ ...rip, dropletId: other }, null);
    expect(b.metadata.name).toBe(a.metadata.name);
    expect(b.metadata.annotations).toEqual(a.metadata.annotations);
    expect(b.spec?.selector?.['uncloud.dev/resource-id']).toBe('dpl_000000000000000000e2');
  });

  it('unassigned, selects no launcher pod but keeps the Service (and so the address) and SSH', () => {
    const svc = reservedIpServiceManifest({ ...rip, dropletId: null }, [{ protocol: 'tcp', ports: '80' }]);
    expect(svc.spec?.selector?.['uncloud.dev/resource-id']).toBe(rip.id);
    expect(svc.spec?.ports?.map((p) => p.port)).toEqual([22]);
  });
});

describe('holdsAddress', () => {
  const svc = (ingress: { ip?: string }[]): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's' },
    status: { loadBalancer: { ingress } },
  });
  it('is true only for the address asked for', () => {
    expect(holdsAddress(svc([{ ip: '203.0.113.7' }]), '203.0.113.7')).toBe(true);
    expect(holdsAddress(svc([{ ip: '198.51.100.10' }]), '203.0.113.7')).toBe(false);
    expect(holdsAddress(svc([]), '203.0.113.7')).toBe(false);
    expect(holdsAddress(undefined, '203.0.113.7')).toBe(false);
  });
});
