import { describe, expect, it } from 'vitest';
import { defaultIngressSettings } from './load-balancer-ingress.ts';
import {
  type LoadBalancerIntent,
  loadBalancerEndpointsManifest,
  loadBalancerManifests,
  loadBalancerServiceManifest,
} from './load-balancer.ts';

const settings = { ingress: defaultIngressSettings, checkerNamespace: undefined };

const lb = (
  patch: Partial<Parameters<typeof loadBalancerManifests>[0]> = {},
): Parameters<typeof loadBalancerManifests>[0] => ({
  id: 'lb_jjjjjjjjjjjjjjjjjjjj' as LoadBalancerIntent['id'],
  projectId: 'proj_aaaaaaaaaaaaaaaaaaaa' as LoadBalancerIntent['projectId'],
  name: 'front',
  forwardingRules: [{ entryProtocol: 'tcp', entryPort: 22, targetPort: 22, hostname: null }],
  healthCheck: {
    protocol: 'tcp',
    port: 22,
    path: null,
    intervalSeconds: 10,
    timeoutSeconds: 5,
    healthyThreshold: 3,
    unhealthyThreshold: 3,
  },
  stickySessions: false,
  tlsCertificate: null,
  redirectHttpToHttps: false,
  ...patch,
});

describe('load balancer Service', () => {
  it.each([
    [
      'tcp',
      { entryProtocol: 'tcp', entryPort: 22, targetPort: 2222, hostname: null },
      { name: 'tcp-22', protocol: 'TCP', port: 22, targetPort: 2222 },
    ],
    [
      'udp',
      { entryProtocol: 'udp', entryPort: 53, targetPort: 53, hostname: null },
      { name: 'udp-53', protocol: 'UDP', port: 53, targetPort: 53 },
    ],
    [
      'http is TCP that says so',
      { entryProtocol: 'http', entryPort: 80, targetPort: 8080, hostname: null },
      { name: 'http-80', protocol: 'TCP', port: 80, targetPort: 8080, appProtocol: 'http' },
    ],
    [
      'https is TCP that says so',
      { entryProtocol: 'https', entryPort: 443, targetPort: 8443, hostname: null },
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
    const rules = [{ entryProtocol: 'http', entryPort: 80, targetPort: 8080, hostname: null }] as const;
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
    { entryProtocol: 'http', entryPort: 80, targetPort: 8080, hostname: null },
    { entryProtocol: 'https', entryPort: 443, targetPort: 8080, hostname: null },
    { entryProtocol: 'udp', entryPort: 53, targetPort: 53, hostname: null },
  ] as const;
  const policyOf = (firewalled: string[]) =>
    loadBalancerManifests(lb({ forwardingRules: [...rules] }), backends, firewalled, settings).find(
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

describe('load balancer health check policy', () => {
  const backends = [
    { dropletId: 'dpl_iiiiiiiiiiiiiiiiiiii', ip: '10.42.0.6', ready: false },
    { dropletId: 'dpl_bbbbbbbbbbbbbbbbbbbb', ip: '10.42.0.5', ready: true },
  ];
  const checkPolicy = (checkerNamespace: string | undefined, firewalled: string[] = []) =>
    loadBalancerManifests(lb(), backends, firewalled, { ...settings, checkerNamespace }).find(
      (o) => o.metadata.name === 'lb-jjjjjjjjjjjjjjjjjjjj-health',
    );

  it("lets the checker's namespace in on the check's port of every target, firewalled or not", () => {
    expect(checkPolicy('uncloud', ['dpl_iiiiiiiiiiiiiiiiiiii'])?.spec).toEqual({
      podSelector: {
        matchLabels: { 'kubevirt.io': 'virt-launcher' },
        matchExpressions: [
          {
            key: 'uncloud.dev/resource-id',
            operator: 'In',
            values: ['dpl_bbbbbbbbbbbbbbbbbbbb', 'dpl_iiiiiiiiiiiiiiiiiiii'],
          },
        ],
      },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'uncloud' } } }],
          ports: [{ protocol: 'TCP', port: 22 }],
        },
      ],
    });
  });

  it('is not written when Uncloud runs outside the cluster', () => {
    expect(checkPolicy(undefined)).toBeUndefined();
  });
});

describe('load balancer Ingress', () => {
  const rules = [
    { entryProtocol: 'http', entryPort: 80, targetPort: 8080, hostname: 'shop.example.com' },
    { entryProtocol: 'https', entryPort: 443, targetPort: 8080, hostname: 'shop.example.com' },
    { entryProtocol: 'http', entryPort: 8081, targetPort: 8080, hostname: 'api.example.com' },
    { entryProtocol: 'tcp', entryPort: 22, targetPort: 22, hostname: null },
  ] as const;
  const certificate = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  const privateKey = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';
  const objects = (patch: Parameters<typeof lb>[0] = {}, ingress = defaultIngressSettings) =>
    loadBalancerManifests(lb({ forwardingRules: [...rules], ...patch }), [], [], { ...settings, ingress });
  const ingressOf = (patch: Parameters<typeof lb>[0] = {}, ingress = defaultIngressSettings) =>
    objects(patch, ingress).find((o) => o.kind === 'Ingress');

  it('routes each hostname to the Service on its rule’s port, HTTPS with the TLS Secret', () => {
    const ingress = ingressOf(
      { tlsCertificate: { source: 'uploaded', certificate, privateKey } },
      { ...defaultIngressSettings, className: 'traefik' },
    );
    expect(ingress?.metadata.annotations).toBeUndefined();
    expect(ingress?.spec).toEqual({
      ingressClassName: 'traefik',
      tls: [{ hosts: ['shop.example.com'], secretName: 'lb-jjjjjjjjjjjjjjjjjjjj-tls' }],
      rules: [
        {
          host: 'api.example.com',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'lb-jjjjjjjjjjjjjjjjjjjj', port: { number: 8081 } } },
              },
            ],
          },
        },
        {
          host: 'shop.example.com',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'lb-jjjjjjjjjjjjjjjjjjjj', port: { number: 443 } } },
              },
            ],
          },
        },
      ],
    });
  });

  it('keeps an uploaded certificate in a TLS Secret the load balancer owns', () => {
    const secret = objects({ tlsCertificate: { source: 'uploaded', certificate, privateKey } }).find(
      (o) => o.kind === 'Secret',
    );
    expect(secret).toMatchObject({
      metadata: { name: 'lb-jjjjjjjjjjjjjjjjjjjj-tls', labels: { 'uncloud.dev/kind': 'loadBalancer' } },
      type: 'kubernetes.io/tls',
      data: {
        'tls.crt': Buffer.from(certificate).toString('base64'),
        'tls.key': Buffer.from(privateKey).toString('base64'),
      },
    });
  });

  it('asks cert-manager for the certificate, and redirects HTTP when asked, as configured', () => {
    const ingress = ingressOf(
      { tlsCertificate: { source: 'cert-manager' }, redirectHttpToHttps: true },
      { ...defaultIngressSettings, certManagerIssuer: 'acme', redirectAnnotations: { 'x/redirect': 'true' } },
    );
    expect(ingress?.metadata.annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'acme',
      'x/redirect': 'true',
    });
    expect(objects({ tlsCertificate: { source: 'cert-manager' } }).some((o) => o.kind === 'Secret')).toBe(
      false,
    );
  });

  it('is not written without a hostname', () => {
    const plain = loadBalancerManifests(lb(), [], [], settings);
    expect(plain.map((o) => o.kind)).toEqual(['Service', 'EndpointSlice']);
  });
});
