import { Hono, type MiddlewareHandler } from 'hono';
import type { Metrics } from '../metrics.ts';

/** `/metrics` in the Prometheus text format. It carries no secrets, so it needs no token. */
export const metricsRoutes = (metrics: Metrics) =>
  new Hono().get('/metrics', async (c) =>
    c.text(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }),
  );

/** Times every request; tRPC calls are labelled by procedure (or `batch` when several travel together). */
export const timeRequests =
  (metrics: Metrics): MiddlewareHandler =>
  async (c, next) => {
    const end = metrics.requestDuration.startTimer();
    await next();
    const path = c.req.path;
    const route = path.startsWith('/trpc/')
      ? (() => {
          const procedures = path.slice('/trpc/'.length);
          return procedures.includes(',') ? 'trpc:batch' : `trpc:${procedures}`;
        })()
      : ['/healthz', '/readyz', '/metrics'].includes(path)
        ? path
        : 'web';
    end({ method: c.req.method, route, status: String(c.res.status) });
  };
