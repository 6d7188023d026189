import { conflict, notFound, unavailable } from '@uncloud/sdk';
import { isKubeError, withInstallation } from '@uncloud/kube';
import type { SyncStatus } from '@uncloud/sdk';
import type { SyncEngine } from '@uncloud/sync';
import type { ClusterConnection } from './cluster.ts';
import type { RuntimeView } from './services/deps.ts';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** A cluster call whose failure to reach the cluster is UNAVAILABLE, and a vanished pod NOT_FOUND. */
const answerUnreachable = async <T>(call: () => Promise<T>): Promise<T> => {
  try {
    return await call();
  } catch (error) {
    if (isKubeError(error, 'Unavailable'))
      throw unavailable('the cluster cannot be reached right now; try again shortly');
    if (isKubeError(error, 'NotFound')) throw notFound('replica', error.objectName ?? '', 'pod');
    // A container not started yet (or gone): the API server's 400 says which.
    if (isKubeError(error) && error.status === 400)
      throw conflict(`replica ${error.objectName ?? ''} has no log yet: ${error.detail}`, 'pod');
    throw error;
  }
};

/** The services' window onto the cluster and the sync engine (or onto their absence). */
export const createRuntimeView = (
  cluster: ClusterConnection | undefined,
  sync: SyncEngine | undefined,
  resyncIntervalMs: number | null,
): RuntimeView => ({
  isStale: () => (sync ? !sync.status().reachable : false),

  async readSecret(namespace, name) {
    if (!cluster) throw unavailable('this server runs without a cluster');
    try {
      const secret = (await cluster.gateway.get('Secret', namespace, name, { timeoutMs: 5000 })) as {
        data?: Record<string, string>;
      } | null;
      if (!secret) return null;
      return Object.fromEntries(
        Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]),
      );
    } catch (error) {
      if (isKubeError(error, 'Unavailable'))
        throw unavailable('the cluster cannot be reached right now; try again shortly');
      throw error;
    }
  },

  async writeSecret(secret) {
    if (!cluster) throw unavailable('this server runs without a cluster');
    const installationId = sync?.status().installationId;
    try {
      await cluster.gateway.apply(installationId ? withInstallation(secret, installationId) : secret, {
        timeoutMs: 5000,
      });
    } catch (error) {
      if (isKubeError(error, 'Unavailable'))
        throw unavailable('the cluster cannot be reached right now; try again shortly');
      throw error;
    }
  },

  async listPods(namespace, labelSelector) {
    // A server without a cluster runs no workloads: nothing to list (and no log to read).
    if (!cluster) return [];
    return answerUnreachable(() =>
      cluster.gateway.list('Pod', { namespace, labelSelector, timeoutMs: 5000 }),
    );
  },

  async podLogs(namespace, pod, options) {
    if (!cluster) throw unavailable('this server runs without a cluster');
    return answerUnreachable(() =>
      cluster.gateway.podLogs(namespace, pod, { ...options, timestamps: true }, { timeoutMs: 10_000 }),
    );
  },

  async followPodLogs(namespace, pod, options, signal) {
    if (!cluster) throw unavailable('this server runs without a cluster');
    return answerUnreachable(() =>
      cluster.gateway.followPodLogs(
        namespace,
        pod,
        { ...options, timestamps: true },
        { signal, timeoutMs: 10_000 },
      ),
    );
  },

  async consoleOutput(namespace, name, { quietMs, maxMs }) {
    if (!cluster) throw unavailable('this server runs without a cluster');
    let socket;
    try {
      socket = await cluster.gateway.openConsole(namespace, name, { timeoutMs: 10_000 });
    } catch (error) {
      if (isKubeError(error, 'Unavailable'))
        throw unavailable('the cluster cannot be reached right now; try again shortly');
      // KubeVirt answers 400 (not Running) or 404 (no instance) for a droplet that is not up.
      if (isKubeError(error, 'NotFound') || (isKubeError(error) && error.status === 400))
        throw conflict('the droplet is not running: power it on to read its console', 'id');
      throw error;
    }
    const ws = socket;
    return new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      let quiet: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(quiet);
        clearTimeout(limit);
        ws.removeAllListeners('message');
        ws.close();
        resolve(Buffer.concat(chunks).toString('utf8'));
      };
      const limit = setTimeout(done, maxMs);
      ws.on('message', (data: Buffer) => {
        chunks.push(Buffer.from(data));
        clearTimeout(quiet);
        quiet = setTimeout(done, quietMs);
      });
      ws.on('close', done);
      ws.on('error', done);
    });
  },

  syncStatus(): SyncStatus {
    const s = sync?.status();
    return {
      clusterMode: cluster?.mode ?? 'none',
      clusterSource: cluster?.source ?? null,
      installationId: s?.installationId ?? null,
      orphansWithheld: s?.orphansWithheld ?? 0,
      otherInstallationObjects: s?.otherInstallationObjects ?? 0,
      leader: s?.leader ?? false,
      reachable: s?.reachable ?? false,
      lastContactAt: iso(s?.lastContactAt ?? null),
      lastResyncAt: iso(s?.lastResyncAt ?? null),
      lastResyncMs: s?.lastResyncMs ?? null,
      resyncIntervalMs,
      queueDepth: s?.queueDepth ?? 0,
      inFlight: s?.inFlight ?? 0,
      reconciles: s?.reconciles ?? 0,
      errors: s?.errors ?? 0,
      driftCorrected: s?.driftCorrected ?? 0,
      healthChecksUnanswered: s?.healthChecksUnanswered ?? false,
    };
  },
});
