import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openKubeGateway, type KubeGateway } from '@uncloud/kube';
import type { TargetProbe } from '@uncloud/sync';
import {
  RESERVED_LOAD_BALANCER_CIDR,
  createSimCluster,
  startSimWorker,
  type SimCluster,
  type SimClusterOptions,
} from '@uncloud/kube-sim';
import { type ClusterMode, ConfigError, HOW_TO_CHOOSE_CLUSTER, SERVICE_ACCOUNT_DIR } from './config.ts';
import type { Logger } from './logger.ts';

export interface ClusterConnection {
  gateway: KubeGateway;
  /** `simulated` when Uncloud runs its embedded cluster, `external` with a real one. */
  mode: 'simulated' | 'external';
  /** Where the cluster came from: `UNCLOUD_CLUSTER`, chosen or detected. */
  source: ClusterMode;
  /** The embedded cluster, when it runs in this thread (`simulator: 'in-process'`). */
  sim: SimCluster | undefined;
  /** Where the embedded cluster runs, when there is one. */
  simulator: SimulatorPlacement | undefined;
  /** The kubeconfig file (absent in-cluster: the pod's service account is used). */
  kubeconfigPath: string | undefined;
  /**
   * How load balancers' health checks reach targets, when not over the network: the embedded
   * cluster's guests are simulated, and it answers for them (its `/_sim/network/probe`).
   */
  probe: TargetProbe | undefined;
  /**
   * The embedded cluster's object store, as S3 clients reach it (a real S3 server's when one is
   * configured, else the cluster's own): what buckets report as their endpoint.
   */
  objectStoreEndpoint: string | undefined;
  close(): Promise<void>;
}

/**
 * Health checks of the simulated guests, asked of the simulated cluster over its control API (it
 * may run in another thread): what a real check would find at the address.
 */
const simulatedProbe =
  (info: { httpUrl: string; token: string }): TargetProbe =>
  async (target) => {
    try {
      const res = await fetch(`${info.httpUrl}/_sim/network/probe`, {
        method: 'POST',
        headers: { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(target),
        signal: AbortSignal.timeout(target.timeoutMs + 1000),
      });
      if (!res.ok) return { ok: false, reason: `the check could not run (${res.status})` };
      return (await res.json()) as { ok: boolean; reason: string };
    } catch (error) {
      return { ok: false, reason: `the check could not run: ${(error as Error).message}` };
    }
  };

/**
 * Where the embedded simulated cluster runs: `separate` (what `npm start` uses) in a worker thread
 * with its own event loop, so its controllers and lists never hold up the API's requests;
 * `in-process` on the API's own loop, for tests and benchmarks that drive it directly
 * (`sim.addLatency`, `sim.pauseControllers`, …).
 */
export type SimulatorPlacement = 'in-process' | 'separate';

export interface ClusterOptions {
  /** Default: `kubeconfig` when `kubeconfig` is given, else `embedded`. */
  mode?: ClusterMode;
  kubeconfig: string | undefined;
  dataDir: string;
  /** Why this mode was chosen, for the start-up log line. */
  chosenBy?: string;
  /** Delay of the simulated controllers (only for the embedded cluster). */
  simControllerDelayMs?: number;
  /** The embedded cluster's nodes (default {@link EMBEDDED_CLUSTER_NODES}). */
  simNodes?: SimClusterOptions['nodes'];
  /** A real S3 server behind the embedded cluster's object store (default: the cluster's own). */
  simObjectStore?: SimClusterOptions['objectStore'];
  /** Where the embedded cluster runs (default `in-process`; `npm start` asks for `separate`). */
  simulator?: SimulatorPlacement;
  /**
   * Called when a `separate` simulator's thread ends without being stopped. Default: logged. The
   * program decides what follows (`npm start` stops: see docs/operations.md).
   */
  onSimulatorExit?: (error: Error) => void;
}

/**
 * The embedded cluster schedules pods only where they fit, as a real one does, so it gets room for
 * a real fleet: 8 nodes of 64 CPUs, 256 GiB and 250 pods (512 CPUs, 2 TiB, 2 000 pods) hold the
 * fleet benchmark's thousand live resources (400 one-vCPU droplets, 300 apps) with room to spare.
 */
/**
 * The embedded cluster's load balancer hands out this range only on request (as a MetalLB
 * IPAddressPool with `autoAssign: false`): the reserved IPs' pool when the administrator sets none.
 */
export const EMBEDDED_RESERVED_IP_POOL = RESERVED_LOAD_BALANCER_CIDR;

export const EMBEDDED_CLUSTER_NODES = { count: 8, cpu: '64', memory: '256Gi', pods: 250 } as const;

/**
 * Loads a real cluster's credentials, or says what is missing: never a quiet fall back. The gateway
 * reads them again when the cluster changes them (a restarted API server with a new certificate
 * and token), so the API need not be restarted.
 */
const externalGateway = (mode: 'kubeconfig' | 'in-cluster', kubeconfig: string | undefined) => {
  try {
    if (mode === 'in-cluster') {
      // client-node reads these only at the first request: say now which one is missing.
      for (const file of ['token', 'ca.crt'])
        if (!existsSync(`${SERVICE_ACCOUNT_DIR}/${file}`))
          throw new Error(`${SERVICE_ACCOUNT_DIR}/${file} is missing`);
      return openKubeGateway({ inCluster: true });
    }
    if (!kubeconfig) throw new Error('KUBECONFIG is not set');
    return openKubeGateway({ kubeconfigPath: kubeconfig });
  } catch (error) {
    const what =
      mode === 'in-cluster'
        ? "the pod's service account credentials"
        : `the kubeconfig ${kubeconfig ?? '(none given)'}`;
    throw new ConfigError(
      `UNCLOUD_CLUSTER=${mode}: could not load ${what}: ${(error as Error).message}; ${HOW_TO_CHOOSE_CLUSTER}`,
    );
  }
};

/**
 * Connects to the cluster Uncloud manages: a kubeconfig's, the pod's own (in-cluster, through its
 * service account), or the simulated cluster started in-process with its objects kept in the data
 * dir across restarts. The mode is explicit and logged.
 */
export const connectCluster = async (options: ClusterOptions, logger: Logger): Promise<ClusterConnection> => {
  const mode: ClusterMode = options.mode ?? (options.kubeconfig ? 'kubeconfig' : 'embedded');
  const chosenBy = options.chosenBy ?? (options.mode ? 'UNCLOUD_CLUSTER' : 'the server options');
  if (mode !== 'embedded') {
    const gateway = externalGateway(mode, options.kubeconfig);
    logger.info(
      { clusterMode: mode, chosenBy, cluster: gateway.server, kubeconfig: options.kubeconfig },
      mode === 'in-cluster'
        ? 'managing the cluster this pod runs in, with its service account'
        : 'managing the cluster of KUBECONFIG',
    );
    return {
      gateway,
      mode: 'external',
      source: mode,
      sim: undefined,
      simulator: undefined,
      kubeconfigPath: mode === 'kubeconfig' ? options.kubeconfig : undefined,
      probe: undefined,
      objectStoreEndpoint: undefined,
      close: async () => gateway.close(),
    };
  }
  mkdirSync(options.dataDir, { recursive: true });
  const simOptions: SimClusterOptions = {
    dataFile: join(options.dataDir, 'simulated-cluster.json'),
    kubeconfigPath: join(options.dataDir, 'simulated-cluster.kubeconfig'),
    nodes: options.simNodes ?? EMBEDDED_CLUSTER_NODES,
    ...(options.simObjectStore ? { objectStore: options.simObjectStore } : {}),
    ...(options.simControllerDelayMs !== undefined
      ? { controllerDelayMs: options.simControllerDelayMs }
      : {}),
  };
  const simulator = options.simulator ?? 'in-process';
  let sim: SimCluster | undefined;
  let stopSim: () => Promise<void>;
  let info;
  if (simulator === 'separate') {
    const worker = await startSimWorker(simOptions);
    info = worker.info;
    stopSim = () => worker.stop();
    void worker.exited.then((error) => {
      if (options.onSimulatorExit) options.onSimulatorExit(error);
      else logger.error({ err: error, component: 'simulated-cluster' }, 'the simulated cluster stopped');
    });
  } else {
    const inProcess = createSimCluster(simOptions);
    info = await inProcess.start();
    sim = inProcess;
    stopSim = () => inProcess.stop();
  }
  const gateway = openKubeGateway({ kubeconfigPath: info.kubeconfigPath });
  logger.info(
    {
      clusterMode: mode,
      chosenBy,
      simulator,
      cluster: info.url,
      kubeconfig: info.kubeconfigPath,
      objectStore: options.simObjectStore?.endpoint ?? info.objectStore?.endpoint,
    },
    'running on the embedded simulated cluster (kubectl --kubeconfig <path> works against it)',
  );
  return {
    gateway,
    mode: 'simulated',
    source: mode,
    sim,
    simulator,
    kubeconfigPath: info.kubeconfigPath,
    probe: simulatedProbe(info),
    objectStoreEndpoint: options.simObjectStore?.endpoint ?? info.objectStore?.endpoint,
    close: async () => {
      gateway.close();
      await stopSim();
    },
  };
};
