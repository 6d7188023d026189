import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { Hono } from 'hono';
import { appRouter, type Services } from '@uncloud/sdk/contract';
import type { Logger } from '../logger.ts';

const bearer = (header: string | null) => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
};

/** The typed API at `/trpc`. Authentication happens in the contract's procedure builders. */
export const trpcRoutes = (services: Services, logger: Logger) =>
  new Hono().all('/trpc/*', (c) =>
    fetchRequestHandler({
      endpoint: '/trpc',
      req: c.req.raw,
      router: appRouter,
      createContext: ({ req }) => ({ token: bearer(req.headers.get('authorization')), services }),
      onError: ({ error, path }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR')
          logger.error({ err: error.cause ?? error, path }, 'procedure failed');
      },
    }),
  );
