import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

// The real tier (`npm run test:real`): every kind's desired objects and the sync engine's
// convergence, against one kube-real control plane that the globalSetup starts for the run and
// stops after it. The same files run on simulated clusters in `npm test`.
export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: ['test/desired-objects.test.ts', 'test/sync.test.ts', 'test/sync-kinds.test.ts'],
      globalSetup: ['@uncloud/kube-real/vitest-setup'],
      // The files share the plane, and a stack's resync deletes labelled objects its store does not
      // know (orphans): one file at a time, so that no stack collects another file's objects.
      fileParallelism: false,
      // Real controllers, a real namespace deletion, a loaded 2-core machine.
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  }),
);
