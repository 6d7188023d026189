// The cluster a cluster-facing suite runs against: the run's real control plane in the real tier
// (`npm run test:real`, a kube-real plane started by the run's globalSetup), otherwise a simulated
// cluster of the test's own. The same test file runs on both; what needs the simulator's powers
// (fault injection, setting a VM's phase) stays in sim-only files.
import { realClusterKubeconfig } from '@uncloud/kube-real/testing';
import { SimCluster, type SimClusterOptions } from '../cluster.ts';

export interface ClusterUnderTest {
  kind: 'sim' | 'real';
  kubeconfigPath: string;
  /** The simulated cluster (sim only): its faults, controllers and store. */
  sim: SimCluster | undefined;
  /**
   * Stops the simulated cluster. The real plane is shared by every file of the run and stopped by
   * the run, so test files there use names of their own (namespaces, CRDs) and leave it running.
   */
  close(): Promise<void>;
}

/** Starts a simulated cluster (with `simOptions`), or hands over the run's real control plane. */
export const clusterUnderTest = async (simOptions: SimClusterOptions = {}): Promise<ClusterUnderTest> => {
  const real = realClusterKubeconfig();
  if (real) return { kind: 'real', kubeconfigPath: real, sim: undefined, close: async () => undefined };
  const sim = new SimCluster({ controllerDelayMs: 0, ...simOptions });
  const { kubeconfigPath } = await sim.start();
  return { kind: 'sim', kubeconfigPath, sim, close: () => sim.stop() };
};
