import { vitestConfig } from '@uncloud/vitest-config';

// The real tier (`npm run test:real`): every kind's desired objects and the sync engine's
// convergence, against one kube-real control plane that the globalSetup starts for the run and
// stops after it. The same files run on simulated clusters in `npm test`; `*.real.test.ts` (the
// deploy/ manifests and their RBAC) only here.
export default vitestConfig({
  test: {
    include: [
      'test/desired-objects.test.ts',
      'test/sync.test.ts',
      'test/sync-kinds.test.ts',
      'test/**/*.real.test.ts',
    ],
    // The registry's suite needs no control plane: vitest.registry-real.config.ts runs it.
    exclude: ['test/registry.real.test.ts'],
    globalSetup: ['@uncloud/kube-real/vitest-setup'],
    // The files share one plane on a loaded machine: one file at a time. (Each stack is an
    // installation of its own, so none collects another's objects.)
    fileParallelism: false,
    // Real controllers, a real namespace deletion, a loaded 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
