import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@uncloud/kube';
import { dropletRow, fakeLookup, ids, settings } from '../test-support/rows.ts';
import { dropletReconciler } from './droplet.ts';

const objectsOf = (desired: ReturnType<typeof dropletReconciler.desired>) =>
  'objects' in desired ? desired.objects : [];

describe('droplet public address', () => {
  it('wants a LoadBalancer Service forwarding SSH, and the policy admitting it while unfirewalled', () => {
    const objects = objectsOf(dropletReconciler.desired(fakeLookup(), dropletRow(), settings));
    const service = objects.find((o) => o.kind === 'Service');
    expect(service?.spec).toMatchObject({ type: 'LoadBalancer', ports: [{ port: 22 }] });
    expect(objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata.name)).toEqual([
      'dpl-bbbbbbbbbbbbbbbbbbbb-public',
    ]);
  });

  it('forwards the ports its firewalls allow and leaves admission to them', () => {
    const objects = objectsOf(
      dropletReconciler.desired(
        fakeLookup({
          firewallInbound: { [ids.droplet]: [{ protocol: 'tcp', ports: '443', sources: ['0.0.0.0/0'] }] },
        }),
        dropletRow(),
        settings,
      ),
    );
    expect(objects.find((o) => o.kind === 'Service')?.spec).toMatchObject({
      ports: [{ port: 22 }, { port: 443 }],
    });
    expect(objects.some((o) => o.kind === 'NetworkPolicy')).toBe(false);
  });

  it('records the address the load balancer gave as the public IP', () => {
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'dpl-bbbbbbbbbbbbbbbbbbbb' },
      status: { loadBalancer: { ingress: [{ ip: '198.51.100.4' }] } },
    };
    expect(dropletReconciler.observe(dropletRow(), [service]).values.publicIp).toBe('198.51.100.4');
    expect(dropletReconciler.observe(dropletRow(), []).values.publicIp).toBeNull();
  });
});
