import { describe, expect, it } from 'vitest';
import { firewallRow, fakeLookup, ids, settings } from '../test-support/rows.ts';
import { firewallReconciler } from './firewall.ts';

const web = { web: [ids.droplet, ids.app] };

describe('firewall desired', () => {
  it('waits for the project namespace', () => {
    expect(
      firewallReconciler.desired(fakeLookup({ namespaceReady: false }), firewallRow(), settings),
    ).toEqual({
      waitingFor: "the project's namespace",
    });
  });

  it('is a NetworkPolicy over the resources its tags resolve to', () => {
    const desired = firewallReconciler.desired(fakeLookup({ tags: web }), firewallRow(), settings);
    expect(desired).toMatchObject({
      objects: [
        {
          kind: 'NetworkPolicy',
          metadata: { name: 'fw-ffffffffffffffffffff', namespace: 'uc-proj-aaaaaaaaaaaaaaaaaaaa' },
          spec: {
            podSelector: {
              matchExpressions: [
                { key: 'uncloud.dev/resource-id', operator: 'In', values: [ids.app, ids.droplet] },
              ],
            },
            policyTypes: ['Ingress'],
            ingress: [
              {
                from: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { namespaceSelector: {} }],
                ports: [{ protocol: 'TCP', port: 443 }],
              },
            ],
          },
        },
      ],
    });
  });

  it('is a CiliumNetworkPolicy where Cilium enforces policies', () => {
    const desired = firewallReconciler.desired(fakeLookup({ tags: web }), firewallRow(), {
      ...settings,
      policyFlavour: 'cilium',
    });
    expect(desired).toMatchObject({ objects: [{ kind: 'CiliumNetworkPolicy' }] });
  });

  it('wants no policy while its targets match nothing (and so removes one that exists)', () => {
    expect(firewallReconciler.desired(fakeLookup({ tags: {} }), firewallRow(), settings)).toEqual({
      objects: [],
    });
  });

  it('targets resources named by id as well as by tag', () => {
    const desired = firewallReconciler.desired(fakeLookup(), firewallRow({ targets: [ids.app] }), settings);
    expect(desired).toMatchObject({
      objects: [{ spec: { podSelector: { matchExpressions: [{ values: [ids.app] }] } } }],
    });
  });
});

describe('firewall observe', () => {
  it('is active as soon as the API server holds the policy: there is no status to wait for', () => {
    expect(firewallReconciler.observe(firewallRow({ state: 'pending' }), [])).toEqual({
      state: 'active',
      values: { appliedTo: [], policyKind: null },
    });
  });

  it('records which droplets and apps the policy in the cluster selects, and its kind', () => {
    const desired = firewallReconciler.desired(fakeLookup({ tags: web }), firewallRow(), {
      ...settings,
      policyFlavour: 'cilium',
    });
    const objects = 'objects' in desired ? desired.objects : [];
    expect(firewallReconciler.observe(firewallRow(), objects)).toEqual({
      state: 'active',
      values: { appliedTo: [ids.app, ids.droplet].sort(), policyKind: 'CiliumNetworkPolicy' },
    });
  });
});
