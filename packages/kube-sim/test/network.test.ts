import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, startClusterUnderTest, type ClusterClients } from './helpers.ts';

let t: ClusterClients;
beforeAll(async () => {
  t = await startClusterUnderTest();
});
afterAll(() => t?.stop());

const cnp = (ingress: unknown[]) => ({
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumNetworkPolicy',
  metadata: { name: 'fw' },
  spec: { endpointSelector: { matchLabels: { app: 'web' } }, ingress },
});
const cilium = { group: 'cilium.io', version: 'v2', namespace: 'default', plural: 'ciliumnetworkpolicies' };

describe('network policies', () => {
  it('accepts a valid NetworkPolicy and refuses bad CIDRs and protocols with 422 naming the field', async () => {
    const ok = await t.net.createNamespacedNetworkPolicy({
      namespace: 'default',
      body: {
        metadata: { name: 'deny' },
        spec: {
          podSelector: {},
          policyTypes: ['Ingress'],
          ingress: [
            {
              _from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }],
              ports: [{ port: 443, protocol: 'TCP' }],
            },
          ],
        },
      },
    });
    expect(ok.metadata?.generation).toBe(1);
    const badCidr = await apiError(
      t.net.createNamespacedNetworkPolicy({
        namespace: 'default',
        body: {
          metadata: { name: 'bad' },
          spec: { podSelector: {}, ingress: [{ _from: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] },
        },
      }),
    );
    expect(badCidr.code).toBe(422);
    expect(badCidr.body.details?.causes?.[0]?.field).toBe('spec.ingress[0].from[0].ipBlock.cidr');
    const badProtocol = await apiError(
      t.net.createNamespacedNetworkPolicy({
        namespace: 'default',
        body: {
          metadata: { name: 'bad' },
          spec: { podSelector: {}, ingress: [{ ports: [{ port: 80, protocol: 'HTTP' }] }] },
        },
      }),
    );
    expect(badProtocol.body.details?.causes?.[0]).toMatchObject({
      field: 'spec.ingress[0].ports[0].protocol',
      reason: 'FieldValueNotSupported',
    });
  });

  it('accepts a valid CiliumNetworkPolicy and refuses a bad port or CIDR', async () => {
    await t.custom.createNamespacedCustomObject({
      ...cilium,
      body: cnp([{ fromCIDR: ['203.0.113.0/24'], toPorts: [{ ports: [{ port: '22', protocol: 'TCP' }] }] }]),
    });
    const outOfRange = t.custom.createNamespacedCustomObject({
      ...cilium,
      body: {
        ...cnp([{ toPorts: [{ ports: [{ port: '70000', protocol: 'TCP' }] }] }]),
        metadata: { name: 'fw2' },
      },
    });
    // Cilium's CRD pattern for a port is not anchored at both ends (`^(…[0-9]{1,4})|(…)$`), so
    // the API server takes "70000" (its prefix "7000" matches); Cilium's agent refuses it later.
    await outOfRange;
    const badCidr = await apiError(
      t.custom.createNamespacedCustomObject({
        ...cilium,
        body: { ...cnp([{ fromCIDRSet: [{ cidr: 'nope' }] }]), metadata: { name: 'fw3' } },
      }),
    );
    expect(badCidr.body.details?.causes?.[0]?.field).toBe('spec.ingress[0].fromCIDRSet[0].cidr');
  });
});
