import { vitestConfig } from '@uncloud/vitest-config';

// `@uncloud/api/testing` runs from source; the packed SDK under test is installed in a scratch
// directory and reached only through child processes.
export default vitestConfig({
  test: {
    globalSetup: ['test/install-package.ts'],
    // npm, tsc and the examples run as child processes, each taking seconds on a busy machine.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
