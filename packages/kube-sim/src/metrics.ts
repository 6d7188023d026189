// metrics.k8s.io/v1beta1: plausible, slowly varying CPU and memory usage for running pods (within
// their requests) and for the node, computed on read.
import { createHash } from 'node:crypto';
import { notFound } from './errors.ts';
import { selectorPredicate } from './list.ts';
import { nowIso } from './meta.ts';
import type { ObjectApi } from './object-api.ts';
import { parseQuantity } from './quantity.ts';
import type { StoredObject, ResourceType } from './types.ts';

const PERIOD_MS = 5 * 60_000;

/** A value in [0, 1) that drifts smoothly over minutes, different per seed. */
function wave(seed: string, now: number): number {
  const phase = createHash('sha256').update(seed).digest().readUInt32BE(0) / 2 ** 32;
  return (Math.sin((now / PERIOD_MS + phase) * 2 * Math.PI) + 1) / 2;
}

function containerUsage(pod: StoredObject, now: number): { name: string; cpu: number; memory: number }[] {
  return (
    (pod.spec?.containers ?? []) as { name: string; resources?: { requests?: Record<string, string> } }[]
  ).map((c) => {
    const w = wave(`${pod.metadata.uid}/${c.name}`, now);
    const cpuReq = parseQuantity(c.resources?.requests?.cpu) ?? 0.1;
    const memReq = parseQuantity(c.resources?.requests?.memory) ?? 128 * 2 ** 20;
    return { name: c.name, cpu: cpuReq * (0.1 + 0.6 * w), memory: memReq * (0.3 + 0.5 * w) };
  });
}

const cpuText = (cores: number) => `${Math.round(cores * 1e9)}n`;
const memText = (bytes: number) => `${Math.round(bytes / 1024)}Ki`;

function runningPods(api: ObjectApi, namespace?: string): StoredObject[] {
  return api.store.list('/pods', namespace).filter((p) => p.status?.phase === 'Running');
}

function podMetrics(pod: StoredObject, now: number): StoredObject {
  return {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'PodMetrics',
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      labels: pod.metadata.labels,
      creationTimestamp: nowIso(now),
    },
    timestamp: nowIso(now),
    window: '15s',
    containers: containerUsage(pod, now).map((c) => ({
      name: c.name,
      usage: { cpu: cpuText(c.cpu), memory: memText(c.memory) },
    })),
  };
}

function nodeMetrics(api: ObjectApi, node: StoredObject, now: number): StoredObject {
  let cpu = 0.15 + 0.1 * wave(node.metadata.uid ?? '', now);
  let memory = 900 * 2 ** 20;
  for (const p of runningPods(api)) {
    if (p.spec?.nodeName !== node.metadata.name) continue;
    for (const c of containerUsage(p, now)) {
      cpu += c.cpu;
      memory += c.memory;
    }
  }
  return {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'NodeMetrics',
    metadata: { name: node.metadata.name, labels: node.metadata.labels, creationTimestamp: nowIso(now) },
    timestamp: nowIso(now),
    window: '15s',
    usage: { cpu: cpuText(cpu), memory: memText(memory) },
  };
}

/** The metrics objects of a type (PodMetrics or NodeMetrics), optionally one namespace or name. */
export function readMetrics(
  api: ObjectApi,
  type: ResourceType,
  namespace: string | undefined,
  name: string | undefined,
  selectors: { labelSelector?: string; fieldSelector?: string },
): StoredObject[] | StoredObject {
  const now = Date.now();
  const match = selectorPredicate(type, selectors);
  const items =
    type.kind === 'PodMetrics'
      ? runningPods(api, namespace).map((p) => podMetrics(p, now))
      : api.store.list('/nodes').map((n) => nodeMetrics(api, n, now));
  if (name === undefined) return items.filter(match);
  const one = items.find((i) => i.metadata.name === name);
  if (!one) throw notFound(type, name);
  return one;
}
