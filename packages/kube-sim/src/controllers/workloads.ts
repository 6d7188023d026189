// Simulated apps/v1 controllers: Deployment → ReplicaSet → Pods, and StatefulSet → ordered Pods
// (with their volume claims), writing status as the real controllers do.
import { createHash } from 'node:crypto';
import { clone, controllerOf, ownerRef, randomSuffix } from '../meta.ts';
import type { ObjectApi } from '../object-api.ts';
import type { StoredObject } from '../types.ts';
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

export function templateHash(template: unknown): string {
  const hex = createHash('sha256')
    .update(JSON.stringify(template ?? {}))
    .digest('hex');
  return hex.slice(0, 10).replace(/[0-9]/g, (d) => 'bcdfghjklm'[Number(d)] as string);
}

function controlled(api: ObjectApi, typeKey: string, owner: StoredObject): StoredObject[] {
  return api.store
    .list(typeKey, owner.metadata.namespace)
    .filter((o) => controllerOf(o)?.uid === owner.metadata.uid);
}

function ownerKeys(e: { object: StoredObject }, kind: string, typeKey: string): string[] {
  const ref = controllerOf(e.object);
  return ref?.kind === kind ? [objKey(typeKey, e.object.metadata.namespace, ref.name)] : [];
}

export const deploymentController: Controller = {
  name: 'deployment',
  keysFor(e) {
    if (e.typeKey === 'apps/deployments')
      return [objKey(e.typeKey, e.object.metadata.namespace, e.object.metadata.name)];
    if (e.typeKey === 'apps/replicasets') return ownerKeys(e, 'Deployment', 'apps/deployments');
    return [];
  },
  reconcile(key, { api }) {
    const dType = mustType(api, 'apps/deployments');
    const rsType = mustType(api, 'apps/replicasets');
    const { namespace, name } = splitKey(key);
    const d = api.find(dType, namespace, name);
    if (!d || d.metadata.deletionTimestamp) return;
    const desired: number = d.spec?.replicas ?? 1;
    const hash = templateHash(d.spec?.template);
    const rsName = `${name}-${hash}`;
    const owned = controlled(api, 'apps/replicasets', d);
    let current = owned.find((r) => r.metadata.name === rsName);
    const revision = Math.max(
      0,
      ...owned.map((r) => Number(r.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0)),
    );
    if (!current) {
      const template = clone(d.spec?.template ?? {});
      template.metadata = {
        ...template.metadata,
        labels: { ...template.metadata?.labels, 'pod-template-hash': hash },
      };
      current = api.create(rsType, namespace, {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: rsName,
          labels: template.metadata.labels,
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(desired),
            'deployment.kubernetes.io/max-replicas': String(desired + 1),
            'deployment.kubernetes.io/revision': String(revision + 1),
          },
          ownerReferences: [ownerRef(d)],
        },
        spec: {
          replicas: desired,
          selector: { matchLabels: { ...d.spec?.selector?.matchLabels, 'pod-template-hash': hash } },
          template,
        },
      });
      emitEvent(
        api,
        d,
        'ScalingReplicaSet',
        `Scaled up replica set ${rsName} to ${desired}`,
        'deployment-controller',
      );
    } else if (current.spec?.replicas !== desired) {
      current = api.update(rsType, namespace, rsName, {
        ...current,
        spec: { ...current.spec, replicas: desired },
      });
      emitEvent(
        api,
        d,
        'ScalingReplicaSet',
        `Scaled replica set ${rsName} to ${desired}`,
        'deployment-controller',
      );
    }
    const newReady: number = current.status?.readyReplicas ?? 0;
    if (newReady >= desired) {
      for (const old of owned) {
        if (old.metadata.name !== rsName && old.spec?.replicas !== 0) {
          api.update(rsType, namespace, old.metadata.name ?? '', {
            ...old,
            spec: { ...old.spec, replicas: 0 },
          });
          emitEvent(
            api,
            d,
            'ScalingReplicaSet',
            `Scaled down replica set ${old.metadata.name} to 0 from ${old.spec?.replicas}`,
            'deployment-controller',
          );
        }
      }
    }
    const all = controlled(api, 'apps/replicasets', d);
    const sum = (f: (r: StoredObject) => number) => all.reduce((s, r) => s + f(r), 0);
    const replicas = sum((r) => r.status?.replicas ?? 0);
    const ready = sum((r) => r.status?.readyReplicas ?? 0);
    const available = sum((r) => r.status?.availableReplicas ?? 0);
    const updated: number = current.status?.replicas ?? 0;
    const complete =
      updated === desired &&
      replicas === desired &&
      available >= desired &&
      (current.status?.availableReplicas ?? 0) >= desired;
    let conditions: Condition[] = d.status?.conditions ?? [];
    conditions = withCondition(
      conditions,
      available >= desired
        ? {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
          }
        : {
            type: 'Available',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
          },
      true,
    );
    const deadlineMs = (d.spec?.progressDeadlineSeconds ?? 600) * 1000;
    const leftMs = Date.parse(current.metadata.creationTimestamp ?? '') + deadlineMs - Date.now();
    const progressing: Condition = complete
      ? {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${rsName}" has successfully progressed.`,
        }
      : leftMs <= 0
        ? {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: `ReplicaSet "${rsName}" has timed out progressing.`,
          }
        : {
            type: 'Progressing',
            status: 'True',
            reason: 'ReplicaSetUpdated',
            message: `ReplicaSet "${rsName}" is progressing.`,
          };
    conditions = withCondition(conditions, progressing, true);
    conditions.sort((a, b) => (a.type === 'Available' ? -1 : b.type === 'Available' ? 1 : 0));
    const status: Record<string, unknown> = {
      observedGeneration: d.metadata.generation,
      replicas,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: available,
      conditions,
    };
    if (replicas - available > 0) status.unavailableReplicas = replicas - available;
    for (const k of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas'] as const)
      if (status[k] === 0) delete status[k];
    writeStatus(api, dType, d, status);
    if (!complete && leftMs > 0) return { requeueAfterMs: leftMs + 10 };
  },
};

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
    const ready = pods.filter(isReady).length;
    const status: Record<string, unknown> = {
      replicas: pods.length,
      fullyLabeledReplicas: pods.length,
      readyReplicas: ready,
      availableReplicas: ready,
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
    for (let i = 0; i < desired; i++) {
      const pod = byOrdinal.get(i);
      if (pod) {
        if (!isReady(pod) && pod.metadata.labels?.['controller-revision-hash'] === revision) break;
        continue;
      }
      for (const tmpl of (sts.spec?.volumeClaimTemplates ?? []) as StoredObject[]) {
        const claim = `${tmpl.metadata?.name}-${name}-${i}`;
        createIgnoringExists(api, pvcType, namespace, {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: claim, labels: sts.spec?.selector?.matchLabels },
          spec: tmpl.spec,
        });
      }
      api.create(
        podType,
        namespace,
        podFromTemplate(sts, `${name}-${i}`, {
          'controller-revision-hash': revision,
          'statefulset.kubernetes.io/pod-name': `${name}-${i}`,
          'apps.kubernetes.io/pod-index': String(i),
        }),
      );
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
  },
};
