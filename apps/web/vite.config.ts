import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The API serves the built dashboard from `/`, tRPC from `/trpc` and REST from `/api/v1`; in
// development Vite serves the dashboard and forwards both to a locally running API.
export default defineConfig({
  plugins: [react(), tailwindcss()],
  // `@uncloud/sdk` is consumed as TypeScript source inside the workspace (its `dist/` is for npm).
  resolve: { conditions: ['@uncloud/source', 'module', 'browser', 'development|production'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod ships `@__PURE__` comments Rollup cannot place; they are harmless and not ours to fix.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
        warn(warning);
      },
      output: {
        // Libraries change less often than the dashboard, so they get their own cacheable files.
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined;
          // noVNC (with its top-level await) is loaded only when a droplet's screen is opened.
          if (id.includes('node_modules/@novnc/')) return 'novnc';
          // Recharts and what it brings are loaded only by the overview's charts, when it opens.
          if (
            /node_modules\/(recharts|victory-vendor|d3-[a-z-]+|internmap|@reduxjs|redux|redux-thunk|react-redux|immer|reselect|decimal\.js-light|es-toolkit|eventemitter3)\//.test(
              id,
            )
          )
            return 'charts';
          return /node_modules\/(react|react-dom|scheduler|react-router|cookie|set-cookie-parser)\//.test(id)
            ? 'react'
            : 'vendor';
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/trpc': { target: 'http://127.0.0.1:8080', changeOrigin: true },
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: true },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.tsx'],
    setupFiles: ['src/test/setup.ts'],
  },
});
