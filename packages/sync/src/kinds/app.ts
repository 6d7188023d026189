import { type AppRow, appsRepository } from '@uncloud/db';
import { appManifests, namespaceName, objectName } from '@uncloud/kube';
import { refusalSentence } from './refusal.ts';
import { statusOf } from './status.ts';
import { waitingForNamespace, type KindReconciler, firstOf } from './types.ts';

/**
 * An app is a Deployment, a Service, (with domains) an Ingress and (with a private image) an image
 * pull Secret; readiness comes from the Deployment.
 */
export const appReconciler: KindReconciler<AppRow> = {
  kind: 'app',
  ownedKinds: ['Deployment', 'Service', 'Ingress', 'Secret'],
  runtimeKinds: [],
  find: (db, id) => appsRepository.byId(db, id),
  all: (db) => appsRepository.all(db),
  namespaceOf: (row) => namespaceName(row.projectId),

  desired(lookup, row, settings) {
    if (!lookup.namespaceReady(row.projectId)) return waitingForNamespace;
    return {
      objects: appManifests(
        {
          id: row.id,
          projectId: row.projectId,
          name: row.name,
          image: row.image,
          port: row.port,
          replicas: row.replicas,
          env: row.env,
          domains: row.domains,
          healthCheckPath: row.healthCheckPath,
          restartedAt: row.restartedAt,
          pullCredential: settings.pullCredentialFor?.(row.projectId, row.image),
          // A database being deleted is left out: its Secret is going too.
          databases: row.databases.flatMap(({ databaseId, envPrefix }) => {
            const database = lookup.database(row.projectId, databaseId);
            return database
              ? [
                  {
                    id: databaseId,
                    engine: database.engine,
                    envPrefix,
                    passwordRevision: database.activePasswordRevision,
                  },
                ]
              : [];
          }),
        },
        { ingressClass: settings.ingressClass },
      ),
    };
  },

  observe(row, objects) {
    const deployment = firstOf(objects, 'Deployment');
    const status = statusOf(deployment, 'Deployment');
    const ready = status.readyReplicas ?? 0;
    const available = status.availableReplicas ?? 0;
    const updated = status.updatedReplicas ?? 0;
    const caughtUp =
      deployment !== undefined && (status.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 1);
    const rolledOut =
      caughtUp &&
      ready >= row.replicas &&
      updated >= row.replicas &&
      // Old replicas still terminating mean the rollout has not finished.
      (status.replicas ?? 0) <= row.replicas;
    const host = row.domains[0];
    // The ReplicaSet could not create pods (the deployment controller copies its ReplicaFailure):
    // nothing comes up until that changes, so say why instead of provisioning forever.
    const refused = (status.conditions ?? []).find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
    const error = !rolledOut && refused ? refusalSentence('app', refused.message) : undefined;
    return {
      ...(error ? { error } : {}),
      state: error ? 'error' : rolledOut ? 'active' : 'provisioning',
      values: {
        readyReplicas: deployment ? ready : null,
        availableReplicas: deployment ? available : null,
        updatedReplicas: deployment ? updated : null,
        url: host
          ? `http://${host}`
          : `http://${objectName(row.id)}.${namespaceName(row.projectId)}.svc.cluster.local`,
      },
    };
  },

  record: (db, id, values) => appsRepository.recordSync(db, id, values),
  remove: (db, id) => void appsRepository.remove(db, id),
  touch: (db, ids, at) => appsRepository.touchObserved(db, ids, at),
};
