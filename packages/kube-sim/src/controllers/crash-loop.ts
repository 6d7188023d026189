// The kubelet's restarts of a container that keeps crashing (an image tagged `crashloop`): each
// restart crashes again at once, restartCount grows, and the wait before the next one doubles from
// 10 s up to 5 min (the kubelet's CrashLoopBackOff), reported in the waiting state's message.
// Times are the real ones at the default controller step of 300 ms and shrink with shorter steps,
// so that tests see several restarts in a few seconds.
import { nowIso } from '../meta.ts';
import type { StoredObject } from '../types.ts';
import { isCrashLoopImage } from './kubelet.ts';
import { objKey, splitKey, type Controller } from './manager.ts';
import { mustType } from './util.ts';

const INITIAL_BACKOFF_S = 10;
const MAX_BACKOFF_S = 300;
/** The controller step at which simulated time runs as fast as real time. */
const REAL_TIME_STEP_MS = 300;

interface ContainerStatus {
  name: string;
  image: string;
  restartCount?: number;
  containerID?: string;
  lastState?: { terminated?: { finishedAt?: string } };
}

/** The back-off (in seconds) after the crash that made restartCount `n`. */
export const backOffSeconds = (n: number): number =>
  Math.min(INITIAL_BACKOFF_S * 2 ** Math.max(0, n - 1), MAX_BACKOFF_S);

/** A duration as Go prints it (10s, 1m20s, 5m0s). */
const goDuration = (s: number): string => (s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`);

export const backOffMessage = (seconds: number, container: string, pod: string): string =>
  `back-off ${goDuration(seconds)} restarting failed container=${container} pod=${pod}`;

const crashing = (pod: StoredObject): boolean =>
  ((pod.spec?.containers ?? []) as { image?: string }[]).some((c) => isCrashLoopImage(c.image));

export const crashLoopBackOff: Controller = {
  name: 'crash-loop',
  keysFor: (e) =>
    e.typeKey === '/pods' &&
    e.type !== 'DELETED' &&
    e.object.status?.phase === 'Running' &&
    crashing(e.object)
      ? [objKey('/pods', e.object.metadata.namespace, e.object.metadata.name)]
      : [],
  reconcile(key, { api, isHeld, stepMs }) {
    const type = mustType(api, '/pods');
    const { namespace, name } = splitKey(key);
    const pod = api.find(type, namespace, name);
    if (!pod || pod.metadata.deletionTimestamp || pod.status?.phase !== 'Running') return;
    if (isHeld('/pods', namespace, name)) return;
    const scale = Math.max(stepMs, 3) / REAL_TIME_STEP_MS;
    const now = Date.now();
    let nextDue = Infinity;
    let restarted = false;
    const statuses = ((pod.status?.containerStatuses ?? []) as ContainerStatus[]).map((s) => {
      if (!isCrashLoopImage(s.image)) return s;
      const n = s.restartCount ?? 0;
      // finishedAt has whole seconds: the crash happened within the second after it.
      const finished = Date.parse(s.lastState?.terminated?.finishedAt ?? '') + 1000;
      const due = (Number.isNaN(finished) ? now : finished) + backOffSeconds(n) * 1000 * scale;
      if (due > now) {
        nextDue = Math.min(nextDue, due);
        return s;
      }
      restarted = true;
      const at = nowIso(now);
      nextDue = Math.min(nextDue, now + 1000 + backOffSeconds(n + 1) * 1000 * scale);
      return {
        ...s,
        restartCount: n + 1,
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: backOffMessage(backOffSeconds(n + 1), s.name, name),
          },
        },
        lastState: {
          terminated: {
            exitCode: 1,
            reason: 'Error',
            startedAt: at,
            finishedAt: at,
            containerID: s.containerID,
          },
        },
      };
    });
    if (restarted)
      api.update(
        type,
        namespace,
        name,
        { ...pod, status: { ...pod.status, containerStatuses: statuses } },
        {
          subresource: 'status',
        },
      );
    if (nextDue !== Infinity) return { requeueAfterMs: Math.max(nextDue - now, 1) + 5 };
  },
};
