import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../logger.ts';
import type { Limits, RegistrySettings } from '../config.ts';
import { startServer, type RunningServer } from '../server.ts';
import type { SimulatorPlacement } from '../cluster.ts';
import type { HealthCheckMode } from '@uncloud/sync';
import type { CatalogueFile, KubeGateway } from '@uncloud/kube';
import type { ObjectStoreOptions as SimObjectStore, SimCluster } from '@uncloud/kube-sim';
import { createUncloudClient, type UncloudClient } from '@uncloud/sdk';

export interface Stack {
  api: RunningServer;
  /** The simulated cluster, when the stack runs one (not on a cluster given by `kubeconfig`). */
  sim: SimCluster | undefined;
  /** A gateway onto the same cluster, for tests that look at or tamper with Kubernetes directly. */
  kube: KubeGateway | undefined;
  url: string;
  adminToken: string;
  /** A client signed in as the admin. */
  client: UncloudClient;
  /** A client with any token (or none), for testing authentication. */
  clientWith(token: string): UncloudClient;
  close(): Promise<void>;
}

/**
 * The whole stack in one process for integration tests: a temporary SQLite file, the simulated
 * cluster (or the cluster of `kubeconfig`) and the sync engine, and the API on a random loopback
 * port, reached over real HTTP through the SDK.
 */
export interface StackOptions {
  adminToken?: string;
  /**
   * Run a cluster and the sync engine (default), or the API alone for tests of the contract that
   * must see intent exactly as written.
   */
  cluster?: boolean;
  /**
   * Reconcile into the cluster of this kubeconfig (as `KUBECONFIG` does) instead of a simulated one
   * of the stack's own: the real tier passes its kube-real plane. Undefined: the simulator.
   */
  kubeconfig?: string | undefined;
  /** Resync period (default 60 s: tests rely on events, not on the tick, unless they say so). */
  syncIntervalMs?: number;
  /** Usage sampling period (default: the server's 15 s). */
  usageIntervalMs?: number;
  /** What one client may cost the server (default: the server's), e.g. more failed sign-ins. */
  limits?: Partial<Limits>;
  /** Namespace of the sync engine's lease (default: the server's), e.g. where a Role allows it. */
  leaseNamespace?: string;
  /** Where the simulated cluster runs (default `in-process`: `stack.sim` drives it directly). */
  simulator?: SimulatorPlacement;
  /** How load balancers' health checks reach targets (`UNCLOUD_LB_HEALTH_CHECKS`; default by cluster). */
  healthChecks?: HealthCheckMode;
  /** The provisioner's catalogue of component versions (as `UNCLOUD_COMPONENTS_CATALOGUE` gives). */
  componentsCatalogue?: CatalogueFile;
  /** The provisioner's mirror (`UNCLOUD_COMPONENTS_MIRROR`). */
  componentsMirror?: string;
  /**
   * A real S3 server (e.g. `startS3Real()` of `@uncloud/s3-real`) behind the simulated cluster's
   * object store: buckets are made there and report its endpoint.
   */
  objectStore?: SimObjectStore;
  /** The private registry (`UNCLOUD_REGISTRY_HOST`, `_URL`, `UNCLOUD_PUBLIC_URL`); default: none. */
  registry?: Partial<RegistrySettings>;
  /** The reserved IPs' pool (`UNCLOUD_RESERVED_IP_POOL`; default: the simulated cluster's). */
  reservedIpPool?: string;
}

export const startStack = async (options: StackOptions = {}): Promise<Stack> => {
  const dir = mkdtempSync(join(tmpdir(), 'uncloud-test-'));
  const adminToken = options.adminToken ?? `test-admin-${Math.random().toString(36).slice(2)}-token`;
  const api = await startServer(
    {
      port: 0,
      host: '127.0.0.1',
      databasePath: join(dir, 'uncloud.db'),
      adminToken,
      webDir: join(dir, 'no-web'),
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.componentsCatalogue ? { componentsCatalogue: options.componentsCatalogue } : {}),
      ...(options.componentsMirror ? { componentsMirror: options.componentsMirror } : {}),
      ...(options.registry ? { registry: options.registry } : {}),
      ...(options.reservedIpPool !== undefined ? { reservedIpPool: options.reservedIpPool } : {}),
      cluster:
        options.cluster === false
          ? false
          : {
              kubeconfig: options.kubeconfig,
              dataDir: dir,
              syncIntervalMs: options.syncIntervalMs ?? 60_000,
              ...(options.usageIntervalMs !== undefined ? { usageIntervalMs: options.usageIntervalMs } : {}),
              simControllerDelayMs: 0,
              pollMs: 50,
              ...(options.leaseNamespace ? { leaseNamespace: options.leaseNamespace } : {}),
              ...(options.simulator ? { simulator: options.simulator } : {}),
              ...(options.healthChecks ? { healthChecks: options.healthChecks } : {}),
              // Only what the simulator reads: it may be given to a worker thread, which takes data only.
              ...(options.objectStore
                ? {
                    simObjectStore: {
                      endpoint: options.objectStore.endpoint,
                      adminEndpoint: options.objectStore.adminEndpoint,
                      accessKeyId: options.objectStore.accessKeyId,
                      secretAccessKey: options.objectStore.secretAccessKey,
                      ...(options.objectStore.region ? { region: options.objectStore.region } : {}),
                    },
                  }
                : {}),
            },
    },
    createLogger('silent', false),
  );
  const clientWith = (token: string) => createUncloudClient({ url: api.url, token });
  return {
    api,
    sim: api.cluster?.sim,
    kube: api.cluster?.gateway,
    url: api.url,
    adminToken,
    client: clientWith(adminToken),
    clientWith,
    close: async () => {
      await api.close(1000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
