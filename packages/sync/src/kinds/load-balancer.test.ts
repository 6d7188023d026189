import type { LoadBalancerRow } from '@uncloud/db';
import type { KubeObject } from '@uncloud/kube';
import { DropletId, LoadBalancerId } from '@uncloud/sdk';
import { describe, expect, it } from 'vitest';
import { fakeLookup, ids, settings } from '../test-support/rows.ts';
import { loadBalancerReconciler, targetDropletIds } from './load-balancer.ts';

const other = DropletId.parse('dpl_iiiiiiiiiiiiiiiiiiii');
const at = new Date('2025-01-01T00:00:00Z');

const lbRow = (patch: Partial<LoadBalancerRow> = {}): LoadBalancerRow => ({
  id: LoadBalancerId.parse('lb_jjjjjjjjjjjjjjjjjjjj'),
  projectId: ids.project,
  name: 'front',
  forwardingRules: [{ entryProtocol: 'http', entryPort: 80, targetPort: 8080, hostname: null }],
  healthCheck: {
    protocol: 'http',
    port: 8080,
    path: '/healthz',
    intervalSeconds: 10,
    timeoutSeconds: 5,
    healthyThreshold: 3,
    unhealthyThreshold: 3,
  },
  dropletIds: [ids.droplet, other],
  tag: null,
  stickySessions: false,
  tlsCertificate: null,
  redirectHttpToHttps: false,
  state: 'pending',
  address: null,
  healthy: [],
  targetHealth: {
    [ids.droplet]: {
      healthy: true,
      reason: 'HTTP 200 from /healthz',
      since: at.toISOString(),
      streak: 1,
      lastOk: true,
    },
  },
  generation: 1,
  observedGeneration: 0,
  observedAt: null,
  syncError: null,
  createdAt: at,
  updatedAt: at,
  deletedAt: null,
  ...patch,
});

const objectsOf = (desired: ReturnType<typeof loadBalancerReconciler.desired>) =>
  'objects' in desired ? desired.objects : [];
const endpointsOf = (objects: KubeObject[]) =>
  (
    objects.find((o) => o.kind === 'EndpointSlice') as unknown as {
      endpoints: { addresses: string[]; conditions: { ready: boolean }; targetRef: { name: string } }[];
    }
  ).endpoints;

describe('load balancer desired', () => {
  it('waits for the project namespace', () => {
    expect(loadBalancerReconciler.desired(fakeLookup({ namespaceReady: false }), lbRow(), settings)).toEqual({
      waitingFor: "the project's namespace",
    });
  });

  it.each([
    [
      'a running droplet is a ready endpoint',
      { ip: '10.42.0.5', state: 'active' },
      [{ ip: '10.42.0.5', ready: true }],
    ],
    [
      'a stopped droplet keeps its address, not ready',
      { ip: '10.42.0.5', state: 'stopped' },
      [{ ip: '10.42.0.5', ready: false }],
    ],
    ['a droplet without an address is left out', { ip: null, state: 'pending' }, []],
  ])('%s', (_name, droplet, expected) => {
    const objects = objectsOf(
      loadBalancerReconciler.desired(fakeLookup({ droplets: { [ids.droplet]: droplet } }), lbRow(), settings),
    );
    expect(endpointsOf(objects).map((e) => ({ ip: e.addresses[0], ready: e.conditions.ready }))).toEqual(
      expected,
    );
  });

  it.each([
    ['failing its health check', { healthy: false, reason: 'HTTP 503 from /healthz' }],
    ['not checked yet', undefined],
  ])('a running droplet %s is not a ready endpoint', (_name, health) => {
    const row = lbRow({
      targetHealth: health
        ? { [ids.droplet]: { ...health, since: at.toISOString(), streak: 3, lastOk: false } }
        : {},
    });
    const objects = objectsOf(
      loadBalancerReconciler.desired(
        fakeLookup({ droplets: { [ids.droplet]: { ip: '10.42.0.5', state: 'active' } } }),
        row,
        settings,
      ),
    );
    expect(endpointsOf(objects).map((e) => e.conditions.ready)).toEqual([false]);
  });

  it('serves a hostname rule through an Ingress as well', () => {
    const row = lbRow({
      forwardingRules: [
        { entryProtocol: 'http', entryPort: 80, targetPort: 8080, hostname: 'shop.example.com' },
      ],
    });
    const objects = objectsOf(loadBalancerReconciler.desired(fakeLookup({}), row, settings));
    expect(objects.find((o) => o.kind === 'Ingress')?.spec).toMatchObject({
      rules: [{ host: 'shop.example.com' }],
    });
  });

  it('sends to the droplets of its tag, not to apps carrying it', () => {
    const row = lbRow({ dropletIds: [], tag: 'web' });
    const tags = { web: [ids.droplet, ids.app, other] };
    expect(targetDropletIds(row, tags)).toEqual([ids.droplet, other]);
    const objects = objectsOf(
      loadBalancerReconciler.desired(
        fakeLookup({
          tags,
          droplets: {
            [ids.droplet]: { ip: '10.42.0.5', state: 'active' },
            [other]: { ip: '10.42.0.6', state: 'active' },
          },
        }),
        row,
        settings,
      ),
    );
    expect(endpointsOf(objects).map((e) => e.targetRef.name)).toEqual([
      'dpl-bbbbbbbbbbbbbbbbbbbb',
      'dpl-iiiiiiiiiiiiiiiiiiii',
    ]);
  });
});

describe('load balancer observe', () => {
  const service = (ip?: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'lb-jjjjjjjjjjjjjjjjjjjj' },
    status: { loadBalancer: ip ? { ingress: [{ ip }] } : {} },
  });
  const slice = (ready: Record<string, boolean>): KubeObject => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'lb-jjjjjjjjjjjjjjjjjjjj' },
    endpoints: Object.entries(ready).map(([id, isReady]) => ({
      addresses: ['10.42.0.5'],
      conditions: { ready: isReady },
      targetRef: { kind: 'VirtualMachineInstance', name: id.replace('_', '-') },
    })),
  });

  it.each([
    ['no address yet: pending', [service()], 'pending', null, []],
    ['an address: active', [service('198.51.100.10'), slice({})], 'active', '198.51.100.10', []],
    [
      'ready endpoints are healthy targets',
      [service('198.51.100.10'), slice({ [ids.droplet]: true, [other]: false })],
      'active',
      '198.51.100.10',
      [ids.droplet],
    ],
  ] as const)('%s', (_name, objects, state, address, healthy) => {
    expect(loadBalancerReconciler.observe(lbRow(), [...objects])).toEqual({
      state,
      values: { address, healthy },
    });
  });

  it('reads the health of a tag target from the endpoints it lists', () => {
    const row = lbRow({ dropletIds: [], tag: 'web' });
    expect(
      loadBalancerReconciler.observe(row, [
        service('198.51.100.11'),
        slice({ [other]: true, [ids.droplet]: false }),
      ]).values.healthy,
    ).toEqual([other]);
  });
});
