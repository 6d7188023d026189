import { defineConfig } from 'vitest/config';

// Integration tests start a simulated cluster per file and spawn kubectl; on a busy machine a
// start-up can take a few seconds, so hooks get more room than the default.
export default defineConfig({
  // The tests drive it through @uncloud/kube, which reads `@uncloud/sdk` as TypeScript source
  // inside the workspace (its `dist/` is for npm).
  ssr: { resolve: { conditions: ['@uncloud/source', 'node', 'development|production'] } },
  test: {
    testTimeout: 15_000,
    hookTimeout: 30_000,
  },
});
