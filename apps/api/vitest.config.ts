import { defineConfig } from 'vitest/config';

// `@uncloud/sdk` is consumed as TypeScript source inside the workspace (its `dist/` is for npm).
export default defineConfig({
  ssr: { resolve: { conditions: ['@uncloud/source', 'node', 'development|production'] } },
});
