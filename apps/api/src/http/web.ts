import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

/**
 * The built dashboard at `/`: files as they are, and `index.html` for every other path so that
 * client-side routes survive a reload.
 */
export const webRoutes = (webDir: string) => {
  const app = new Hono();
  const index = join(webDir, 'index.html');
  if (!existsSync(index)) {
    return app.get('*', (c) =>
      c.text('The dashboard is not built. Run `npm run build` (npm start does it for you).', 503),
    );
  }
  return app.use('*', serveStatic({ root: webDir })).get('*', serveStatic({ path: index }));
};
