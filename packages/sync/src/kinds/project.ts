import { projectsRepository, quotasRepository, type ProjectRow } from '@uncloud/db';
import { isolationPolicyManifest, namespaceManifest, resourceQuotaManifest } from '@uncloud/kube';
import { statusOf } from './status.ts';
import { type KindReconciler, firstOf } from './types.ts';

/** A project is its namespace, the isolation policy and the ResourceQuota of its quota row. */
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
        isolationPolicyManifest(project),
        ...(quota ? [resourceQuotaManifest(project, quota)] : []),
      ],
    };
  },

  observe(_row, objects) {
    const namespace = firstOf(objects, 'Namespace');
    const active = namespace !== undefined && statusOf(namespace, 'Namespace').phase === 'Active';
    return {
      state: active ? 'active' : 'provisioning',
      values: { namespace: active ? namespace.metadata.name : null },
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
