import { describe, expect, it } from 'vitest';
import { defaultQuotaLimits } from '@uncloud/sdk';
import { projectId } from './fixtures.test-data.ts';
import {
  baselinePolicyManifest,
  isolationPolicyManifest,
  namespaceManifest,
  resourceQuotaManifest,
} from './project.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const project = { id: projectId as never, name: 'shop' };

describe('project → Namespace, isolation policy, ResourceQuota', () => {
  it('gives the project its own labelled namespace', () => {
    expect(namespaceManifest(project)).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'uc-proj-0123456789abcdefghij',
        labels: {
          'app.kubernetes.io/managed-by': 'uncloud',
          'uncloud.dev/kind': 'project',
          'uncloud.dev/resource-id': projectId,
          'uncloud.dev/project-id': projectId,
          'uncloud.dev/name': 'shop',
        },
      },
    });
  });

  it("admits traffic from the project's own pods and from unmanaged namespaces, never other projects", () => {
    const policy = isolationPolicyManifest(project) as Json;
    expect(policy.metadata.namespace).toBe('uc-proj-0123456789abcdefghij');
    expect(policy.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            { podSelector: {} },
            {
              namespaceSelector: {
                matchExpressions: [
                  { key: 'app.kubernetes.io/managed-by', operator: 'NotIn', values: ['uncloud'] },
                ],
              },
            },
          ],
        },
      ],
    });
  });

  it('isolates every pod by a baseline that admits nothing, so a pod is never left open', () => {
    expect((baselinePolicyManifest(project) as Json).spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
    });
  });

  it('leaves the droplets and apps a firewall applies to out of the namespace-wide admission', () => {
    const policy = isolationPolicyManifest(project, ['dpl_b', 'app_a', 'dpl_b']) as Json;
    expect(policy.spec.podSelector).toEqual({
      matchExpressions: [{ key: 'uncloud.dev/resource-id', operator: 'NotIn', values: ['app_a', 'dpl_b'] }],
    });
  });

  it('carries every quota figure with its unit', () => {
    const quota = resourceQuotaManifest(project, {
      ...defaultQuotaLimits,
      droplets: 7,
      vcpus: 12,
      memoryMiB: 6144,
      volumeGiB: 250,
      apps: 4,
      databases: 2,
      loadBalancers: 3,
      reservedIps: 2,
    }) as Json;
    expect(quota.spec.hard).toEqual({
      'count/virtualmachines.kubevirt.io': '7',
      'requests.cpu': '12',
      'requests.memory': '6144Mi',
      'requests.storage': '250Gi',
      'count/deployments.apps': '4',
      'count/clusters.postgresql.cnpg.io': '2',
      'count/statefulsets.apps': '2',
      // Load balancers, reserved IPs and each droplet's own address are LoadBalancer Services.
      'services.loadbalancers': '12',
    });
    expect(quota.metadata.labels['uncloud.dev/kind']).toBe('quota');
  });
});
