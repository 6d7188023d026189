import type { V1Namespace, V1ResourceQuota } from '@kubernetes/client-node';
import type { Project, QuotaLimits } from '@uncloud/sdk';
import { MANAGED_BY, MANAGER, type KubeObject, namespaceName, ownerLabels } from './meta.ts';

export type ProjectIntent = Pick<Project, 'id' | 'name'>;

export const ISOLATION_POLICY = 'uncloud-project-isolation';
export const QUOTA_NAME = 'uncloud-quota';

/** The namespace a project runs in. */
export const namespaceManifest = (project: ProjectIntent): V1Namespace & KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: {
    name: namespaceName(project.id),
    labels: ownerLabels({ kind: 'project', id: project.id, projectId: project.id, name: project.name }),
  },
});

/**
 * Default isolation: pods of a project accept traffic from their own namespace and from namespaces
 * Uncloud does not manage (ingress controllers, monitoring), never from other projects.
 */
// Manifests are wire-format JSON: typed with client-node's models only where their field names match.
export const isolationPolicyManifest = (project: ProjectIntent): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: {
    name: ISOLATION_POLICY,
    namespace: namespaceName(project.id),
    labels: ownerLabels({ kind: 'project', id: project.id, projectId: project.id, name: project.name }),
  },
  spec: {
    podSelector: {},
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [
          { podSelector: {} },
          {
            namespaceSelector: {
              matchExpressions: [{ key: MANAGED_BY, operator: 'NotIn', values: [MANAGER] }],
            },
          },
        ],
      },
    ],
  },
});

/**
 * The project's quota as Kubernetes enforces it: VM and deployment counts, the CPU and memory that
 * droplets request, and claimed storage.
 */
export const resourceQuotaManifest = (
  project: ProjectIntent,
  limits: QuotaLimits,
): V1ResourceQuota & KubeObject => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: {
    name: QUOTA_NAME,
    namespace: namespaceName(project.id),
    labels: ownerLabels({ kind: 'quota', id: project.id, projectId: project.id, name: project.name }),
  },
  spec: {
    hard: {
      'count/virtualmachines.kubevirt.io': String(limits.droplets),
      'requests.cpu': String(limits.vcpus),
      'requests.memory': `${limits.memoryMiB}Mi`,
      'requests.storage': `${limits.volumeGiB}Gi`,
      'count/deployments.apps': String(limits.apps),
      'count/clusters.postgresql.cnpg.io': String(limits.databases),
    },
  },
});
