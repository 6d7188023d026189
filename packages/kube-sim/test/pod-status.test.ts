// Pod status the API server writes itself, checked on both tiers: the QoS class from requests/limits.
import type { V1ResourceRequirements } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, startClusterUnderTest, waitFor, type ClusterClients } from './helpers.ts';

let t: ClusterClients;
const ns = 'pod-status';
beforeAll(async () => {
  t = await startClusterUnderTest();
  await createNamespace(t, ns);
  // Pods need the namespace's default ServiceAccount, which a controller creates.
  await waitFor(() => t.core.readNamespacedServiceAccount({ name: 'default', namespace: ns }));
});
afterAll(async () => {
  await t.core.deleteNamespace({ name: ns }).catch(() => undefined);
  await t.stop();
});

const podWith = (name: string, ...resources: V1ResourceRequirements[]) => ({
  metadata: { name },
  spec: {
    containers: resources.map((r, i) => ({ name: `c${i}`, image: 'nginx:1.27', resources: r })),
  },
});

describe('pod status', () => {
  it.each<[string, string, V1ResourceRequirements[]]>([
    ['best-effort', 'BestEffort', [{}]],
    ['zero-requests', 'BestEffort', [{ requests: { cpu: '0', memory: '0' } }]],
    ['cpu-request', 'Burstable', [{ requests: { cpu: '100m' } }]],
    [
      'equal',
      'Guaranteed',
      [{ requests: { cpu: '500m', memory: '64Mi' }, limits: { cpu: '0.5', memory: '64Mi' } }],
    ],
    ['limits-only', 'Guaranteed', [{ limits: { cpu: '1', memory: '1Gi' } }]],
    ['cpu-limit-only', 'Burstable', [{ limits: { cpu: '1' } }]],
    [
      'lower-requests',
      'Burstable',
      [{ requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '1', memory: '64Mi' } }],
    ],
    ['one-of-two', 'Burstable', [{ limits: { cpu: '1', memory: '1Gi' } }, {}]],
    ['storage-only', 'BestEffort', [{ requests: { 'ephemeral-storage': '1Gi' } }]],
  ])('gives the pod %s the QoS class %s', async (name, qos, resources) => {
    const created = await t.core.createNamespacedPod({ namespace: ns, body: podWith(name, ...resources) });
    expect(created.status?.qosClass).toBe(qos);
  });
});
