import type { HttpBindings } from '@hono/node-server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { Hono } from 'hono';
import { appRouter, type Services } from '@uncloud/sdk/contract';
import type { AuthLimiter } from '../auth-limiter.ts';
import type { Limits } from '../config.ts';
import type { Logger } from '../logger.ts';
import { bearer, requestIdOf, retryAfterFor, servicesFor } from './call-context.ts';
import { clientAddress } from './client-address.ts';
import { errorAnswer } from './error-answer.ts';

/** How many calls a request carries: the comma-separated procedures of a batch, else one. */
const callsIn = (url: URL) =>
  url.searchParams.get('batch') === '1' ? url.pathname.slice('/trpc/'.length).split(',').length : 1;

export interface TrpcDeps {
  services: Services;
  logger: Logger;
  limits: Pick<Limits, 'maxBatchSize' | 'trustProxy'>;
  authLimiter: AuthLimiter;
}

/**
 * The typed API at `/trpc`. Authentication happens in the contract's procedure builders; this
 * layer bounds what one request may ask for and counts failed authentications per address.
 */
export const trpcRoutes = ({ services, logger, limits, authLimiter }: TrpcDeps) =>
  new Hono<{ Bindings: Partial<HttpBindings> }>()
    .options('/trpc/*', () =>
      errorAnswer(
        'METHOD_NOT_SUPPORTED',
        'The API takes no cross-origin calls: use it from the dashboard it serves, or from a script with a bearer token',
        { allow: 'GET, POST' },
      ),
    )
    .all('/trpc/*', (c) => {
      const calls = callsIn(new URL(c.req.url));
      if (calls > limits.maxBatchSize) {
        return errorAnswer(
          'BAD_REQUEST',
          `A batch may hold at most ${limits.maxBatchSize} calls, and this one holds ${calls}; send them in smaller batches`,
        );
      }
      const address = clientAddress(c, limits.trustProxy);
      const requestId = requestIdOf(c.req.header('x-request-id') ?? null);
      return fetchRequestHandler({
        endpoint: '/trpc',
        req: c.req.raw,
        router: appRouter,
        // Checked above with a clearer message; tRPC's own check stays as the backstop.
        maxBatchSize: limits.maxBatchSize,
        createContext: ({ req }) => {
          const token = bearer(req.headers.get('authorization'));
          return {
            token,
            services: token
              ? servicesFor(services, authLimiter, address, req.headers.get('user-agent'))
              : services,
            requestId,
          };
        },
        responseMeta: ({ errors }) => {
          const codes = errors.map((error) => error.code);
          return { headers: { 'x-request-id': requestId, ...retryAfterFor(codes, authLimiter, address) } };
        },
        onError: ({ error, path }) => {
          if (error.code === 'INTERNAL_SERVER_ERROR')
            logger.error({ err: error.cause ?? error, path, requestId }, 'procedure failed');
        },
      });
    });
