// The simulated scheduler and kubelet: a pod is bound to the node, then runs with an IP and
// ready containers. An image tagged `crashloop` never becomes ready (CrashLoopBackOff).
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

export const kubelet: Controller = {
  name: 'kubelet',
  keysFor: (e) =>
    e.typeKey === '/pods' && e.type !== 'DELETED'
      ? [objKey('/pods', e.object.metadata.namespace, e.object.metadata.name)]
      : [],
  reconcile(key, { api, nodeName, nodeIp, isHeld }) {
    const type = mustType(api, '/pods');
    const { namespace, name } = splitKey(key);
    const pod = api.find(type, namespace, name);
    if (!pod || pod.metadata.deletionTimestamp || isHeld('/pods', namespace, name)) return;
    const status = pod.status ?? {};
    if (!pod.spec?.nodeName) {
      const bound = api.update(type, namespace, name, { ...pod, spec: { ...pod.spec, nodeName } });
      api.update(
        type,
        namespace,
        name,
        {
          ...bound,
          status: {
            ...status,
            phase: 'Pending',
            conditions: withCondition(status.conditions, {
              type: 'PodScheduled',
              status: 'True',
              lastProbeTime: null,
            }),
          },
        },
        { subresource: 'status' },
      );
      emitEvent(
        api,
        pod,
        'Scheduled',
        `Successfully assigned ${namespace}/${name} to ${nodeName}`,
        'default-scheduler',
      );
      return { requeueSteps: 1 };
    }
    if (status.phase !== 'Pending') return;
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
