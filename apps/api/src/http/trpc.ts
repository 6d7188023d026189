import { randomUUID } from 'node:crypto';
import type { HttpBindings } from '@hono/node-server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { Hono } from 'hono';
import { tooManyRequests } from '@uncloud/sdk';
import { appRouter, type Services } from '@uncloud/sdk/contract';
import type { AuthLimiter } from '../auth-limiter.ts';
import type { Limits } from '../config.ts';
import type { Logger } from '../logger.ts';
import { clientAddress } from './client-address.ts';
import { errorAnswer } from './error-answer.ts';

const bearer = (header: string | null) => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
};

/**
 * The request's id: the client's (or its proxy's) `X-Request-Id` when it is a plain token of at
 * most 128 characters, else a new UUID. It is answered in `X-Request-Id`, logged with failures and
 * recorded with every mutation in the audit log.
 */
const requestIdOf = (header: string | null) =>
  header && /^[A-Za-z0-9._:-]{1,128}$/.test(header) ? header : randomUUID();

/** How many calls a request carries: the comma-separated procedures of a batch, else one. */
const callsIn = (url: URL) =>
  url.searchParams.get('batch') === '1' ? url.pathname.slice('/trpc/'.length).split(',').length : 1;

/**
 * The services one request sees: its token is checked once however many calls its batch holds,
 * and a failure counts against the caller's address. An address out of attempts is refused
 * before its token is looked at.
 */
const servicesFor = (services: Services, limiter: AuthLimiter, address: string): Services => {
  const authenticate = async (token: string) => {
    const wait = limiter.retryAfter(address);
    if (wait > 0) {
      throw tooManyRequests(`Too many failed sign-ins from your address; try again in ${wait} s`);
    }
    const caller = await services.auth.authenticate(token);
    if (!caller) limiter.failed(address);
    return caller;
  };
  let outcome: ReturnType<typeof authenticate> | undefined;
  return {
    ...services,
    auth: { ...services.auth, authenticate: (token) => (outcome ??= authenticate(token)) },
  };
};

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
            services: token ? servicesFor(services, authLimiter, address) : services,
            requestId,
          };
        },
        responseMeta: ({ errors }) => {
          const headers: Record<string, string> = { 'x-request-id': requestId };
          if (errors.some((error) => error.code === 'TOO_MANY_REQUESTS')) {
            headers['retry-after'] = String(Math.max(1, authLimiter.retryAfter(address)));
          } else if (errors.some((error) => error.code === 'SERVICE_UNAVAILABLE')) {
            headers['retry-after'] = '1';
          }
          return { headers };
        },
        onError: ({ error, path }) => {
          if (error.code === 'INTERNAL_SERVER_ERROR')
            logger.error({ err: error.cause ?? error, path, requestId }, 'procedure failed');
        },
      });
    });
