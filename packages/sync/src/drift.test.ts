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

  // A wanted `{}` where the server filled in defaults is applied; a label selector is compared whole.
  it.each([
    ['a struct the server filled in', { strategy: {} }, { strategy: { type: 'RollingUpdate' } }, true],
    ['an empty struct kept empty', { securityContext: {} }, { securityContext: {} }, true],
    ['an empty selector over an empty one', { podSelector: {} }, { podSelector: {} }, true],
    [
      'an empty selector over live matchLabels',
      { podSelector: {} },
      { podSelector: { matchLabels: { app: 'web' } } },
      false,
    ],
    [
      'an empty selector over live matchExpressions',
      { podSelector: {} },
      { podSelector: { matchExpressions: [{ key: 'a', operator: 'Exists' }] } },
      false,
    ],
    [
      'an empty selector over empty requirements the server left out',
      { podSelector: {} },
      { podSelector: { matchLabels: {}, matchExpressions: [] } },
      true,
    ],
    [
      'no expressions over none (omitted)',
      { podSelector: { matchExpressions: [] } },
      { podSelector: {} },
      true,
    ],
    [
      'the same labels',
      { selector: { matchLabels: { app: 'web' } } },
      { selector: { matchLabels: { app: 'web' } } },
      true,
    ],
    [
      'a label the live selector has and we do not set',
      { selector: { matchLabels: { app: 'web' } } },
      { selector: { matchLabels: { app: 'web', tier: 'front' } } },
      false,
    ],
    [
      'labels where the live selector has expressions',
      { selector: { matchLabels: { app: 'web' } } },
      { selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'a', operator: 'Exists' }] } },
      false,
    ],
    [
      'the same expressions, values in order',
      { selector: { matchExpressions: [{ key: 'id', operator: 'NotIn', values: ['a', 'b'] }] } },
      { selector: { matchExpressions: [{ key: 'id', operator: 'NotIn', values: ['a', 'b'] }] } },
      true,
    ],
    [
      'a changed expression',
      { selector: { matchExpressions: [{ key: 'id', operator: 'NotIn', values: ['a'] }] } },
      { selector: { matchExpressions: [{ key: 'id', operator: 'NotIn', values: ['a', 'b'] }] } },
      false,
    ],
    [
      'peers: an empty namespace selector (every namespace) over a narrowed one',
      { from: [{ namespaceSelector: {} }] },
      { from: [{ namespaceSelector: { matchLabels: { team: 'a' } } }] },
      false,
    ],
  ])('%s → contained: %s', (_what, want, have, expected) => {
    expect(contains(have, want)).toBe(expected);
  });
});
