// What kube-scheduler's filter plugins decide for one pod on one node, and the words it uses when
// no node fits (k8s.io/kubernetes v1.36 pkg/scheduler: FitError.Error, the NodeUnschedulable,
// TaintToleration, NodeAffinity and NodeResourcesFit filters, DefaultPreemption's PostFilter).
import { parseQuantity } from '../quantity.ts';
import type { StoredObject } from '../types.ts';

export interface Resources {
  milliCpu: number;
  memory: number;
}

/** What a node offers and what the scheduler matches pods against. */
export interface NodeFacts {
  name: string;
  allocatable: Resources & { pods: number };
  labels: Record<string, string>;
  taints: Taint[];
  unschedulable: boolean;
}

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}

interface NodeSelectorTerm {
  matchExpressions?: Requirement[];
  matchFields?: Requirement[];
}

interface Container {
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  restartPolicy?: string;
}

/** One node's verdict: why it does not fit, and whether evicting pods could ever make room. */
export interface NodeVerdict {
  reasons: string[];
  /** False when no preemption can help (the node could never hold the pod). */
  resolvable: boolean;
}

export function nodeFacts(node: StoredObject): NodeFacts {
  const alloc = (node.status?.allocatable ?? node.status?.capacity ?? {}) as Record<string, string>;
  return {
    name: node.metadata.name ?? '',
    allocatable: {
      milliCpu: Math.round((parseQuantity(alloc.cpu) ?? 0) * 1000),
      memory: parseQuantity(alloc.memory) ?? 0,
      pods: parseQuantity(alloc.pods) ?? 0,
    },
    labels: node.metadata.labels ?? {},
    taints: (node.spec?.taints ?? []) as Taint[],
    unschedulable: node.spec?.unschedulable === true,
  };
}

const zero = (): Resources => ({ milliCpu: 0, memory: 0 });

function containerRequests(c: Container): Resources {
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  // A limit without a request is the request too (the API server defaults it so).
  return {
    milliCpu: Math.round((parseQuantity(req.cpu ?? lim.cpu) ?? 0) * 1000),
    memory: parseQuantity(req.memory ?? lim.memory) ?? 0,
  };
}

const add = (a: Resources, b: Resources): Resources => ({
  milliCpu: a.milliCpu + b.milliCpu,
  memory: a.memory + b.memory,
});
const max = (a: Resources, b: Resources): Resources => ({
  milliCpu: Math.max(a.milliCpu, b.milliCpu),
  memory: Math.max(a.memory, b.memory),
});

/**
 * A pod's effective requests as the scheduler computes them: its containers and sidecars
 * together, or its largest init container if that is more, plus the pod's overhead.
 */
export function podRequests(spec: StoredObject['spec']): Resources {
  const podLevel = spec?.resources?.requests as Record<string, string> | undefined;
  let total: Resources;
  if (podLevel) total = containerRequests({ resources: { requests: podLevel } });
  else {
    let sidecars = zero();
    let init = zero();
    for (const c of (spec?.initContainers ?? []) as Container[]) {
      if (c.restartPolicy === 'Always') sidecars = add(sidecars, containerRequests(c));
      else init = max(init, add(sidecars, containerRequests(c)));
    }
    const main = ((spec?.containers ?? []) as Container[]).reduce(
      (s, c) => add(s, containerRequests(c)),
      zero(),
    );
    total = max(add(main, sidecars), init);
  }
  const overhead = spec?.overhead as Record<string, string> | undefined;
  return overhead ? add(total, containerRequests({ resources: { requests: overhead } })) : total;
}

function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (!t.key && t.operator !== 'Exists') return false;
  if (t.operator === 'Exists') return true;
  if (!t.operator || t.operator === 'Equal') return (t.value ?? '') === (taint.value ?? '');
  return false;
}

function requirementMatches(r: Requirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const have = Number.parseInt(value ?? '', 10);
      const want = Number.parseInt(values[0] ?? '', 10);
      if (Number.isNaN(have) || Number.isNaN(want)) return false;
      return r.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

function termMatches(term: NodeSelectorTerm, node: NodeFacts): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  return (
    exprs.every((r) => requirementMatches(r, node.labels[r.key])) &&
    fields.every((r) => r.key === 'metadata.name' && requirementMatches(r, node.name))
  );
}

function matchesNodeSelectorAndAffinity(spec: StoredObject['spec'], node: NodeFacts): boolean {
  const selector = (spec?.nodeSelector ?? {}) as Record<string, string>;
  if (Object.entries(selector).some(([k, v]) => node.labels[k] !== v)) return false;
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution as
    { nodeSelectorTerms?: NodeSelectorTerm[] } | undefined;
  if (!required) return true;
  return (required.nodeSelectorTerms ?? []).some((term) => termMatches(term, node));
}

/**
 * Run the filters in kube-scheduler's order; the first that rejects the node speaks for it.
 * `used` is what pods bound to the node already request, and how many there are.
 */
export function filterNode(
  spec: StoredObject['spec'],
  requests: Resources,
  node: NodeFacts,
  used: Resources & { pods: number },
): NodeVerdict | undefined {
  const tolerations = (spec?.tolerations ?? []) as Toleration[];
  if (
    node.unschedulable &&
    !tolerations.some((t) => tolerates(t, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }))
  )
    return { reasons: ['node(s) were unschedulable'], resolvable: false };
  const untolerated = node.taints.some(
    (taint) =>
      (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') &&
      !tolerations.some((t) => tolerates(t, taint)),
  );
  if (untolerated) return { reasons: ['node(s) had untolerated taint(s)'], resolvable: false };
  if (!matchesNodeSelectorAndAffinity(spec, node))
    return { reasons: ["node(s) didn't match Pod's node affinity/selector"], resolvable: false };
  const reasons: string[] = [];
  let resolvable = true;
  const alloc = node.allocatable;
  if (used.pods + 1 > alloc.pods) reasons.push('Too many pods');
  if (requests.milliCpu > 0 && requests.milliCpu > alloc.milliCpu - used.milliCpu) {
    reasons.push('Insufficient cpu');
    if (requests.milliCpu > alloc.milliCpu) resolvable = false;
  }
  if (requests.memory > 0 && requests.memory > alloc.memory - used.memory) {
    reasons.push('Insufficient memory');
    if (requests.memory > alloc.memory) resolvable = false;
  }
  return reasons.length > 0 ? { reasons, resolvable } : undefined;
}

/** `3 Insufficient cpu, 1 Too many pods`: each reason with its node count, sorted as Go sorts. */
function histogram(verdicts: Iterable<string[]>): string {
  const counts = new Map<string, number>();
  for (const reasons of verdicts) for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts]
    .map(([r, n]) => `${n} ${r}`)
    .sort()
    .join(', ');
}

/**
 * The scheduler's message when no node fits: the filters' reasons, then what the PostFilter
 * plugins (dynamic resources, then preemption) said. The simulator never preempts: pods of a
 * lower priority are not evicted, so every node preemption could help reports no victims.
 */
export function unschedulableMessage(spec: StoredObject['spec'], verdicts: NodeVerdict[]): string {
  const n = verdicts.length;
  if (n === 0) return 'no nodes available to schedule pods';
  const fit = `0/${n} nodes are available: ${histogram(verdicts.map((v) => v.reasons))}.`;
  let preemption: string;
  if (spec?.preemptionPolicy === 'Never') preemption = 'not eligible due to preemptionPolicy=Never.';
  else {
    const helpful = verdicts.filter((v) => v.resolvable).length;
    const statuses = [
      ...Array.from({ length: helpful }, () => ['No preemption victims found for incoming pod']),
      ...Array.from({ length: n - helpful }, () => ['Preemption is not helpful for scheduling']),
    ];
    preemption = `0/${n} nodes are available: ${histogram(statuses)}.`;
  }
  return `${fit} no new claims to deallocate, preemption: ${preemption}`;
}
