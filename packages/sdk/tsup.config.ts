import { defineConfig } from 'tsup';

// Only the client entry is published. `@uncloud/sdk/contract` (the server side of the API) stays
// workspace-internal: its types reach users through `AppRouter` in the bundled declarations.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  // `neutral` refuses to resolve Node built-ins, so a `node:` import slipping into the client fails
  // the build instead of breaking browsers.
  platform: 'neutral',
  target: 'es2022',
  clean: true,
  // No source maps: they would point at `src/`, which is not published.
  sourcemap: false,
  treeshake: true,
});
