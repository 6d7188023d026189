import { defineConfig } from 'vitest/config';

// The browser suite: the built dashboard served by the real API, driven in Debian's Chromium. One
// file at a time, in Node, with timeouts sized for a cold server on a busy machine.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
