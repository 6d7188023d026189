import type { ReservedIpRow } from '@uncloud/db';
import type { KubeObject } from '@uncloud/kube';
import { DropletId, ReservedIpId } from '@uncloud/sdk';
import { describe, expect, it } from 'vitest';
import { fakeLookup, ids, settings } from '../test-support/rows.ts';
import { reservedIpReconciler } from './reserved-ip.ts';

const other = DropletId.parse('dpl_iiiiiiiiiiiiiiiiiiii');
const at = new Date('2025-01-01T00:00:00Z');

const ripRow = (patch: Partial<ReservedIpRow> = {}): ReservedIpRow => ({
  id: ReservedIpId.parse('rip_kkkkkkkkkkkkkkkkkkkk'),
  projectId: ids.project,
  name: 'ip-203-0-113-7',
  ip: '203.0.113.7',
  region: 'local',
  dropletId: ids.droplet,
  state: 'pending',
  announced: false,
  generation: 1,
  observedGeneration: 0,
  observedAt: null,
  syncError: null,
  createdAt: at,
  updatedAt: at,
  deletedAt: null,
  ...patch,
});

const serviceOf = (desired: ReturnType<typeof reservedIpReconciler.desired>) => {
  if (!('objects' in desired)) throw new Error('no objects');
  expect(desired.objects.map((o) => o.kind)).toEqual(['Service']);
  return desired.objects[0] as KubeObject & {
    spec: { selector: Record<string, string>; ports: { port: number; protocol: string }[] };
  };
};

const running = { ip: '10.42.0.9', state: 'active' };

describe('reserved IP desired objects', () => {
  it('waits for the namespace', () => {
    expect(reservedIpReconciler.desired(fakeLookup({ namespaceReady: false }), ripRow(), settings)).toEqual({
      waitingFor: "the project's namespace",
    });
  });

  it.each([
    ['assigned, no firewall', ids.droplet, {}, ids.droplet, ['TCP/22']],
    [
      'assigned, firewalled',
      ids.droplet,
      {
        firewallInbound: {
          [ids.droplet]: [{ protocol: 'tcp' as const, ports: '443', sources: ['0.0.0.0/0'] }],
        },
      },
      ids.droplet,
      ['TCP/22', 'TCP/443'],
    ],
    ['moved', other, {}, other, ['TCP/22']],
    ['unassigned', null, {}, 'rip_kkkkkkkkkkkkkkkkkkkk', ['TCP/22']],
  ])('%s: selects the droplet it points at', (_case, dropletId, facts, selected, ports) => {
    const svc = serviceOf(
      reservedIpReconciler.desired(
        fakeLookup({ droplets: { [ids.droplet]: running, [other]: running }, ...facts }),
        ripRow({ dropletId }),
        settings,
      ),
    );
    expect(svc.metadata.annotations?.['metallb.io/loadBalancerIPs']).toBe('203.0.113.7');
    expect(svc.spec.selector['uncloud.dev/resource-id']).toBe(selected);
    expect(svc.spec.ports.map((p) => `${p.protocol}/${p.port}`)).toEqual(ports);
  });

  it('points at nothing once its droplet is gone, keeping the address', () => {
    const svc = serviceOf(reservedIpReconciler.desired(fakeLookup({ droplets: {} }), ripRow(), settings));
    expect(svc.spec.selector['uncloud.dev/resource-id']).toBe('rip_kkkkkkkkkkkkkkkkkkkk');
  });
});

describe('reserved IP observation', () => {
  const service = (ingress: { ip: string }[] | undefined, conditions?: unknown[]): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'rip-kkkkkkkkkkkkkkkkkkkk', uid: 'u1' },
    status: { loadBalancer: ingress ? { ingress } : {}, ...(conditions ? { conditions } : {}) },
  });
  const event = (message: string, uid = 'u1'): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'e' },
    reason: 'AllocationFailed',
    type: 'Warning',
    message,
    involvedObject: { kind: 'Service', name: 'rip-kkkkkkkkkkkkkkkkkkkk', uid },
  });

  it('is active once the load balancer gives the Service its address', () => {
    expect(reservedIpReconciler.observe(ripRow(), [service([{ ip: '203.0.113.7' }])])).toEqual({
      state: 'active',
      values: { announced: true },
    });
  });

  it('is pending while no address is given, and for another address than its own', () => {
    expect(reservedIpReconciler.observe(ripRow(), [service(undefined)]).state).toBe('pending');
    expect(reservedIpReconciler.observe(ripRow(), [service([{ ip: '198.51.100.10' }])]).state).toBe(
      'pending',
    );
    expect(reservedIpReconciler.observe(ripRow(), []).state).toBe('pending');
  });

  it("is an error with MetalLB's words when it refuses the address", () => {
    const seen = reservedIpReconciler.observe(ripRow(), [
      service(undefined),
      event('Failed to allocate IP for "ns/x": "203.0.113.7" is not allowed in config'),
    ]);
    expect(seen.state).toBe('error');
    expect(seen.error).toContain('"203.0.113.7" is not allowed in config');
    expect(seen.error).toContain('UNCLOUD_RESERVED_IP_POOL');
  });

  it('ignores a warning about an earlier Service of the same name', () => {
    expect(
      reservedIpReconciler.observe(ripRow(), [service(undefined), event('old refusal', 'u0')]).state,
    ).toBe('pending');
  });

  it("is an error with Cilium LB-IPAM's condition when it refuses the address", () => {
    const seen = reservedIpReconciler.observe(ripRow(), [
      service(undefined, [
        {
          type: 'io.cilium/IPAMRequestSatisfied',
          status: 'False',
          reason: 'no_pool',
          message: 'There are no enabled CiliumLoadBalancerIPPools that match this service',
        },
      ]),
    ]);
    expect(seen.state).toBe('error');
    expect(seen.error).toContain('no enabled CiliumLoadBalancerIPPools');
  });

  it('looks for refusals only while the address is not given', () => {
    expect(reservedIpReconciler.failuresAbout?.(ripRow())).toEqual(['rip-kkkkkkkkkkkkkkkkkkkk']);
    expect(reservedIpReconciler.failuresAbout?.(ripRow({ state: 'active' }))).toEqual([]);
    expect(reservedIpReconciler.failureReason).toBe('AllocationFailed');
  });
});
