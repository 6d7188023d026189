import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context } from 'hono';
import { compress } from 'hono/compress';

/** Where Vite puts the files whose names carry a hash of their contents. */
const ASSETS = '/assets/';

/**
 * A hashed file never changes under its name: caches keep it for a year without asking again.
 * Anything else (`index.html` above all, which names the current hashed files) is asked for again
 * every time, so that a new release reaches every open tab on its next load.
 */
const cacheFor = (path: string, c: Context) =>
  c.header(
    'cache-control',
    c.req.path.startsWith(ASSETS) && !path.endsWith('index.html')
      ? 'public, max-age=31536000, immutable'
      : 'no-cache',
  );

/**
 * The built dashboard at `/`: files as they are (compressed when the client accepts it), and
 * `index.html` for every other path so that client-side routes survive a reload.
 */
export const webRoutes = (webDir: string) => {
  const app = new Hono();
  const index = join(webDir, 'index.html');
  if (!existsSync(index)) {
    return app.get('*', (c) =>
      c.text('The dashboard is not built. Run `npm run build` (npm start does it for you).', 503),
    );
  }
  return app
    .use('*', compress())
    .use('*', serveStatic({ root: webDir, onFound: cacheFor }))
    .get('*', serveStatic({ path: index, onFound: (_path, c) => c.header('cache-control', 'no-cache') }));
};
