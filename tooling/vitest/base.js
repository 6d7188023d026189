// Plain JavaScript: vitest loads config files with Node itself, which cannot import TypeScript
// from another package. Types are in base.d.ts.
import { defineConfig, mergeConfig } from 'vitest/config';

/**
 * How the workspace resolves its own packages in tests: `@uncloud/source` first, so that a package
 * is consumed as TypeScript source (the SDK's `dist/` is for npm) and tests never wait for a build.
 */
export const sourceConditions = ['@uncloud/source', 'node', 'development|production'];

/** Room for suites that start clusters, servers or child processes on a busy 2-core machine. */
export const integrationTimeouts = { testTimeout: 15_000, hookTimeout: 30_000 };

/** Every package's vitest config: the shared base, plus what the package needs of its own. */
export const vitestConfig = (own = {}) =>
  mergeConfig(defineConfig({ ssr: { resolve: { conditions: sourceConditions } } }), own);
