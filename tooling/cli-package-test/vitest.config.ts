import { vitestConfig } from '@uncloud/vitest-config';

// `@uncloud/api/testing` runs from source; the packed CLI and SDK under test are installed in a
// scratch directory and reached only through `npx uncloud` child processes.
export default vitestConfig({
  test: {
    globalSetup: ['test/install-packages.ts'],
    // npm and each command run as child processes, each taking a second or so on a busy machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
