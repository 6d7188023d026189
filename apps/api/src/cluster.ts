import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createKubeGateway, loadKubeConfig, type KubeGateway } from '@uncloud/kube';
import { createSimCluster, type SimCluster } from '@uncloud/kube-sim';
import type { Logger } from './logger.ts';

export interface ClusterConnection {
  gateway: KubeGateway;
  /** `simulated` when Uncloud runs its embedded cluster, `external` with a kubeconfig. */
  mode: 'simulated' | 'external';
  /** The embedded cluster, when there is one. */
  sim: SimCluster | undefined;
  kubeconfigPath: string;
  close(): Promise<void>;
}

export interface ClusterOptions {
  kubeconfig: string | undefined;
  dataDir: string;
  /** Delay of the simulated controllers (only for the embedded cluster). */
  simControllerDelayMs?: number;
}

/**
 * With a kubeconfig, Uncloud manages that cluster and never starts the simulation. Without one it
 * starts the simulated cluster in-process, keeping its objects in the data dir across restarts.
 */
export const connectCluster = async (options: ClusterOptions, logger: Logger): Promise<ClusterConnection> => {
  if (options.kubeconfig) {
    const gateway = createKubeGateway(loadKubeConfig({ kubeconfigPath: options.kubeconfig }));
    logger.info(
      { cluster: gateway.server, kubeconfig: options.kubeconfig },
      'managing the cluster of KUBECONFIG',
    );
    return {
      gateway,
      mode: 'external',
      sim: undefined,
      kubeconfigPath: options.kubeconfig,
      close: async () => gateway.close(),
    };
  }
  mkdirSync(options.dataDir, { recursive: true });
  const sim = createSimCluster({
    dataFile: join(options.dataDir, 'simulated-cluster.json'),
    kubeconfigPath: join(options.dataDir, 'simulated-cluster.kubeconfig'),
    ...(options.simControllerDelayMs !== undefined
      ? { controllerDelayMs: options.simControllerDelayMs }
      : {}),
  });
  const info = await sim.start();
  const gateway = createKubeGateway(loadKubeConfig({ kubeconfigPath: info.kubeconfigPath }));
  logger.info(
    { cluster: info.url, kubeconfig: info.kubeconfigPath },
    'no KUBECONFIG: running on the embedded simulated cluster (kubectl --kubeconfig <path> works against it)',
  );
  return {
    gateway,
    mode: 'simulated',
    sim,
    kubeconfigPath: info.kubeconfigPath,
    close: async () => {
      gateway.close();
      await sim.stop();
    },
  };
};
