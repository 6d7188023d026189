import { Hono } from 'hono';
import type { IntentStore } from '@uncloud/db';

/** Liveness and readiness, without authentication, for load balancers and orchestrators. */
export const healthRoutes = (store: IntentStore) =>
  new Hono()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', (c) => {
      try {
        store.sqlite.prepare('select 1').get();
        return c.json({ status: 'ready', checks: { database: 'ok' } });
      } catch (error) {
        return c.json({ status: 'not ready', checks: { database: String(error) } }, 503);
      }
    });
