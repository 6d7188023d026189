import { describe, expect, it } from 'vitest';
import { dropletAddressManifests, exposedPorts, loadBalancerAddress } from './droplet-service.ts';
import { ids, projectId } from './fixtures.test-data.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const droplet = { id: ids.droplet as never, projectId: projectId as never, name: 'web' };

describe('droplet → public address', () => {
  it('is a LoadBalancer Service over its virt-launcher pod, keeping client addresses, SSH always', () => {
    const [service, policy] = dropletAddressManifests(droplet, null) as Json[];
    expect(service).toMatchObject({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'dpl-0123456789abcdefghij', namespace: 'uc-proj-0123456789abcdefghij' },
      spec: {
        type: 'LoadBalancer',
        externalTrafficPolicy: 'Local',
        selector: { 'uncloud.dev/resource-id': ids.droplet, 'kubevirt.io': 'virt-launcher' },
        ports: [{ name: 'tcp-22', protocol: 'TCP', port: 22, targetPort: 22 }],
      },
    });
    expect(service!.metadata.labels['uncloud.dev/kind']).toBe('droplet');
    // No firewall: the internet may reach what the address forwards, as on DigitalOcean.
    expect(policy).toMatchObject({
      kind: 'NetworkPolicy',
      metadata: { name: 'dpl-0123456789abcdefghij-public' },
      spec: {
        podSelector: { matchLabels: { 'uncloud.dev/resource-id': ids.droplet } },
        ingress: [
          {
            from: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }],
            ports: [{ protocol: 'TCP', port: 22 }],
          },
        ],
      },
    });
  });

  it('forwards the ports its firewalls allow, and writes no admitting policy over a firewall', () => {
    const objects = dropletAddressManifests(droplet, [
      { protocol: 'tcp', ports: '443' },
      { protocol: 'udp', ports: '51820' },
      { protocol: 'icmp', ports: 'all' },
    ]) as Json[];
    expect(objects.map((o) => o.kind)).toEqual(['Service']);
    expect(objects[0]!.spec.ports.map((p: Json) => p.name)).toEqual(['tcp-22', 'tcp-443', 'udp-51820']);
  });

  it('expands small ranges, skips "all" and wide ranges, and deduplicates', () => {
    expect(
      exposedPorts([
        { protocol: 'tcp', ports: '8000-8002' },
        { protocol: 'tcp', ports: '22' },
        { protocol: 'tcp', ports: 'all' },
        { protocol: 'tcp', ports: '1000-2000' },
      ]),
    ).toEqual([
      { protocol: 'TCP', port: 22 },
      { protocol: 'TCP', port: 8000 },
      { protocol: 'TCP', port: 8001 },
      { protocol: 'TCP', port: 8002 },
    ]);
  });

  it('reads the address the load balancer gave, an IP or a hostname', () => {
    const service = (ingress: Json[]) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      status: { loadBalancer: { ingress } },
    });
    expect(loadBalancerAddress(service([{ ip: '198.51.100.7' }]))).toBe('198.51.100.7');
    expect(loadBalancerAddress(service([{ hostname: 'lb.example.com' }]))).toBe('lb.example.com');
    expect(loadBalancerAddress(service([]))).toBeNull();
    expect(loadBalancerAddress(undefined)).toBeNull();
  });
});
