// The simulated kube-scheduler: binds each pod without a node to a node where it fits (capacity,
// nodeSelector, required node affinity, taints), or leaves it Pending with PodScheduled=False and
// a FailedScheduling event in the real scheduler's words. Pods wait there until room appears.
//
// Cost: O(nodes) per scheduling attempt. What each node already holds is a running sum kept from
// the store's events (a pod counts on its node from binding until it is gone or has finished),
// never a scan of the pods.
import type { StoreEvent } from '../store.ts';
import type { StoredObject } from '../types.ts';
import { clone } from '../meta.ts';
import { objKey, splitKey, type Controller } from './manager.ts';
import {
  filterNode,
  nodeFacts,
  podRequests,
  unschedulableMessage,
  type NodeFacts,
  type NodeVerdict,
  type Resources,
} from './scheduling-rules.ts';
import { emitEvent, mustType, withCondition, writeStatus, type Condition } from './util.ts';

type Usage = Resources & { pods: number };

const isTerminal = (pod: StoredObject) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** Per-node sums of what bound pods request, kept current from store events. */
export class NodeLedger {
  readonly nodes = new Map<string, NodeFacts>();
  private readonly used = new Map<string, Usage>();
  /** What each counted pod adds to its node (pod key → node and requests). */
  private readonly counted = new Map<string, { node: string; requests: Resources }>();

  usage(node: string): Usage {
    return this.used.get(node) ?? { milliCpu: 0, memory: 0, pods: 0 };
  }

  /** Take an event into account; true when it may have made room for a waiting pod. */
  observe(e: StoreEvent): boolean {
    if (e.typeKey === '/nodes') {
      const name = e.object.metadata.name ?? '';
      if (e.type === 'DELETED') this.nodes.delete(name);
      else this.nodes.set(name, nodeFacts(e.object));
      return e.type !== 'DELETED';
    }
    if (e.typeKey !== '/pods') return false;
    const pod = e.object;
    const key = objKey('/pods', pod.metadata.namespace, pod.metadata.name);
    const node = pod.spec?.nodeName as string | undefined;
    const counts = e.type !== 'DELETED' && !!node && !isTerminal(pod);
    const before = this.counted.get(key);
    // A pod's node and requests do not change once bound: only binding and leaving move the sums.
    if (counts && before?.node === node) return false;
    if (before) {
      this.move(before.node, before.requests, -1);
      this.counted.delete(key);
    }
    if (counts) {
      const requests = podRequests(pod.spec);
      this.counted.set(key, { node, requests });
      this.move(node, requests, 1);
    }
    return before !== undefined && !counts;
  }

  private move(node: string, r: Resources, sign: 1 | -1): void {
    const u = this.usage(node);
    this.used.set(node, {
      milliCpu: u.milliCpu + sign * r.milliCpu,
      memory: u.memory + sign * r.memory,
      pods: u.pods + sign,
    });
  }
}

/** How full a node would be with the pod on it (the mean of its CPU and memory shares). */
function load(node: NodeFacts, used: Usage, requests: Resources): number {
  const share = (u: number, r: number, a: number) => (a > 0 ? (u + r) / a : 1);
  return (
    (share(used.milliCpu, requests.milliCpu, node.allocatable.milliCpu) +
      share(used.memory, requests.memory, node.allocatable.memory)) /
    2
  );
}

/** A scheduler of its own for each simulated cluster (its ledger follows that cluster's store). */
export function createScheduler(): Controller {
  const ledger = new NodeLedger();
  /** Pods that fit nowhere last time: tried again when a pod leaves or a node appears or changes. */
  const waiting = new Set<string>();
  return {
    name: 'scheduler',
    keysFor(e) {
      const roomMade = ledger.observe(e);
      const keys: string[] = [];
      const m = e.object.metadata;
      if (e.typeKey === '/pods' && e.type !== 'DELETED' && !e.object.spec?.nodeName && !m.deletionTimestamp)
        keys.push(objKey('/pods', m.namespace, m.name));
      if (roomMade) keys.push(...waiting);
      return keys;
    },
    reconcile(key, { api, isHeld }) {
      const type = mustType(api, '/pods');
      const { namespace, name } = splitKey(key);
      const pod = api.store.get('/pods', namespace, name);
      if (!pod || pod.spec?.nodeName || pod.metadata.deletionTimestamp) {
        waiting.delete(key);
        return;
      }
      // A pod asking for another scheduler is left to it, even when none runs.
      const scheduler = pod.spec?.schedulerName as string | undefined;
      if (isHeld('/pods', namespace, name) || (scheduler && scheduler !== 'default-scheduler')) return;
      const requests = podRequests(pod.spec);
      const verdicts: NodeVerdict[] = [];
      let best: { node: string; load: number } | undefined;
      const names = [...ledger.nodes.keys()].sort();
      for (const nodeName of names) {
        const node = ledger.nodes.get(nodeName) as NodeFacts;
        const used = ledger.usage(nodeName);
        const verdict = filterNode(pod.spec, requests, node, used);
        if (verdict) verdicts.push(verdict);
        else {
          const l = load(node, used, requests);
          if (!best || l < best.load) best = { node: nodeName, load: l };
        }
      }
      if (best) {
        waiting.delete(key);
        // What the binding subresource writes: the node, and PodScheduled=True, in one change.
        const bound = clone(pod);
        bound.spec = { ...bound.spec, nodeName: best.node };
        bound.status = {
          ...bound.status,
          conditions: withCondition(bound.status?.conditions as Condition[] | undefined, {
            type: 'PodScheduled',
            status: 'True',
            lastProbeTime: null,
          }),
        };
        api.store.put('/pods', bound);
        emitEvent(
          api,
          bound,
          'Scheduled',
          `Successfully assigned ${namespace}/${name} to ${best.node}`,
          'default-scheduler',
        );
        return;
      }
      waiting.add(key);
      const message = unschedulableMessage(pod.spec, verdicts);
      const conditions = (pod.status?.conditions ?? []) as Condition[];
      const previous = conditions.find((c) => c.type === 'PodScheduled');
      if (previous?.status === 'False' && previous.message === message) return;
      writeStatus(api, type, clone(pod), {
        ...pod.status,
        phase: 'Pending',
        conditions: withCondition(conditions, {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message,
          lastProbeTime: null,
        }),
      });
      emitEvent(api, pod, 'FailedScheduling', message, 'default-scheduler', 'Warning');
    },
  };
}
