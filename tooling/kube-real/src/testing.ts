import { inject } from 'vitest';
import { KUBECONFIG_KEY } from './provided.ts';

/**
 * The kubeconfig of the real control plane this test run was given (the real tier's globalSetup,
 * `@uncloud/kube-real/vitest-setup`), or undefined in the fast tier, where tests start a simulator.
 */
export const realClusterKubeconfig = (): string | undefined => inject(KUBECONFIG_KEY) || undefined;
