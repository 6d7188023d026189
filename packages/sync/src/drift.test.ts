import { describe, expect, it } from 'vitest';
import { parseQuantity } from '@uncloud/kube';
import { contains } from './drift.ts';

describe('drift detection', () => {
  it('reads quantities as Kubernetes does', () => {
    expect(parseQuantity('4Gi')).toBe(4 * 2 ** 30);
    expect(parseQuantity('4096Mi')).toBe(parseQuantity('4Gi'));
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('web')).toBeUndefined();
  });

  it('accepts fields added by the server and canonical quantities', () => {
    const want = {
      spec: { replicas: 2, resources: { memory: '4096Mi', cpu: '2' } },
      metadata: { labels: { a: '1' } },
    };
    const have = {
      spec: { replicas: 2, resources: { memory: '4Gi', cpu: 2 }, progressDeadlineSeconds: 600 },
      metadata: { labels: { a: '1', extra: 'x' }, uid: 'u' },
      status: { readyReplicas: 2 },
    };
    expect(contains(have, want)).toBe(true);
  });

  it('takes an empty list as applied when the API server left it out, but not an empty object', () => {
    // Built-in kinds drop empty lists (omitempty); an empty object such as KubeVirt's
    // `masquerade: {}` is kept, and means something.
    const want = { spec: { containers: [{ name: 'app', env: [] }] }, ingress: [] };
    expect(contains({ spec: { containers: [{ name: 'app' }] } }, want)).toBe(true);
    expect(contains({ spec: { containers: [{ name: 'app', env: [{ name: 'A' }] }] } }, want)).toBe(false);
    expect(
      contains({ interfaces: [{ name: 'default' }] }, { interfaces: [{ name: 'default', masquerade: {} }] }),
    ).toBe(false);
  });

  it('sees a changed value, a missing field and a changed list', () => {
    expect(contains({ spec: { replicas: 3 } }, { spec: { replicas: 2 } })).toBe(false);
    expect(contains({ spec: {} }, { spec: { replicas: 2 } })).toBe(false);
    expect(contains({ ports: [{ port: 80 }, { port: 81 }] }, { ports: [{ port: 80 }] })).toBe(false);
    expect(contains({ env: [{ name: 'A', value: '2' }] }, { env: [{ name: 'A', value: '1' }] })).toBe(false);
    expect(contains({ labels: { a: 'x' } }, { labels: { a: '1' } })).toBe(false);
  });
});
