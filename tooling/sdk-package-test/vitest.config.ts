import { defineConfig } from 'vitest/config';

export default defineConfig({
  // `@uncloud/api/testing` runs from source, and so does the `@uncloud/sdk` it imports; the packed SDK
  // under test is installed in a scratch directory and reached only through child processes.
  ssr: { resolve: { conditions: ['@uncloud/source', 'node', 'development|production'] } },
  test: {
    globalSetup: ['test/install-package.ts'],
    // npm, tsc and the examples run as child processes, each taking seconds on a busy machine.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
