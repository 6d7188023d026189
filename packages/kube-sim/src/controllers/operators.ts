// Simulated operators, for the provisioner's tests on the `bare` profile: what KubeVirt's, CDI's and
// prometheus-operator's operators do once their manifests are applied. Their own resource
// (`KubeVirt`, `CDI`, `Prometheus`) with their operator's Deployment available makes the operator
// install the CRDs it serves (the real ones, from schemas/crds.json) and report `phase: Deployed` or
// `Available`; deleting the resource removes what the operator installed, as the real ones do.
// CloudNativePG's and others' manifests carry their CRDs themselves: nothing to simulate.
import { provisionedCrds } from '../crds.ts';
import type { StoredObject } from '../types.ts';
import { objKey, splitKey, type Controller, type ControllerContext } from './manager.ts';
import {
  type Condition,
  deleteIgnoringMissing,
  mustType,
  typeOf,
  withCondition,
  writeStatus,
} from './util.ts';

const CRDS = 'apiextensions.k8s.io/customresourcedefinitions';
const DEPLOYMENTS = 'apps/deployments';

interface Operator {
  /** The operator's resource type key. */
  resource: string;
  /** Its operator's Deployment, in the resource's namespace. */
  deployment: string;
  /** The CRD groups it installs (from the provisioned CRDs), or none. */
  groups: string[];
  /** How it reports success: KubeVirt and CDI a phase, prometheus-operator a condition. */
  report: 'phase' | 'condition';
  manager: string;
}

const operators: Operator[] = [
  {
    resource: 'kubevirt.io/kubevirts',
    deployment: 'virt-operator',
    groups: ['kubevirt.io', 'snapshot.kubevirt.io'],
    report: 'phase',
    manager: 'virt-operator',
  },
  {
    resource: 'cdi.kubevirt.io/cdis',
    deployment: 'cdi-operator',
    groups: ['cdi.kubevirt.io'],
    report: 'phase',
    manager: 'cdi-operator',
  },
  {
    resource: 'monitoring.coreos.com/prometheuses',
    deployment: 'prometheus-operator',
    groups: [],
    report: 'condition',
    manager: 'prometheus-operator',
  },
];

const MANAGED_BY = 'app.kubernetes.io/managed-by';

/** The operator's Deployment is available somewhere (upstream manifests put it in their own namespace). */
const operatorRuns = (ctx: ControllerContext, op: Operator): boolean => {
  const type = typeOf(ctx.api, DEPLOYMENTS);
  if (!type) return false;
  return ctx.api
    .list(type, undefined)
    .items.some(
      (d) =>
        d.metadata.name === op.deployment &&
        ((d.status?.conditions ?? []) as Condition[]).some(
          (c) => c.type === 'Available' && c.status === 'True',
        ),
    );
};

const installCrds = (ctx: ControllerContext, op: Operator) => {
  const type = mustType(ctx.api, CRDS);
  for (const crd of provisionedCrds()) {
    const group = (crd.spec as { group?: string } | undefined)?.group ?? '';
    if (!op.groups.includes(group) || ctx.api.find(type, '', crd.metadata.name ?? '')) continue;
    ctx.api.create(
      type,
      '',
      { ...crd, metadata: { ...crd.metadata, labels: { ...crd.metadata.labels, [MANAGED_BY]: op.manager } } },
      { decoded: true, discardResult: true },
    );
  }
};

/** What the operator installed goes with its resource (only CRDs it labelled, never a seeded one). */
const removeCrds = (ctx: ControllerContext, op: Operator) => {
  const type = mustType(ctx.api, CRDS);
  for (const crd of ctx.api.list(type, undefined).items)
    if (crd.metadata.labels?.[MANAGED_BY] === op.manager) deleteIgnoringMissing(ctx.api, type, crd);
};

export const operatorController: Controller = {
  name: 'operators',
  keysFor(e, ctx) {
    const op = operators.find((o) => o.resource === e.typeKey);
    if (op) return [objKey(op.resource, e.object.metadata.namespace, e.object.metadata.name)];
    if (e.typeKey !== DEPLOYMENTS) return [];
    const waiting = operators.find((o) => o.deployment === e.object.metadata.name);
    const type = waiting && typeOf(ctx.api, waiting.resource);
    if (!waiting || !type) return [];
    return ctx.api
      .list(type, undefined)
      .items.map((r) => objKey(waiting.resource, r.metadata.namespace, r.metadata.name));
  },
  reconcile(key, ctx) {
    const { typeKey, namespace, name } = splitKey(key);
    const op = operators.find((o) => o.resource === typeKey)!;
    const type = typeOf(ctx.api, typeKey);
    const resource: StoredObject | undefined = type ? ctx.api.find(type, namespace, name) : undefined;
    if (!type || !resource || resource.metadata.deletionTimestamp) {
      removeCrds(ctx, op);
      return;
    }
    const runs = operatorRuns(ctx, op);
    if (runs) installCrds(ctx, op);
    const status = (resource.status ?? {}) as { conditions?: Condition[]; phase?: string };
    const conditions = withCondition(status.conditions, {
      type: 'Available',
      status: runs ? 'True' : 'False',
      reason: runs ? 'AllComponentsReady' : 'OperatorNotReady',
      message: runs ? 'All components are ready.' : `waiting for the ${op.deployment} Deployment`,
    });
    writeStatus(ctx.api, type, resource, {
      ...status,
      ...(op.report === 'phase' ? { phase: runs ? 'Deployed' : 'Deploying' } : {}),
      conditions,
    });
    // The Deployment's events bring the key back when the operator becomes available.
    return undefined;
  },
};
