import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { openIntentStore, settingsRepository, type IntentStore } from '@uncloud/db';
import type { Services } from '@uncloud/sdk/contract';
import { builtinCatalogue, namespaceName, objectName, withCatalogueFile } from '@uncloud/kube';
import {
  createComponentReconciler,
  createSyncEngine,
  createUsageSampler,
  runPreflight,
  type ComponentReconciler,
  type HealthCheckMode,
  type SyncEngine,
} from '@uncloud/sync';
import { createAuthLimiter } from './auth-limiter.ts';
import { healthProbeFor } from './health-checks.ts';
import { DEFAULT_REGION, parseReservedIpPool } from './services/reserved-ip-pool.ts';
import { type BootstrapResult, bootstrap } from './bootstrap.ts';
import {
  type ClusterConnection,
  type ClusterOptions,
  EMBEDDED_RESERVED_IP_POOL,
  connectCluster,
  type SimulatorPlacement,
} from './cluster.ts';
import {
  type ClusterMode,
  type Config,
  type Limits,
  type RegistrySettings,
  type UserLimits,
  defaultAuditRetentionDays,
  defaultLimits,
  defaultUserLimits,
} from './config.ts';
import { capConnections, serverOptionsFor } from './connections.ts';
import { ensurePrivateDir } from './data-dir.ts';
import { createApp } from './http/app.ts';
import { REGISTRY_TOKEN_PATH } from './http/registry-token.ts';
import {
  REGISTRY_ISSUER,
  REGISTRY_SERVICE,
  type RegistryAuthority,
  loadRegistryAuthority,
} from './registry/authority.ts';
import { createPullCredentialResolver } from './registry/pull-credentials.ts';
import { createRegistryApi } from './registry/registry-api.ts';
import type { Logger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { createRuntimeView } from './runtime-view.ts';
import { startAuditRetention } from './services/audit.ts';
import { createComponentService } from './services/components.ts';
import { requireComponents } from './services/components-gate.ts';
import { createServices } from './services/index.ts';
import { createIntentEvents, type IntentEvents } from './services/deps.ts';
import { createEventService, createStreamRegistry } from './services/events.ts';
import { createChangeFeed } from './change-feed.ts';
import { answerBusyAsUnavailable } from './store-errors.ts';

export interface RunningServer {
  url: string;
  port: number;
  store: IntentStore;
  services: Services;
  events: IntentEvents;
  /** The open change streams (`events.watch`). */
  streams: { readonly open: number };
  bootstrap: BootstrapResult;
  /** The cluster and the engine reconciling it; absent when started without one. */
  cluster: ClusterConnection | undefined;
  sync: SyncEngine | undefined;
  /** The provisioner's reconciler (cluster components); absent without a cluster. */
  provisioner: ComponentReconciler | undefined;
  /** The registry's token authority (signing key, pull credentials). */
  registry: RegistryAuthority;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), stops sync, closes SQLite. */
  close(graceMs?: number): Promise<void>;
}

export type ServerOptions = Pick<Config, 'port' | 'host' | 'databasePath' | 'adminToken' | 'webDir'> &
  Partial<
    Pick<
      Config,
      | 'storageClass'
      | 'ingressClass'
      | 'loadBalancerIngress'
      | 'networkPolicy'
      | 'auditRetentionDays'
      | 'componentsMirror'
      | 'componentsCatalogue'
      | 'reservedIpPool'
      | 'region'
    >
  > & {
    /** The private registry (default: none offered; the token server still answers). */
    registry?: Partial<RegistrySettings>;
    /** What one user may create; unset fields take the defaults of `config.ts`. */
    userLimits?: Partial<UserLimits>;
    /** What one client may cost the server; unset fields take the defaults of `config.ts`. */
    limits?: Partial<Limits>;
    /**
     * The cluster to reconcile into. `false` serves the API alone (intent only; used by tests of
     * the API contract).
     */
    cluster:
      | false
      | {
          /** Default: `kubeconfig` when `kubeconfig` is given, else `embedded`. */
          mode?: ClusterMode;
          /** Why the mode was chosen, for the start-up log line. */
          chosenBy?: string;
          kubeconfig: string | undefined;
          dataDir: string;
          syncIntervalMs: number;
          /** Largest share of the managed objects one orphan-collection pass may delete (default 0.5). */
          orphanMaxShare?: number;
          /** Namespace of the sync engine's leader-election Lease (default `default`). */
          leaseNamespace?: string;
          /** How load balancers' health checks reach targets (default: by the cluster's mode). */
          healthChecks?: HealthCheckMode;
          /** Period of CPU and memory sampling for the usage charts (default 15 s). */
          usageIntervalMs?: number;
          simControllerDelayMs?: number;
          /** The embedded cluster's nodes (default `EMBEDDED_CLUSTER_NODES`: 512 CPUs in all). */
          simNodes?: ClusterOptions['simNodes'];
          /** A real S3 server behind the embedded cluster's object store; buckets report its endpoint. */
          simObjectStore?: ClusterOptions['simObjectStore'];
          /** Where the embedded simulated cluster runs (default `in-process`; `npm start`: `separate`). */
          simulator?: SimulatorPlacement;
          /** A `separate` simulator's thread ended without being stopped (default: logged). */
          onSimulatorExit?: (error: Error) => void;
          /** How soon to look again at an action no watch reports on (default 1 s; nothing else is polled). */
          pollMs?: number;
        };
  };

const listen = (server: Server, port: number, host: string) =>
  new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve();
    });
    server.listen(port, host);
  });

export const startServer = async (options: ServerOptions, logger: Logger): Promise<RunningServer> => {
  const userLimits: UserLimits = { ...defaultUserLimits, ...options.userLimits };
  const limits: Limits = { ...defaultLimits, ...options.limits };
  // The data dir holds env values, user data and the simulated cluster's keys: owner only.
  ensurePrivateDir(dirname(options.databasePath), logger);
  if (options.cluster) ensurePrivateDir(options.cluster.dataDir, logger);
  const cluster = options.cluster ? await connectCluster(options.cluster, logger) : undefined;
  const store = openIntentStore(options.databasePath);
  const boot = bootstrap(store, options.adminToken);
  const events = createIntentEvents();
  // Made on the first start and kept in the database: the label of every object this one writes.
  const installationId = settingsRepository.installationId(store.db);
  // The registry's token authority: its signing key is made on the first start and kept.
  const registry = await loadRegistryAuthority(store.db, {
    issuer: REGISTRY_ISSUER,
    service: REGISTRY_SERVICE,
  });
  const registrySettings: RegistrySettings = {
    host: options.registry?.host,
    apiUrl: options.registry?.apiUrl,
    publicUrl: options.registry?.publicUrl,
  };
  // Known once listening (port 0 in tests): the realm falls back to the address served.
  let servedUrl = '';
  if (cluster) logger.info({ component: 'sync', installationId }, 'installation');
  const metrics = createMetrics();
  const healthProbe =
    cluster && options.cluster ? healthProbeFor(cluster, options.cluster.healthChecks, logger) : undefined;
  const sync =
    cluster && options.cluster
      ? createSyncEngine({
          store,
          gateway: cluster.gateway,
          logger,
          observer: metrics.observer,
          intervalMs: options.cluster.syncIntervalMs,
          ...(options.cluster.pollMs !== undefined ? { pollMs: options.cluster.pollMs } : {}),
          // The engine's writes go on the bus of the API's own, for the change streams.
          onWrite: (write) => events.emit({ ...write, origin: 'sync' }),
          settings: {
            storageClass: options.storageClass,
            ingressClass: options.ingressClass,
            policyFlavour: options.networkPolicy ?? 'cilium',
            installationId,
            ...(options.loadBalancerIngress
              ? {
                  loadBalancerIngress: {
                    certManagerIssuer: options.loadBalancerIngress.certManagerIssuer,
                    ...(options.loadBalancerIngress.redirectAnnotations
                      ? { redirectAnnotations: options.loadBalancerIngress.redirectAnnotations }
                      : {}),
                  },
                }
              : {}),
            // In a pod, the health checker runs in the lease's namespace (deploy/): let it in.
            ...(cluster.source === 'in-cluster' && options.cluster.leaseNamespace
              ? { checkerNamespace: options.cluster.leaseNamespace }
              : {}),
            pullCredentialFor: createPullCredentialResolver({
              db: store.db,
              authority: registry,
              registryHost: registrySettings.host,
            }),
            ...(cluster.objectStoreEndpoint ? { objectStoreEndpoint: cluster.objectStoreEndpoint } : {}),
          },
          ...(options.cluster.orphanMaxShare !== undefined
            ? { orphanMaxShare: options.cluster.orphanMaxShare }
            : {}),
          ...(healthProbe ? { probe: healthProbe } : {}),
          ...(options.cluster.leaseNamespace !== undefined
            ? {
                lease: { namespace: options.cluster.leaseNamespace },
              }
            : {}),
        })
      : undefined;
  const usageSampler =
    sync && cluster && options.cluster
      ? createUsageSampler({
          store,
          gateway: cluster.gateway,
          logger,
          isLeader: () => sync.status().leader,
          ...(options.cluster.usageIntervalMs !== undefined
            ? { intervalMs: options.cluster.usageIntervalMs }
            : {}),
        })
      : undefined;
  // The provisioner: cluster components, reconciled while this process leads.
  const catalogue = options.componentsCatalogue
    ? withCatalogueFile(builtinCatalogue, options.componentsCatalogue)
    : builtinCatalogue;
  const provisioner =
    sync && cluster && options.cluster
      ? createComponentReconciler({
          store,
          gateway: cluster.gateway,
          logger,
          catalogue,
          installationId,
          isLeader: () => sync.status().leader,
          intervalMs: options.cluster.syncIntervalMs,
          ...(options.cluster.pollMs !== undefined ? { pollMs: options.cluster.pollMs * 4 } : {}),
          fetch: { mirror: options.componentsMirror },
          onKindsServed: () => sync.recheckUnservedKinds(),
          generated: () => ({
            registryAuth: {
              realm: `${registrySettings.publicUrl ?? servedUrl}${REGISTRY_TOKEN_PATH}`,
              issuer: registry.issuer,
              service: registry.service,
              jwks: registry.jwks,
            },
          }),
        })
      : undefined;
  // Every committed write is reconciled at once instead of at the next resync.
  if (sync) {
    events.subscribe((change) => {
      // SSH keys have nothing in the cluster; the engine's own writes are not news to it.
      if (change.origin !== 'sync' && change.kind !== 'sshKey')
        sync.enqueue(change.kind, change.id, change.projectId);
    });
    metrics.watchEngine(sync);
  }
  const runtime = createRuntimeView(cluster, sync, options.cluster ? options.cluster.syncIntervalMs : null);
  const feed = createChangeFeed({ store, events, bufferSize: limits.eventBufferSize });
  const streams = createStreamRegistry({
    maxStreams: limits.maxStreams,
    maxStreamsPerUser: limits.maxStreamsPerUser,
    heartbeatMs: limits.streamHeartbeatMs,
  });
  // Unset, the pool is the embedded cluster's reserved one (its load balancer gives those on
  // request); a real cluster's administrator must name addresses its load balancer can give.
  const embedded =
    !options.cluster ||
    (options.cluster.mode ?? (options.cluster.kubeconfig ? 'kubeconfig' : 'embedded')) === 'embedded';
  const reservedIps = {
    pool: parseReservedIpPool(options.reservedIpPool ?? (embedded ? EMBEDDED_RESERVED_IP_POOL : '')),
    region: options.region ?? DEFAULT_REGION,
  };
  const services = answerBusyAsUnavailable(
    requireComponents(
      createServices(
        {
          store,
          events,
          runtime,
          userLimits,
          logger,
          streams,
          registry: {
            host: registrySettings.host,
            api: registrySettings.apiUrl
              ? createRegistryApi({ url: registrySettings.apiUrl, authority: registry })
              : undefined,
          },
          reservedIps,
          ...(options.cluster && options.cluster.usageIntervalMs !== undefined
            ? { usageIntervalMs: options.cluster.usageIntervalMs }
            : {}),
        },
        createEventService({ store, feed, streams }),
        createComponentService({
          store,
          catalogue,
          provisioner:
            provisioner && cluster
              ? { enqueue: provisioner.enqueue, preflight: () => runPreflight(cluster.gateway) }
              : undefined,
        }),
      ),
      store,
      options.storageClass,
    ),
    logger,
  );
  const authLimiter = createAuthLimiter({
    burst: limits.authFailureBurst,
    perMinute: limits.authFailuresPerMinute,
  });
  const { app, injectWebSocket } = createApp({
    store,
    services,
    logger,
    metrics,
    webDir: options.webDir,
    limits,
    authLimiter,
    registry,
    openConsole: cluster
      ? (projectId, dropletId, kind) =>
          cluster.gateway.openConsole(namespaceName(projectId), objectName(dropletId), {}, kind)
      : undefined,
  });
  const server = createAdaptorServer({ fetch: app.fetch, serverOptions: serverOptionsFor(limits) }) as Server;
  injectWebSocket(server);
  capConnections(server, limits);
  try {
    await listen(server, options.port, options.host);
  } catch (error) {
    feed.close();
    store.close();
    await cluster?.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const auditRetention = startAuditRetention(
    store,
    options.auditRetentionDays ?? defaultAuditRetentionDays,
    logger,
  );
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  servedUrl = `http://${host}:${port}`;
  // The API never waits for Kubernetes: sync starts in the background.
  // Sampling starts once the first campaign for the lease is over, so that its first pass counts.
  void sync?.start().then(() => {
    usageSampler?.start();
    provisioner?.start();
  });

  let closing: Promise<void> | undefined;
  const close = (graceMs = 10_000) =>
    (closing ??= new Promise<void>((resolve) => {
      auditRetention.stop();
      // Open change streams end now; their clients reconnect to whichever server answers next.
      streams.closeAll();
      feed.close();
      const force = setTimeout(() => server.closeAllConnections(), graceMs);
      // A stream that just ended leaves its connection idle, and its client may reconnect on it.
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      server.close(() => {
        clearTimeout(force);
        clearInterval(sweep);
        void (async () => {
          await usageSampler?.stop();
          await provisioner?.stop();
          await sync?.stop();
          await cluster?.close();
          store.close();
          resolve();
        })();
      });
      server.closeIdleConnections();
    }));

  return {
    url: servedUrl,
    registry,
    port,
    store,
    services,
    events,
    streams,
    bootstrap: boot,
    cluster,
    sync,
    provisioner,
    close,
  };
};
