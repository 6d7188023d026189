/** What the real tier's globalSetup hands to test files through vitest's provide/inject. */
export const KUBECONFIG_KEY = 'uncloudRealKubeconfig';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Kubeconfig of the run's kube-real plane (absent in the fast tier). */
    uncloudRealKubeconfig: string;
  }
}
