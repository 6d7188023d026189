import type { V1Namespace, V1ResourceQuota } from '@kubernetes/client-node';
import type { Project, QuotaLimits } from '@uncloud/sdk';
import { MANAGED_BY, MANAGER, RESOURCE_ID, type KubeObject, namespaceName, ownerLabels } from './meta.ts';

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

/** Isolates every pod of the project for ingress and admits nothing by itself (fail closed). */
export const BASELINE_POLICY = 'uncloud-project-baseline';

const policyMeta = (project: ProjectIntent, name: string) => ({
  name,
  namespace: namespaceName(project.id),
  labels: ownerLabels({ kind: 'project', id: project.id, projectId: project.id, name: project.name }),
});

/**
 * Ingress isolation of a project is two NetworkPolicies whose union is what a pod accepts. This one
 * selects every pod and admits nothing, so a pod is never left open while the other changes (a pod
 * that no policy selects accepts everything).
 */
// Manifests are wire-format JSON: typed with client-node's models only where their field names match.
export const baselinePolicyManifest = (project: ProjectIntent): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: policyMeta(project, BASELINE_POLICY),
  spec: { podSelector: {}, policyTypes: ['Ingress'] },
});

/**
 * The isolation policy admits the project's own pods and namespaces Uncloud does not manage
 * (ingress controllers, monitoring), never other projects — to every pod except the droplets and
 * apps a firewall applies to (`firewalled`), which accept only what their firewalls allow.
 * NetworkPolicies add up (and Cilium adds them to its own policies), so leaving those pods out is
 * the only way their firewall can refuse same-project traffic.
 */
export const isolationPolicyManifest = (
  project: ProjectIntent,
  firewalled: readonly string[] = [],
): KubeObject => {
  const excluded = [...new Set(firewalled)].sort();
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: policyMeta(project, ISOLATION_POLICY),
    spec: {
      // NotIn also matches pods without the label (database instances, for example). With nothing
      // to leave out, the empty selector selects every pod (and the sync engine reads `{}` over a
      // live requirement as drift: selectors are compared whole).
      podSelector:
        excluded.length > 0
          ? { matchExpressions: [{ key: RESOURCE_ID, operator: 'NotIn', values: excluded }] }
          : {},
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
  };
};

/**
 * The project's quota as Kubernetes enforces it: VM, Deployment and database counts, the CPU and
 * memory every pod requests (VM launcher pods, app replicas, database instances) and the storage
 * every claim requests (volumes, database disks). Databases are two objects in Kubernetes terms
 * (CloudNativePG Clusters, and StatefulSets for MySQL and Valkey), each bounded by the limit; the
 * API holds their sum to it.
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
      'count/statefulsets.apps': String(limits.databases),
      // Kubernetes counts every LoadBalancer Service here: the load balancers', and each droplet's
      // own public address (one per droplet). The API holds load balancers to their limit; the
      // cluster's ceiling is the sum, so it never refuses what the API allowed.
      'services.loadbalancers': String(limits.loadBalancers + limits.droplets + limits.reservedIps),
    },
  },
});
