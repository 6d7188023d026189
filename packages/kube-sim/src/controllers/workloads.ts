// Simulated apps/v1 controllers: ReplicaSet → Pods, and StatefulSet → ordered Pods (with their
// volume claims), writing status as the real controllers do. The Deployment's is in deployment.ts.
import { clone, controllerOf, ownerRef, randomSuffix } from '../meta.ts';
import type { ObjectApi } from '../object-api.ts';
import type { StoredObject } from '../types.ts';
import { templateHash } from './deployment-util.ts';
import { objKey, splitKey, type Controller } from './manager.ts';
import {
  createIgnoringExists,
  deleteIgnoringMissing,
  emitEvent,
  isReady,
  mustType,
  withCondition,
  writeStatus,
  type Condition,
} from './util.ts';

export { deploymentController } from './deployment.ts';

function controlled(api: ObjectApi, typeKey: string, owner: StoredObject): StoredObject[] {
  return api.store
    .list(typeKey, owner.metadata.namespace)
    .filter((o) => controllerOf(o)?.uid === owner.metadata.uid);
}

function ownerKeys(e: { object: StoredObject }, kind: string, typeKey: string): string[] {
  const ref = controllerOf(e.object);
  return ref?.kind === kind ? [objKey(typeKey, e.object.metadata.namespace, ref.name)] : [];
}

function podFromTemplate(
  owner: StoredObject,
  name: string,
  extraLabels: Record<string, string> = {},
): StoredObject {
  const template = clone(owner.spec?.template ?? {});
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      labels: { ...template.metadata?.labels, ...extraLabels },
      annotations: template.metadata?.annotations,
      ownerReferences: [ownerRef(owner)],
    },
    spec: template.spec,
  };
}

export const replicaSetController: Controller = {
  name: 'replicaset',
  keysFor(e) {
    if (e.typeKey === 'apps/replicasets')
      return [objKey(e.typeKey, e.object.metadata.namespace, e.object.metadata.name)];
    if (e.typeKey === '/pods') return ownerKeys(e, 'ReplicaSet', 'apps/replicasets');
    return [];
  },
  reconcile(key, { api }) {
    const rsType = mustType(api, 'apps/replicasets');
    const podType = mustType(api, '/pods');
    const { namespace, name } = splitKey(key);
    const rs = api.find(rsType, namespace, name);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const desired: number = rs.spec?.replicas ?? 1;
    let pods = controlled(api, '/pods', rs).filter((p) => !p.metadata.deletionTimestamp);
    let failure: string | undefined;
    for (let i = pods.length; i < desired; i++) {
      try {
        const pod = api.create(podType, namespace, podFromTemplate(rs, `${name}-${randomSuffix()}`));
        emitEvent(api, rs, 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, 'replicaset-controller');
      } catch (e) {
        failure = (e as Error).message;
        emitEvent(api, rs, 'FailedCreate', `Error creating: ${failure}`, 'replicaset-controller', 'Warning');
        break;
      }
    }
    if (pods.length > desired) {
      const victims = [...pods]
        .sort((a, b) => Number(isReady(a)) - Number(isReady(b)))
        .slice(0, pods.length - desired);
      for (const p of victims) {
        deleteIgnoringMissing(api, podType, p);
        emitEvent(api, rs, 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, 'replicaset-controller');
      }
    }
    pods = controlled(api, '/pods', rs).filter((p) => !p.metadata.deletionTimestamp);
    const ready = pods.filter(isReady);
    // Available: ready for at least minReadySeconds (IsPodAvailable).
    const minReadyMs = ((rs.spec?.minReadySeconds as number | undefined) ?? 0) * 1000;
    const availableIn = ready.map((p) => {
      if (minReadyMs === 0) return 0;
      const since = ((p.status?.conditions ?? []) as Condition[]).find((c) => c.type === 'Ready');
      return Date.parse(since?.lastTransitionTime ?? '') + minReadyMs - Date.now();
    });
    const available = availableIn.filter((ms) => ms < 0 || minReadyMs === 0).length;
    const status: Record<string, unknown> = {
      replicas: pods.length,
      fullyLabeledReplicas: pods.length,
      readyReplicas: ready.length,
      availableReplicas: available,
      observedGeneration: rs.metadata.generation,
    };
    if (failure)
      status.conditions = withCondition(rs.status?.conditions, {
        type: 'ReplicaFailure',
        status: 'True',
        reason: 'FailedCreate',
        message: failure,
      });
    for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'] as const)
      if (status[k] === 0) delete status[k];
    writeStatus(api, rsType, rs, status);
    if (failure) return { requeueSteps: 5 };
    const pending = availableIn.filter((ms) => ms >= 0 && minReadyMs > 0);
    if (pending.length > 0) return { requeueAfterMs: Math.min(...pending) + 10 };
  },
};

export const statefulSetController: Controller = {
  name: 'statefulset',
  keysFor(e) {
    if (e.typeKey === 'apps/statefulsets')
      return [objKey(e.typeKey, e.object.metadata.namespace, e.object.metadata.name)];
    if (e.typeKey === '/pods') return ownerKeys(e, 'StatefulSet', 'apps/statefulsets');
    return [];
  },
  reconcile(key, { api }) {
    const type = mustType(api, 'apps/statefulsets');
    const podType = mustType(api, '/pods');
    const pvcType = mustType(api, '/persistentvolumeclaims');
    const { namespace, name } = splitKey(key);
    const sts = api.find(type, namespace, name);
    if (!sts || sts.metadata.deletionTimestamp) return;
    const desired: number = sts.spec?.replicas ?? 1;
    const revision = `${name}-${templateHash(sts.spec?.template)}`;
    const pods = controlled(api, '/pods', sts);
    const byOrdinal = new Map(pods.map((p) => [Number((p.metadata.name ?? '').slice(name.length + 1)), p]));
    let retry = false;
    for (let i = 0; i < desired; i++) {
      const pod = byOrdinal.get(i);
      if (pod) {
        if (!isReady(pod) && pod.metadata.labels?.['controller-revision-hash'] === revision) break;
        continue;
      }
      // A refused claim or pod (an exceeded quota) is reported as the controller does, as a
      // FailedCreate warning on the StatefulSet, and retried.
      const podName = `${name}-${i}`;
      const refused = (message: string) => {
        emitEvent(api, sts, 'FailedCreate', message, 'statefulset-controller', 'Warning');
        retry = true;
      };
      for (const tmpl of (sts.spec?.volumeClaimTemplates ?? []) as StoredObject[]) {
        const claim = `${tmpl.metadata?.name}-${name}-${i}`;
        try {
          createIgnoringExists(api, pvcType, namespace, {
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            metadata: { name: claim, labels: sts.spec?.selector?.matchLabels },
            spec: tmpl.spec,
          });
        } catch (e) {
          refused(
            `create Claim ${claim} for Pod ${podName} in StatefulSet ${name} failed error: ${(e as Error).message}`,
          );
          break;
        }
      }
      if (retry) break;
      try {
        api.create(
          podType,
          namespace,
          podFromTemplate(sts, podName, {
            'controller-revision-hash': revision,
            'statefulset.kubernetes.io/pod-name': podName,
            'apps.kubernetes.io/pod-index': String(i),
          }),
        );
      } catch (e) {
        refused(`create Pod ${podName} in StatefulSet ${name} failed error: ${(e as Error).message}`);
        break;
      }
      emitEvent(
        api,
        sts,
        'SuccessfulCreate',
        `create Pod ${name}-${i} in StatefulSet ${name} successful`,
        'statefulset-controller',
      );
      break;
    }
    for (const [ordinal, pod] of [...byOrdinal.entries()].sort((a, b) => b[0] - a[0])) {
      if (ordinal >= desired && !pod.metadata.deletionTimestamp) deleteIgnoringMissing(api, podType, pod);
    }
    const stale = [...byOrdinal.entries()].filter(
      ([o, p]) =>
        o < desired &&
        p.metadata.labels?.['controller-revision-hash'] !== revision &&
        !p.metadata.deletionTimestamp,
    );
    const allReady = [...byOrdinal.values()].every(isReady);
    if (stale.length > 0 && allReady)
      deleteIgnoringMissing(
        api,
        podType,
        (stale.sort((a, b) => b[0] - a[0])[0] as [number, StoredObject])[1],
      );
    const live = controlled(api, '/pods', sts).filter((p) => !p.metadata.deletionTimestamp);
    const ready = live.filter(isReady).length;
    const current = live.filter((p) => p.metadata.labels?.['controller-revision-hash'] === revision).length;
    const status: Record<string, unknown> = {
      observedGeneration: sts.metadata.generation,
      replicas: live.length,
      readyReplicas: ready,
      currentReplicas: current,
      updatedReplicas: current,
      availableReplicas: ready,
      currentRevision: revision,
      updateRevision: revision,
      collisionCount: 0,
    };
    for (const k of ['readyReplicas', 'currentReplicas', 'updatedReplicas'] as const)
      if (status[k] === 0) delete status[k];
    writeStatus(api, type, sts, status);
    if (retry) return { requeueSteps: 5 };
  },
};
