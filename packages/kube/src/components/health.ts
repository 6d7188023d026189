import type { ComponentHealthItem } from '@uncloud/sdk';
import type { KubeObject } from '../manifests/meta.ts';
import type { ObjectRef } from './catalogue.ts';
import { applyRank, describeRef } from './manifests.ts';

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

const conditionsOf = (object: KubeObject): Condition[] => {
  const status = object.status as { conditions?: unknown } | undefined;
  return Array.isArray(status?.conditions) ? (status.conditions as Condition[]) : [];
};

const condition = (object: KubeObject, type: string) => conditionsOf(object).find((c) => c.type === type);

const byCondition = (object: KubeObject, type: string, ok: string) => {
  const c = condition(object, type);
  return c?.status === 'True'
    ? { ready: true, message: ok }
    : {
        ready: false,
        message: c
          ? `${type}: ${c.reason ?? c.status}${c.message ? ` (${c.message})` : ''}`
          : `not ${type.toLowerCase()} yet`,
      };
};

/** Kinds whose own status says whether they work; other objects only need to exist. */
export const carriesHealth = (ref: { apiVersion: string; kind: string }) =>
  [
    'CustomResourceDefinition',
    'Deployment',
    'DaemonSet',
    'StatefulSet',
    'APIService',
    'StorageClass',
  ].includes(ref.kind) || applyRank(ref) === 4;

/** One object's health, from its own conditions (pure). `null`: the object does not exist. */
export const healthOf = (ref: ObjectRef, object: KubeObject | null): ComponentHealthItem => {
  const name = describeRef(ref);
  if (!object) return { object: name, ready: false, message: 'not found' };
  const status = (object.status ?? {}) as Record<string, unknown>;
  const n = (key: string) => (typeof status[key] === 'number' ? (status[key] as number) : 0);
  const result = (() => {
    switch (ref.kind) {
      case 'CustomResourceDefinition':
        return byCondition(object, 'Established', 'established');
      case 'Deployment':
      case 'APIService':
        return byCondition(object, 'Available', 'available');
      case 'DaemonSet': {
        const desired = n('desiredNumberScheduled');
        return desired > 0 && n('numberReady') >= desired
          ? { ready: true, message: `${n('numberReady')}/${desired} ready` }
          : { ready: false, message: `${n('numberReady')}/${desired} ready` };
      }
      case 'StatefulSet': {
        const want =
          typeof (object.spec as { replicas?: number } | undefined)?.replicas === 'number'
            ? (object.spec as { replicas: number }).replicas
            : 1;
        return n('readyReplicas') >= want
          ? { ready: true, message: `${n('readyReplicas')}/${want} ready` }
          : { ready: false, message: `${n('readyReplicas')}/${want} ready` };
      }
      default: {
        // Operators' own resources (KubeVirt, CDI: `phase: Deployed`; others: Ready/Available).
        const phase = typeof status.phase === 'string' ? status.phase : undefined;
        if (phase)
          return { ready: phase === 'Deployed' || phase === 'Ready' || phase === 'Running', message: phase };
        for (const type of ['Available', 'Ready', 'Reconciled'])
          if (condition(object, type)) return byCondition(object, type, type.toLowerCase());
        return { ready: applyRank(ref) !== 4, message: applyRank(ref) === 4 ? 'no status yet' : 'present' };
      }
    }
  })();
  return { object: name, ...result };
};
