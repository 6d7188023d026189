import { Hono } from 'hono';
import type { IntentStore } from '@uncloud/db';
import type { Services } from '@uncloud/sdk/contract';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { healthRoutes } from './health.ts';
import { metricsRoutes, timeRequests } from './metrics.ts';
import { trpcRoutes } from './trpc.ts';
import { webRoutes } from './web.ts';

export interface AppDeps {
  store: IntentStore;
  services: Services;
  logger: Logger;
  metrics: Metrics;
  webDir: string;
}

/** The HTTP surface, in the order requests are matched. */
export const createApp = ({ store, services, logger, metrics, webDir }: AppDeps) =>
  new Hono()
    .use(timeRequests(metrics))
    .use(async (c, next) => {
      const started = performance.now();
      await next();
      logger.debug(
        { method: c.req.method, path: c.req.path, status: c.res.status, ms: performance.now() - started },
        'request',
      );
    })
    .route('/', healthRoutes(store))
    .route('/', metricsRoutes(metrics))
    .route('/', trpcRoutes(services, logger))
    .route('/', webRoutes(webDir));
