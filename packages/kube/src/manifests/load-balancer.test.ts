import { describe, expect, it } from 'vitest';
import {
  type LoadBalancerIntent,
  loadBalancerEndpointsManifest,
  loadBalancerManifests,
  loadBalancerServiceManifest,
} from './load-balancer.ts';

const lb = (patch: Partial<LoadBalancerIntent> = {}): LoadBalancerIntent => ({
  id: 'lb_jjjjjjjjjjjjjjjjjjjj' as LoadBalancerIntent['id'],
  projectId: 'proj_aaaaaaaaaaaaaaaaaaaa' as LoadBalancerIntent['projectId'],
  name: 'front',
  forwardingRules: [{ entryProtocol: 'tcp', entryPort: 22, targetPort: 22 }],
  healthCheck: {
    protocol: 'tcp',
    port: 22,
    path: null,
    intervalSeconds: 10,
    healthyThreshold: 3,
    unhealthyThreshold: 3,
  },
  stickySessions: false,
  ...patch,
});

describe('load balancer Service', () => {
  it.each([
    [
      'tcp',
      { entryProtocol: 'tcp', entryPort: 22, targetPort: 2222 },
      { name: 'tcp-22', protocol: 'TCP', port: 22, targetPort: 2222 },
    ],
    [
      'udp',
      { entryProtocol: 'udp', entryPort: 53, targetPort: 53 },
      { name: 'udp-53', protocol: 'UDP', port: 53, targetPort: 53 },
    ],
    [
      'http is TCP that says so',
      { entryProtocol: 'http', entryPort: 80, targetPort: 8080 },
      { name: 'http-80', protocol: 'TCP', port: 80, targetPort: 8080, appProtocol: 'http' },
    ],
    [
      'https is TCP that says so',
      { entryProtocol: 'https', entryPort: 443, targetPort: 8443 },
      { name: 'https-443', protocol: 'TCP', port: 443, targetPort: 8443, appProtocol: 'https' },
    ],
  ] as const)('forwards %s', (_name, rule, port) => {
    expect(loadBalancerServiceManifest(lb({ forwardingRules: [rule] })).spec?.ports).toEqual([port]);
  });

  it('is a LoadBalancer without a selector, in the project namespace', () => {
    const service = loadBalancerServiceManifest(lb());
    expect(service.metadata).toMatchObject({
      name: 'lb-jjjjjjjjjjjjjjjjjjjj',
      namespace: 'uc-proj-aaaaaaaaaaaaaaaaaaaa',
      labels: { 'uncloud.dev/resource-id': 'lb_jjjjjjjjjjjjjjjjjjjj', 'uncloud.dev/kind': 'loadBalancer' },
    });
    expect(service.spec?.type).toBe('LoadBalancer');
    expect(service.spec?.selector).toBeUndefined();
  });

  it.each([
    [false, 'None'],
    [true, 'ClientIP'],
  ])('sticky sessions %s: session affinity %s', (stickySessions, affinity) => {
    expect(loadBalancerServiceManifest(lb({ stickySessions })).spec?.sessionAffinity).toBe(affinity);
  });

  it('carries its health check', () => {
    const annotations = loadBalancerServiceManifest(lb()).metadata.annotations ?? {};
    expect(JSON.parse(annotations['uncloud.dev/health-check']!)).toMatchObject({ protocol: 'tcp', port: 22 });
  });
});

describe('load balancer EndpointSlice', () => {
  const backends = [
    { dropletId: 'dpl_iiiiiiiiiiiiiiiiiiii', ip: '10.42.0.6', ready: false },
    { dropletId: 'dpl_bbbbbbbbbbbbbbbbbbbb', ip: '10.42.0.5', ready: true },
    { dropletId: 'dpl_kkkkkkkkkkkkkkkkkkkk', ip: null, ready: false },
  ];

  it("belongs to the Service, managed by Uncloud so Kubernetes' controller leaves it alone", () => {
    expect(loadBalancerEndpointsManifest(lb(), backends).metadata.labels).toMatchObject({
      'kubernetes.io/service-name': 'lb-jjjjjjjjjjjjjjjjjjjj',
      'endpointslice.kubernetes.io/managed-by': 'uncloud.dev',
    });
  });

  it('lists the targets with an address, ready as their droplets are, by their VMI', () => {
    expect(loadBalancerEndpointsManifest(lb(), backends).endpoints).toEqual([
      {
        addresses: ['10.42.0.5'],
        conditions: { ready: true, serving: true, terminating: false },
        targetRef: {
          kind: 'VirtualMachineInstance',
          namespace: 'uc-proj-aaaaaaaaaaaaaaaaaaaa',
          name: 'dpl-bbbbbbbbbbbbbbbbbbbb',
        },
      },
      {
        addresses: ['10.42.0.6'],
        conditions: { ready: false, serving: false, terminating: false },
        targetRef: {
          kind: 'VirtualMachineInstance',
          namespace: 'uc-proj-aaaaaaaaaaaaaaaaaaaa',
          name: 'dpl-iiiiiiiiiiiiiiiiiiii',
        },
      },
    ]);
  });

  it("names its ports as the Service's, at the target ports", () => {
    const rules = [{ entryProtocol: 'http', entryPort: 80, targetPort: 8080 }] as const;
    expect(loadBalancerEndpointsManifest(lb({ forwardingRules: [...rules] }), backends).ports).toEqual([
      { name: 'http-80', protocol: 'TCP', port: 8080 },
    ]);
  });
});

describe('load balancer NetworkPolicy', () => {
  const backends = [
    { dropletId: 'dpl_bbbbbbbbbbbbbbbbbbbb', ip: '10.42.0.5', ready: true },
    { dropletId: 'dpl_iiiiiiiiiiiiiiiiiiii', ip: '10.42.0.6', ready: true },
  ];
  const rules = [
    { entryProtocol: 'http', entryPort: 80, targetPort: 8080 },
    { entryProtocol: 'https', entryPort: 443, targetPort: 8080 },
    { entryProtocol: 'udp', entryPort: 53, targetPort: 53 },
  ] as const;
  const policyOf = (firewalled: string[]) =>
    loadBalancerManifests(lb({ forwardingRules: [...rules] }), backends, firewalled).find(
      (o) => o.kind === 'NetworkPolicy',
    );

  it('admits the internet to the target ports of the targets without a firewall, each port once', () => {
    expect(policyOf(['dpl_iiiiiiiiiiiiiiiiiiii'])?.spec).toEqual({
      podSelector: {
        matchLabels: { 'kubevirt.io': 'virt-launcher' },
        matchExpressions: [
          { key: 'uncloud.dev/resource-id', operator: 'In', values: ['dpl_bbbbbbbbbbbbbbbbbbbb'] },
        ],
      },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }],
          ports: [
            { protocol: 'TCP', port: 8080 },
            { protocol: 'UDP', port: 53 },
          ],
        },
      ],
    });
  });

  it('is not written when a firewall applies to every target', () => {
    expect(policyOf(['dpl_bbbbbbbbbbbbbbbbbbbb', 'dpl_iiiiiiiiiiiiiiiiiiii'])).toBeUndefined();
  });
});
