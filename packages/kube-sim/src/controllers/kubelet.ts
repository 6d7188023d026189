// The simulated kubelet of every node: a pod bound to a node (by the scheduler) runs there with an
// IP and ready containers, and a pod being deleted is stopped and confirmed gone. An image tagged
// `crashloop` never becomes ready (CrashLoopBackOff).
import { nowIso } from '../meta.ts';
import type { StoredObject } from '../types.ts';
import { objKey, splitKey, type Controller } from './manager.ts';
import { allocatePodIp, emitEvent, mustType, withCondition, type Condition } from './util.ts';

export function isCrashLoopImage(image: string | undefined): boolean {
  return /:crashloop$/.test(image ?? '');
}

function containerStatuses(pod: StoredObject, startedAt: string): unknown[] {
  return ((pod.spec?.containers ?? []) as { name: string; image: string }[]).map((c, i) => {
    const id = `containerd://${(pod.metadata.uid ?? '').replace(/-/g, '')}${i}`;
    if (isCrashLoopImage(c.image)) {
      return {
        name: c.name,
        image: c.image,
        imageID: '',
        ready: false,
        started: false,
        restartCount: 1,
        containerID: id,
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off 10s restarting failed container=${c.name} pod=${pod.metadata.name}`,
          },
        },
        lastState: {
          terminated: { exitCode: 1, reason: 'Error', startedAt, finishedAt: startedAt, containerID: id },
        },
      };
    }
    return {
      name: c.name,
      image: c.image,
      imageID: `${c.image}@sha256:${'0'.repeat(64)}`,
      ready: true,
      started: true,
      restartCount: 0,
      containerID: id,
      state: { running: { startedAt } },
    };
  });
}

/** The node's InternalIP, or undefined when no such node exists (no kubelet runs the pod). */
function nodeIpOf(node: StoredObject | undefined): string | undefined {
  const addresses = (node?.status?.addresses ?? []) as { type: string; address: string }[];
  return addresses.find((a) => a.type === 'InternalIP')?.address;
}

export const kubelet: Controller = {
  name: 'kubelet',
  keysFor: (e) =>
    e.typeKey === '/pods' && e.type !== 'DELETED' && e.object.spec?.nodeName
      ? [objKey('/pods', e.object.metadata.namespace, e.object.metadata.name)]
      : [],
  reconcile(key, { api, isHeld }) {
    const type = mustType(api, '/pods');
    const { namespace, name } = splitKey(key);
    const pod = api.find(type, namespace, name);
    const nodeName = pod?.spec?.nodeName as string | undefined;
    if (!pod || !nodeName || isHeld('/pods', namespace, name)) return;
    if (pod.metadata.deletionTimestamp) {
      // Graceful deletion: the kubelet stops the containers and confirms with a zero grace
      // period. Real containers that exit on SIGTERM stop in well under a second, so the simulated
      // ones do so at once: the pod is gone one controller step after the DELETE, whatever its
      // grace period (a kubelet waits out the full period only for a process that ignores SIGTERM).
      // A pod whose node does not exist is removed the same way, as the pod garbage collector does.
      // Finalizers still hold it after that, as on a real cluster.
      api.delete(type, namespace, name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
      return;
    }
    const nodeIp = nodeIpOf(api.store.get('/nodes', '', nodeName));
    if (!nodeIp) return;
    const status = pod.status ?? {};
    if (status.phase !== undefined && status.phase !== 'Pending') return;
    const now = nowIso();
    const statuses = containerStatuses(pod, now) as { ready: boolean }[];
    const ready = statuses.every((s) => s.ready);
    const ip: string = status.podIP ?? allocatePodIp(api);
    let conditions: Condition[] = status.conditions ?? [];
    const t = (b: boolean): 'True' | 'False' => (b ? 'True' : 'False');
    conditions = withCondition(conditions, {
      type: 'PodReadyToStartContainers',
      status: 'True',
      lastProbeTime: null,
    });
    conditions = withCondition(conditions, { type: 'Initialized', status: 'True', lastProbeTime: null });
    const notReady = ready
      ? {}
      : {
          reason: 'ContainersNotReady',
          message: `containers with unready status: [${(pod.spec?.containers ?? []).map((c: { name: string }) => c.name).join(' ')}]`,
        };
    conditions = withCondition(conditions, {
      type: 'Ready',
      status: t(ready),
      lastProbeTime: null,
      ...notReady,
    });
    conditions = withCondition(conditions, {
      type: 'ContainersReady',
      status: t(ready),
      lastProbeTime: null,
      ...notReady,
    });
    conditions = withCondition(conditions, { type: 'PodScheduled', status: 'True', lastProbeTime: null });
    api.update(
      type,
      namespace,
      name,
      {
        ...pod,
        status: {
          ...status,
          phase: 'Running',
          conditions,
          hostIP: nodeIp,
          hostIPs: [{ ip: nodeIp }],
          podIP: ip,
          podIPs: [{ ip }],
          startTime: now,
          containerStatuses: statuses,
        },
      },
      { subresource: 'status' },
    );
    for (const c of (pod.spec?.containers ?? []) as { name: string; image: string }[]) {
      if (isCrashLoopImage(c.image))
        emitEvent(
          api,
          pod,
          'BackOff',
          `Back-off restarting failed container ${c.name} in pod ${name}`,
          'kubelet',
          'Warning',
        );
      else emitEvent(api, pod, 'Started', `Started container ${c.name}`, 'kubelet');
    }
  },
};
