import { Hono, type MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { appRouter } from '@uncloud/sdk/contract';
import type { Metrics } from '../metrics.ts';

/** `/metrics` in the Prometheus text format. It carries no secrets, so it needs no token. */
export const metricsRoutes = (metrics: Metrics) =>
  new Hono().get('/metrics', async (c) =>
    c.text(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }),
  );

// Labels must come from a fixed set: a label per raw path let anyone without a token grow the
// registry (and the process) without bound by calling made-up paths.
const procedures = new Set(Object.keys(appRouter._def.procedures));
const methods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** `trpc:<procedure>` for one known procedure, `trpc:batch` for several, `trpc:unknown` otherwise. */
export const trpcRoute = (path: string): string => {
  let names: string;
  try {
    names = decodeURIComponent(path.slice('/trpc/'.length));
  } catch {
    return 'trpc:unknown';
  }
  const calls = names.split(',');
  if (!calls.every((name) => procedures.has(name))) return 'trpc:unknown';
  return calls.length > 1 ? 'trpc:batch' : `trpc:${names}`;
};

/**
 * Times every request, labelled by the route that answered it: tRPC calls by procedure, the rest
 * by route pattern (`/healthz`, …, `web` for the dashboard's catch-all).
 */
export const timeRequests =
  (metrics: Metrics): MiddlewareHandler =>
  async (c, next) => {
    const end = metrics.requestDuration.startTimer();
    await next();
    // A middleware that answered early (a refused body, say) reports its own `*` pattern.
    const pattern = routePath(c);
    const route = c.req.path.startsWith('/trpc/')
      ? trpcRoute(c.req.path)
      : pattern.includes('*') || !pattern
        ? 'web'
        : pattern;
    const method = methods.has(c.req.method) ? c.req.method : 'other';
    end({ method, route, status: String(c.res.status) });
  };
