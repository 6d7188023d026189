import { projectsRepository, quotasRepository, type ProjectRow } from '@uncloud/db';
import {
  baselinePolicyManifest,
  isolationPolicyManifest,
  type KubeObject,
  namespaceManifest,
  resourceQuotaManifest,
} from '@uncloud/kube';
import { statusOf } from './status.ts';
import { type KindReconciler, firstOf } from './types.ts';

/**
 * A project is its namespace, the isolation policies (the baseline and the one admitting the
 * project's own pods to all but firewalled droplets and apps) and the ResourceQuota of its quota row.
 */
/**
 * What Kubernetes counts against the project's quota (`status.used`), as JSON with sorted keys so
 * that the same usage always reads the same; null before the quota controller has counted.
 */
export const quotaUsedOf = (quota: KubeObject | undefined): string | null => {
  const used = statusOf(quota, 'ResourceQuota').used;
  if (!used) return null;
  return JSON.stringify(Object.fromEntries(Object.entries(used).sort(([a], [b]) => a.localeCompare(b))));
};

export const projectReconciler: KindReconciler<ProjectRow> = {
  kind: 'project',
  ownedKinds: ['Namespace', 'NetworkPolicy', 'ResourceQuota'],
  runtimeKinds: [],
  find: (db, id) => projectsRepository.find(db, id),
  all: (db) => projectsRepository.all(db),
  namespaceOf: () => undefined,

  desired(lookup, row) {
    const quota = lookup.quota(row.id);
    const project = { id: row.id, name: row.name };
    return {
      objects: [
        namespaceManifest(project),
        baselinePolicyManifest(project),
        isolationPolicyManifest(project, lookup.firewalled(row.id)),
        ...(quota ? [resourceQuotaManifest(project, quota)] : []),
      ],
    };
  },

  observe(_row, objects) {
    const namespace = firstOf(objects, 'Namespace');
    const active = namespace !== undefined && statusOf(namespace, 'Namespace').phase === 'Active';
    return {
      state: active ? 'active' : 'provisioning',
      values: {
        namespace: active ? namespace.metadata.name : null,
        quotaUsed: quotaUsedOf(firstOf(objects, 'ResourceQuota')),
      },
    };
  },

  record(db, id, values) {
    projectsRepository.recordSync(db, id, values);
    const quota = quotasRepository.find(db, id);
    // The quota is applied with its project: its row follows the project's observation.
    if (quota) {
      quotasRepository.recordSync(db, id, {
        ...(values.state ? { state: values.state } : {}),
        observedGeneration: quota.generation,
        observedAt: values.observedAt,
        syncError: values.syncError,
      });
    }
  },

  remove: (db, id) => void projectsRepository.remove(db, id),
  touch: (db, ids, at) => projectsRepository.touchObserved(db, ids, at),
};
