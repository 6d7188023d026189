// The simulated cluster: store, API semantics, HTTP server, controllers, persistence and the
// fault-injection handle, started and stopped as one.
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiMetrics } from './api-metrics.ts';
import { createCnpgClusterController } from './controllers/cnpg.ts';
import { cnpgScheduledBackupController, createCnpgBackupController } from './controllers/cnpg-backup.ts';
import { createObjectBucketController } from './controllers/object-bucket.ts';
import { createObjectStoreBackend, type ObjectStoreOptions } from './controllers/object-store-backend.ts';
import { operatorController } from './controllers/operators.ts';
import {
  eventTtl,
  ingressController,
  namespaceController,
  serviceController,
  volumeBinder,
} from './controllers/core.ts';
import { createGarbageCollector } from './controllers/gc.ts';
import { endpointsController } from './controllers/endpoints.ts';
import { createJobController } from './controllers/job.ts';
import { createUncloudDumpWorkloads } from './controllers/job-workloads.ts';
import { cronJobController } from './controllers/cronjob.ts';
import { SimObjects } from './sim-objects.ts';
import { EmbeddedObjectStore, type EmbeddedObjectStoreInfo } from './object-store/embedded-store.ts';
import { EmbeddedS3Server } from './object-store/s3-server.ts';
import { readPort, writePort } from './object-store/port-file.ts';
import { SimStatefulDatabase } from './stateful-db.ts';
import { crashLoopBackOff } from './controllers/crash-loop.ts';
import { kubelet } from './controllers/kubelet.ts';
import { virtualMachineController, virtualMachineInstanceController } from './controllers/kubevirt.ts';
import { virtualMachineSnapshotController } from './controllers/kubevirt-snapshot.ts';
import { virtualMachineRestoreController } from './controllers/kubevirt-restore.ts';
import { createDataVolumeController } from './controllers/cdi.ts';
import {
  createSnapshotRestoreController,
  createVolumeSnapshotController,
} from './controllers/volume-snapshot.ts';
import { DiskContents, SimGuest } from './disks.ts';
import { PgArchive, SimPostgres } from './pg-archive.ts';
import { GuestNetwork } from './guest-network.ts';
import { ControllerManager } from './controllers/manager.ts';
import { createScheduler } from './controllers/scheduler.ts';
import { quotaController } from './controllers/quota.ts';
import {
  deploymentController,
  replicaSetController,
  statefulSetController,
} from './controllers/workloads.ts';
import { handleControl, type ObjectRef, type SimControl } from './control.ts';
import {
  FaultState,
  RequestCounter,
  type ErrorFault,
  type LatencyFault,
  type RequestCount,
} from './faults.ts';
import { defaultIngressClass } from './ingress-class.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { ObjectApi } from './object-api.ts';
import { warmCustomSchemas } from './schema/admit.ts';
import { DataFile } from './persistence.ts';
import { Registry } from './registry.ts';
import {
  ensureNodes,
  NODE_IP,
  NODE_NAME,
  resolveNodeOptions,
  seedCluster,
  type Profile,
  type SimNodeOptions,
} from './seed.ts';
import { SimServer } from './server.ts';
import { selfSignedCert, type ServerCert } from './tls-cert.ts';
import { ObjectStore } from './store.ts';
import { WatchHub } from './watch.ts';
import { type NetworkConnection, networkAllows } from './network-policy.ts';

export interface SimClusterOptions {
  /** Listen address (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: a random free port). */
  port?: number;
  /** `full` (default): CRDs, storage class and ingress class installed; `bare`: core kinds only. */
  profile?: Profile;
  /** Delay of each simulated controller step in ms (default 300; 0 in tests). */
  controllerDelayMs?: number;
  /** Bearer token (default: random). */
  token?: string;
  /** Where to write the kubeconfig (default: a new temporary directory). */
  kubeconfigPath?: string;
  /**
   * Keep the objects in this file (SQLite) across restarts; every acknowledged write is in it. A JSON
   * snapshot found there (the format of earlier versions) is imported.
   */
  dataFile?: string;
  /** Interval of BOOKMARK events on watches that allow them (default 10 s). */
  bookmarkIntervalMs?: number;
  /** How often a simulated container writes a request-log line to its pods/log (default 2 s). */
  logIntervalMs?: number;
  /** Watch history retained, in events (default 20 000). */
  historyLimit?: number;
  /**
   * The simulated nodes pods are scheduled on (default: one node of 8 CPUs, 32Gi and 110 pods,
   * as kube-real's). A pod that fits on none stays Pending, as on a real cluster.
   */
  nodes?: SimNodeOptions;
  /**
   * A real S3 server behind the simulated Rook object store (e.g. tooling/s3-real): claims make
   * real buckets and users there, and their ConfigMaps say where it is. Default: the cluster's own
   * S3 server (object-store/), on a loopback port of `host`.
   */
  objectStore?: ObjectStoreOptions;
  /**
   * The port of the cluster's own S3 server (default: the one it had before, kept next to
   * `dataFile`, so the endpoints in claims' ConfigMaps stay right; else any free port).
   */
  objectStorePort?: number;
}

export interface SimClusterInfo {
  /** https:// URL (self-signed; its CA is in the kubeconfig). */
  url: string;
  /** The same server over plain HTTP (same port, same token). */
  httpUrl: string;
  kubeconfigPath: string;
  token: string;
  /** PEM of the server certificate, to trust it outside the kubeconfig. */
  caCert: string;
  /**
   * The cluster's own S3 server (when no real one is configured): its endpoint, region and
   * administrator's keys.
   */
  objectStore?: EmbeddedObjectStoreInfo;
}

export class SimCluster implements SimControl {
  readonly store: ObjectStore;
  readonly registry = new Registry();
  readonly api: ObjectApi;
  readonly faults = new FaultState();
  readonly requests = new RequestCounter();
  readonly watches = new WatchHub();
  /** What the simulated volumes and snapshots hold (see disks.ts). */
  readonly disks = new DiskContents();
  /** The running guests' boot disks, as the guest sees them: write a file, power-cycle, read it back. */
  readonly guest: SimGuest;
  /** What CloudNativePG's object stores hold: base backups and archived WAL (see pg-archive.ts). */
  readonly pgArchive = new PgArchive();
  /** The simulated PostgreSQL servers, as a client sees them: write a row, read the rows. */
  readonly postgres: SimPostgres;
  /** The simulated MySQL and Valkey servers (StatefulSets), as a client sees them (stateful-db.ts). */
  readonly mysql: SimStatefulDatabase;
  readonly valkey: SimStatefulDatabase;
  /** What is in the buckets of the cluster's own S3 server (when no real one is configured). */
  readonly objects = new SimObjects();
  /** The cluster's own S3 server, when no real one is configured (see object-store/). */
  readonly objectStore: EmbeddedObjectStore | undefined;
  private readonly s3Server: EmbeddedS3Server | undefined;
  /** What the running guests answer on the network (see guest-network.ts). */
  readonly network: GuestNetwork;
  private readonly controllers: ControllerManager;
  private readonly server: SimServer;
  private readonly token: string;
  /** Made at the first start and kept across restarts of this instance. */
  private cert: ServerCert | undefined;
  private readonly held = new Set<string>();
  private info: SimClusterInfo | undefined;
  private tempDir: string | undefined;
  private dataFile: DataFile | undefined;
  private refuseTimer: NodeJS.Timeout | undefined;
  private stopWarming: () => void = () => undefined;

  constructor(private readonly options: SimClusterOptions = {}) {
    this.store = new ObjectStore(options.historyLimit);
    this.api = new ObjectApi(this.store, this.registry);
    this.api.admissions.push(defaultIngressClass);
    this.guest = new SimGuest(this.api, this.disks);
    this.postgres = new SimPostgres(this.api, this.disks, this.pgArchive);
    this.mysql = new SimStatefulDatabase(this.api, this.disks, 'mysql');
    this.valkey = new SimStatefulDatabase(this.api, this.disks, 'valkey');
    this.network = new GuestNetwork(this.api);
    resolveNodeOptions(options.nodes);
    this.token = options.token ?? randomBytes(24).toString('hex');
    const caPem = () => {
      if (!this.cert) throw new Error('the simulated cluster is not started');
      return this.cert.cert;
    };
    // One backend for the buckets and for what backups leave in them.
    if (!options.objectStore) {
      this.objectStore = new EmbeddedObjectStore(this.objects);
      this.s3Server = new EmbeddedS3Server(this.objectStore);
    }
    const objectStore = options.objectStore
      ? createObjectStoreBackend(options.objectStore)
      : this.objectStore;
    this.controllers = new ControllerManager(
      {
        api: this.api,
        nodeName: NODE_NAME,
        nodeIp: NODE_IP,
        get caPem() {
          return caPem();
        },
        isHeld: (r, ns, n) => this.held.has(`${r}|${ns}|${n}`),
        stepMs: options.controllerDelayMs ?? 300,
      },
      options.controllerDelayMs ?? 300,
    );
    this.controllers.register(
      createGarbageCollector(),
      namespaceController,
      serviceController,
      endpointsController,
      createJobController(createUncloudDumpWorkloads(this.disks, this.objects, objectStore)),
      cronJobController,
      ingressController,
      volumeBinder,
      createScheduler(),
      kubelet,
      crashLoopBackOff,
      deploymentController,
      replicaSetController,
      statefulSetController,
      virtualMachineController,
      virtualMachineInstanceController,
      virtualMachineSnapshotController,
      virtualMachineRestoreController,
      createDataVolumeController(this.disks),
      createVolumeSnapshotController(this.disks),
      createSnapshotRestoreController(this.disks),
      createCnpgClusterController(this.disks, this.pgArchive),
      createCnpgBackupController(this.disks, this.pgArchive, objectStore),
      cnpgScheduledBackupController,
      createObjectBucketController(objectStore, this.objects),
      operatorController,
      quotaController,
      eventTtl,
    );
    this.server = new SimServer(
      {
        api: this.api,
        watches: this.watches,
        bookmarkIntervalMs: options.bookmarkIntervalMs ?? 10_000,
        logIntervalMs: options.logIntervalMs ?? 2_000,
        injectConflict: () => this.faults.takeConflict(),
        network: this.network,
        token: this.token,
        faults: this.faults,
        requests: this.requests,
        control: (req, res, path) => handleControl(this, req, res, path),
        address: () => (this.info ? new URL(this.info.url).host : ''),
        metrics: new ApiMetrics(this.store, () => this.registry.all()),
      },
      options.host ?? '127.0.0.1',
    );
  }

  get url(): string {
    if (!this.info) throw new Error('the simulated cluster is not started');
    return this.info.url;
  }

  async start(): Promise<SimClusterInfo> {
    if (this.info) return this.info;
    if (this.options.dataFile) this.dataFile = new DataFile(this.options.dataFile);
    const snapshot = this.dataFile?.load();
    if (snapshot) {
      this.store.load(snapshot);
      for (const o of this.store.list('apiextensions.k8s.io/customresourcedefinitions'))
        this.registry.syncCrd(o, true);
      this.dataFile?.attach(this.store);
      ensureNodes(this.api, this.options.nodes);
    } else {
      this.dataFile?.attach(this.store);
      seedCluster(this.api, this.options.profile ?? 'full', this.options.nodes);
    }
    this.cert ??= await selfSignedCert([this.options.host ?? '127.0.0.1', 'localhost']);
    this.server.useCertificate(this.cert);
    const port = await this.server.listen(this.options.port ?? 0);
    const listenHost = this.options.host ?? '127.0.0.1';
    // An IPv6 address is bracketed in a URL.
    const host = isIP(listenHost) === 6 ? `[${listenHost}]` : listenHost;
    const url = `https://${host}:${port}`;
    let kubeconfigPath = this.options.kubeconfigPath;
    if (!kubeconfigPath) {
      this.tempDir = await mkdtemp(join(tmpdir(), 'uncloud-sim-'));
      kubeconfigPath = join(this.tempDir, 'kubeconfig');
    }
    await writeKubeconfig(kubeconfigPath, url, this.token, this.cert.cert);
    if (this.s3Server && this.objectStore) {
      await this.s3Server.listen(listenHost, this.options.objectStorePort ?? readPort(this.portFile()));
      writePort(this.portFile(), Number(this.objectStore.endpoint.port));
    }
    this.info = {
      url,
      httpUrl: `http://${host}:${port}`,
      kubeconfigPath,
      token: this.token,
      caCert: this.cert.cert,
      ...(this.objectStore ? { objectStore: this.objectStore.info } : {}),
    };
    this.controllers.start();
    this.stopWarming = warmCustomSchemas(() => this.registry.all());
    return this.info;
  }

  /** Where the S3 server's port is kept across restarts (beside the data file), if anywhere. */
  private portFile(): string | undefined {
    return this.options.dataFile ? `${this.options.dataFile}.object-store-port` : undefined;
  }

  async stop(): Promise<void> {
    if (!this.info) return;
    this.controllers.stop();
    this.stopWarming();
    this.watches.expireAll();
    clearTimeout(this.refuseTimer);
    await this.server.close();
    await this.s3Server?.close();
    this.dataFile?.close();
    this.dataFile = undefined;
    if (this.tempDir) await rm(this.tempDir, { recursive: true, force: true });
    this.tempDir = undefined;
    this.info = undefined;
  }

  // Fault injection ----------------------------------------------------------------------------

  /** Close the listening socket and drop open connections; with a duration, come back after it. */
  async refuseConnections(durationMs?: number): Promise<void> {
    await this.server.refuse();
    if (durationMs !== undefined) {
      clearTimeout(this.refuseTimer);
      this.refuseTimer = setTimeout(() => void this.acceptConnections(), durationMs);
    }
  }

  async acceptConnections(): Promise<void> {
    clearTimeout(this.refuseTimer);
    if (this.info) await this.server.accept();
  }

  injectError(rule: ErrorFault): void {
    this.faults.addError(rule);
  }

  addLatency(rule: LatencyFault): void {
    this.faults.addLatency(rule);
  }

  failNextWrites(count: number): void {
    this.faults.failNextWrites(count);
  }

  /** End every open watch with 410 Expired, and make older resourceVersions too old to watch from. */
  expireWatches(): void {
    this.store.compact();
    this.watches.expireAll();
  }

  /** Every continue token issued so far answers 410 Expired. */
  expireContinueTokens(): void {
    this.api.tokenEpoch += 1;
  }

  /** Controllers leave this object where it is (e.g. a VM instance stuck in Scheduling). */
  holdObject(ref: ObjectRef): void {
    this.held.add(`${ref.resource}|${ref.namespace ?? ''}|${ref.name}`);
  }

  releaseObject(ref: ObjectRef): void {
    this.held.delete(`${ref.resource}|${ref.namespace ?? ''}|${ref.name}`);
    const type = this.registry.get(ref.resource);
    const obj = type && this.api.find(type, ref.namespace ?? '', ref.name);
    if (type && obj) this.store.put(ref.resource, obj);
  }

  clearFaults(): void {
    this.faults.clear();
    this.held.clear();
  }

  pauseControllers(): void {
    this.controllers.pause();
  }

  resumeControllers(): void {
    this.controllers.resume();
  }

  requestCounts(): RequestCount[] {
    return this.requests.snapshot();
  }

  /** Requests served since the last reset, optionally only one verb, resource and/or kind. */
  requestTotal(filter: { verb?: string; resource?: string; kind?: string } = {}): number {
    return this.requests.total(filter);
  }

  resetRequestCounts(): void {
    this.requests.reset();
  }

  /**
   * Whether a connection would pass the stored NetworkPolicies (network-policy.ts): the dataplane
   * the simulated cluster does not run, asked instead.
   */
  allowsConnection(connection: NetworkConnection): boolean {
    return networkAllows(this.store, connection);
  }

  state(): Record<string, unknown> {
    return {
      resourceVersion: String(this.store.resourceVersion),
      controllersPaused: this.controllers.isPaused,
      openWatches: this.watches.size,
    };
  }
}

export function createSimCluster(options: SimClusterOptions = {}): SimCluster {
  return new SimCluster(options);
}
