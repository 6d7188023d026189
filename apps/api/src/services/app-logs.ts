// An app's logs: its replicas (pods) and what their containers wrote, read from the cluster's log
// API on request (nothing is stored), recent or followed.
import { appsRepository as apps } from '@uncloud/db';
import { type KubeObject, RESOURCE_ID, namespaceName } from '@uncloud/kube';
import { type AppLogLine, type AppLogs, type AppReplica, isDomainError, notFound } from '@uncloud/sdk';
import type { AppService, ProjectScope } from '@uncloud/sdk/contract';
import type { ServiceDeps } from './deps.ts';
import { recheck } from './events.ts';

// The app's one container (deploymentManifest names it).
const CONTAINER = 'app';
// How often a followed log looks for replicas a rollout or a scale-up started, and checks again
// that its caller may still read the project (a change stream checks at each heartbeat).
const REPLICA_RESCAN_MS = 5_000;

interface PodView {
  metadata?: { name?: string; creationTimestamp?: string };
  status?: {
    phase?: string;
    startTime?: string;
    containerStatuses?: { ready?: boolean; restartCount?: number; state?: { running?: unknown } }[];
  };
}

const replicaOf = (object: KubeObject): AppReplica & { running: boolean } => {
  const pod = object as PodView;
  const statuses = pod.status?.containerStatuses ?? [];
  return {
    pod: pod.metadata?.name ?? '',
    phase: pod.status?.phase ?? 'Unknown',
    ready: statuses.length > 0 && statuses.every((s) => s.ready),
    restarts: statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0),
    startedAt: pod.status?.startTime ?? null,
    running: statuses.some((s) => s.state?.running),
  };
};

/** `2026-12-02T13:59:04.100Z GET / 200` → its time and text (the log API's `timestamps=true`). */
const lineOf = (pod: string, raw: string): AppLogLine => {
  const space = raw.indexOf(' ');
  const stamp = space > 0 ? raw.slice(0, space) : '';
  return Number.isNaN(Date.parse(stamp))
    ? { pod, at: null, text: raw }
    : { pod, at: stamp, text: raw.slice(space + 1) };
};

const linesOf = (pod: string, text: string): AppLogLine[] =>
  text === ''
    ? []
    : text
        .replace(/\n$/, '')
        .split('\n')
        .map((raw) => lineOf(pod, raw));

type AppLogsId = Parameters<AppService['logs']>[1]['id'];

const byTime = (a: AppLogLine, b: AppLogLine) => (a.at ?? '').localeCompare(b.at ?? '');

export const createAppLogs = (deps: ServiceDeps): Pick<AppService, 'logs' | 'followLogs'> => {
  /** The app's replicas, newest name order; the one asked for, or NOT_FOUND naming the field. */
  const replicasOf = async (scope: ProjectScope, id: AppLogsId, pod: string | undefined) => {
    const app = apps.get(deps.store.db, scope.projectId, id);
    const namespace = namespaceName(app.projectId);
    const replicas = (await deps.runtime.listPods(namespace, `${RESOURCE_ID}=${app.id}`))
      .map(replicaOf)
      .sort((a, b) => a.pod.localeCompare(b.pod));
    if (pod && !replicas.some((r) => r.pod === pod)) throw notFound(`replica of app ${app.name}`, pod, 'pod');
    return { namespace, replicas, chosen: replicas.filter((r) => (pod ? r.pod === pod : true)) };
  };

  return {
    async logs(scope, input): Promise<AppLogs> {
      const { namespace, replicas, chosen } = await replicasOf(scope, input.id, input.pod);
      const perReplica = await Promise.all(
        chosen
          .filter((r) => r.running || input.pod)
          .map(async (r) => {
            try {
              const text = await deps.runtime.podLogs(namespace, r.pod, {
                container: CONTAINER,
                tailLines: input.tailLines,
                sinceSeconds: input.sinceSeconds,
              });
              return linesOf(r.pod, text);
            } catch (error) {
              // A replica that went or has not started since the list: nothing to show for it.
              if (!input.pod && isDomainError(error) && error.code !== 'UNAVAILABLE') return [];
              throw error;
            }
          }),
      );
      return {
        replicas: replicas.map(({ running: _, ...r }) => r),
        lines: perReplica.flat().sort(byTime),
      };
    },

    followLogs(scope, input, signal) {
      // Counted at once with the change streams, so that one caller cannot hold the server's streams.
      const release = deps.streams?.acquire(scope.caller.userId) ?? (() => undefined);
      const aborted = new AbortController();
      const end = () => aborted.abort();
      signal?.addEventListener('abort', end, { once: true });
      const forget = deps.streams?.onClose(end);
      return (async function* (): AsyncGenerator<AppLogLine> {
        const queue: AppLogLine[] = [];
        let failure: unknown;
        let wake: (() => void) | undefined;
        const notify = () => {
          wake?.();
          wake = undefined;
        };
        aborted.signal.addEventListener('abort', notify, { once: true });
        const following = new Set<string>();
        const follow = async (namespace: string, pod: string, tailLines: number) => {
          following.add(pod);
          try {
            const lines = await deps.runtime.followPodLogs(
              namespace,
              pod,
              { container: CONTAINER, tailLines, sinceSeconds: input.sinceSeconds },
              aborted.signal,
            );
            for await (const raw of lines) {
              queue.push(lineOf(pod, raw));
              notify();
            }
          } catch (error) {
            // One replica going away ends its log, not the stream; the cluster going away ends it.
            if (isDomainError(error) && error.code === 'UNAVAILABLE') {
              failure = error;
              notify();
            }
          } finally {
            following.delete(pod);
          }
        };
        const scan = async (first: boolean) => {
          // Whoever lost access since the stream began (removed, token revoked) gets no more lines.
          if (!first) recheck(deps.store, scope);
          const { namespace, chosen } = await replicasOf(scope, input.id, first ? input.pod : undefined);
          for (const r of chosen) {
            if (!r.running || following.has(r.pod) || (input.pod && r.pod !== input.pod)) continue;
            // A replica started after the stream began: its whole log is new.
            void follow(namespace, r.pod, first ? input.tailLines : 1_000);
          }
        };
        try {
          await scan(true);
          const rescan = setInterval(
            () => {
              scan(false).catch((error: unknown) => {
                failure = error;
                notify();
              });
            },
            Math.min(deps.streams?.limits.heartbeatMs ?? REPLICA_RESCAN_MS, REPLICA_RESCAN_MS),
          );
          try {
            while (!aborted.signal.aborted) {
              if (queue.length > 0) {
                yield* queue.splice(0);
                continue;
              }
              if (failure) throw failure;
              await new Promise<void>((resolve) => (wake = resolve));
            }
          } finally {
            clearInterval(rescan);
          }
        } finally {
          aborted.abort();
          forget?.();
          signal?.removeEventListener('abort', end);
          release();
        }
      })();
    },
  };
};
