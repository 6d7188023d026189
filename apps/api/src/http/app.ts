import { createNodeWebSocket } from '@hono/node-ws';
import { Hono } from 'hono';
import type { IntentStore } from '@uncloud/db';
import type { Services } from '@uncloud/sdk/contract';
import type { AuthLimiter } from '../auth-limiter.ts';
import type { Limits } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { limitBodies } from './body-limit.ts';
import { type ConsoleOpener, consoleRoutes } from './console.ts';
import { healthRoutes } from './health.ts';
import { metricsRoutes, timeRequests } from './metrics.ts';
import type { RegistryAuthority } from '../registry/authority.ts';
import { registryTokenRoutes } from './registry-token.ts';
import { restRoutes } from './rest/routes.ts';
import { securityHeaders } from './security-headers.ts';
import { trpcRoutes } from './trpc.ts';
import { webRoutes } from './web.ts';

export interface AppDeps {
  store: IntentStore;
  services: Services;
  logger: Logger;
  metrics: Metrics;
  webDir: string;
  limits: Limits;
  authLimiter: AuthLimiter;
  /** Opens a droplet's serial console in the cluster; absent without one. */
  openConsole?: ConsoleOpener | undefined;
  /** Signs the registry's tokens (`/registry/token`). */
  registry: RegistryAuthority;
}

/** The HTTP surface, in the order requests are matched. */
export const createApp = ({
  store,
  services,
  logger,
  metrics,
  webDir,
  limits,
  authLimiter,
  openConsole,
  registry,
}: AppDeps) => {
  const root = new Hono();
  // WebSocket upgrades (the serial console) go through the same app; the server injects them.
  const sockets = createNodeWebSocket({ app: root });
  const app = root
    .use(timeRequests(metrics))
    .use(async (c, next) => {
      const started = performance.now();
      await next();
      logger.debug(
        { method: c.req.method, path: c.req.path, status: c.res.status, ms: performance.now() - started },
        'request',
      );
    })
    .use(securityHeaders())
    // Before the shared body limit: `/api/v1` refuses large bodies in its own error shape.
    .route('/', restRoutes({ services, logger, limits, authLimiter }))
    // Answers carry tokens (tokens.create) and private data: no cache may keep them, whoever answered.
    .use('/trpc/*', async (c, next) => {
      await next();
      c.header('cache-control', 'no-store');
    })
    .use(limitBodies(limits.maxBodyBytes))
    .route('/', healthRoutes(store))
    .route('/', consoleRoutes({ services, logger, open: openConsole }, sockets.upgradeWebSocket))
    .route('/', metricsRoutes(metrics))
    .route(
      '/',
      registryTokenRoutes({
        store,
        services,
        authority: registry,
        authLimiter,
        trustProxy: limits.trustProxy,
        logger,
      }),
    )
    .route('/', trpcRoutes({ services, logger, limits, authLimiter }))
    .route('/', webRoutes(webDir));
  return { app, injectWebSocket: sockets.injectWebSocket };
};
