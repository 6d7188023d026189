import { PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, startClusterUnderTest, type ClusterClients } from './helpers.ts';

let t: ClusterClients;
const ns = 'apply-nested';
beforeAll(async () => {
  t = await startClusterUnderTest({ profile: 'bare' });
  await createNamespace(t, ns);
});
afterAll(() => t?.stop());

const policy = (podSelector: Record<string, unknown>) =>
  ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'isolation', namespace: ns },
    spec: { podSelector, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] },
  }) as KubernetesObject;

const apply = (object: KubernetesObject) =>
  t.objects.patch(object, undefined, undefined, 'uncloud', true, PatchStrategy.ServerSideApply);

describe('server-side apply of a field first applied empty', () => {
  it('fills the field when applied again with content, and empties it again', async () => {
    await apply(policy({}));
    const selector = { matchExpressions: [{ key: 'id', operator: 'NotIn', values: ['a'] }] };
    const filled = (await apply(policy(selector))) as KubernetesObject & { spec: { podSelector: unknown } };
    expect(filled.spec.podSelector).toEqual(selector);
    const emptied = (await apply(policy({}))) as KubernetesObject & { spec: { podSelector: unknown } };
    expect(emptied.spec.podSelector).toEqual({});
  });
});
