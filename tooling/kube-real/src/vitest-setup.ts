// vitest globalSetup of the real tier: one kube-real plane for the whole run of a package's
// `vitest.real.config.ts`, its kubeconfig handed to the test files (`realClusterKubeconfig()` from
// `@uncloud/kube-real/testing`), stopped when the run ends.
import type { TestProject } from 'vitest/node';
import { startKubeReal } from './plane.ts';
import { KUBECONFIG_KEY } from './provided.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Point a run at a plane that is already up (`npm run kube:real`) to skip the start while
  // iterating; the suites expect a fresh one, so restart it between runs.
  const given = process.env.UNCLOUD_TEST_KUBECONFIG;
  if (given) {
    project.provide(KUBECONFIG_KEY, given);
    return async () => undefined;
  }
  const plane = await startKubeReal();
  console.log(`kube-real ready in ${plane.startSeconds.toFixed(1)} s: ${plane.kubeconfigPath}`);
  project.provide(KUBECONFIG_KEY, plane.kubeconfigPath);
  return () => plane.stop();
}
