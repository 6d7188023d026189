import { defineConfig } from 'vitest/config';

// `@uncloud/sdk` is consumed as TypeScript source inside the workspace (its `dist/` is for npm).
// The gateway's tests against an API server live in @uncloud/kube-sim, which may use this package
// (never the reverse).
export default defineConfig({
  ssr: { resolve: { conditions: ['@uncloud/source', 'node', 'development|production'] } },
});
