import { defineConfig } from 'tsup';

// One executable file; its dependencies (the SDK among them) are installed beside it by npm.
export default defineConfig({
  entry: { uncloud: 'src/main.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  clean: true,
  sourcemap: false,
  banner: { js: '#!/usr/bin/env node' },
});
