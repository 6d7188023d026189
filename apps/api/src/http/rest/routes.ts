import { createRequire } from 'node:module';
import type { HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import {
  type ContractContext,
  type RestOperation,
  type Services,
  createCallerFactory,
  createOpenApiDocument,
  appRouter,
  restOperations,
} from '@uncloud/sdk/contract';
import type { AuthLimiter } from '../../auth-limiter.ts';
import type { Limits } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import { limitBodies } from '../body-limit.ts';
import { bearer, requestIdOf, retryAfterFor, servicesFor } from '../call-context.ts';
import { clientAddress } from '../client-address.ts';
import { restErrorAnswer, restFailure } from './errors.ts';
import { type RestCall, readCall } from './input.ts';
import { streamEvents } from './stream.ts';

export interface RestDeps {
  services: Services;
  logger: Logger;
  limits: Pick<Limits, 'trustProxy' | 'maxBodyBytes'>;
  authLimiter: AuthLimiter;
}

/** The document describes the contract, so it carries the contract's (the SDK's) version. */
const { version } = createRequire(import.meta.url)('@uncloud/sdk/package.json') as { version: string };

type Env = { Bindings: Partial<HttpBindings> };

const createCaller = createCallerFactory(appRouter);

/** The caller's function for a procedure path (`droplets.powerOff`). */
const procedureOf = (caller: object, path: string) =>
  path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (
    input: unknown,
  ) => Promise<unknown>;

/** `/projects/{projectId}` → Hono's `/projects/:projectId`. */
const honoPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/** Fixed paths before those with parameters, so that `/components/preflight` is not a `{name}`. */
const byFixedFirst = (a: RestOperation, b: RestOperation) => a.pathParams.length - b.pathParams.length;

const requestIdIn = (c: Context) => requestIdOf(c.req.header('x-request-id'));

/**
 * The REST surface at `/api/v1`: each operation of the contract's route table runs its procedure
 * through a server-side caller with the context a tRPC request gets (token, request id, the
 * failed-sign-in limiter), so that authentication, roles, validation, errors and the audit log are
 * the procedures' own. Only the mapping from paths, query strings and bodies lives here.
 */
export const restRoutes = ({ services, logger, limits, authLimiter }: RestDeps) => {
  // Built when first asked for, not at every start (about 50 ms of JSON Schema work).
  let document: string | undefined;

  const serve = async (operation: RestOperation, c: Context<Env>) => {
    const requestId = requestIdIn(c);
    const address = clientAddress(c, limits.trustProxy);
    const token = bearer(c.req.header('authorization'));
    const ctx: ContractContext = {
      token,
      services: token
        ? servicesFor(services, authLimiter, address, c.req.header('user-agent') ?? null)
        : services,
      requestId,
    };
    const failed = (cause: unknown, call: RestCall | undefined) => {
      const failure = restFailure({
        cause,
        requestId,
        procedure: call?.binding.procedure,
        type: call?.binding.type,
        input: call?.input,
        ctx,
      });
      if (failure.error.code === 'INTERNAL_SERVER_ERROR')
        logger.error(
          { err: failure.error.cause ?? failure.error, path: call?.binding.procedure, requestId },
          'procedure failed',
        );
      return failure;
    };
    let call: RestCall | undefined;
    try {
      call = await readCall(operation, c.req.raw, c.req.param());
      const lastEventId = c.req.header('last-event-id');
      if (operation.stream && lastEventId && call.input.lastEventId === undefined)
        call.input.lastEventId = lastEventId;
      const controller = new AbortController();
      const caller = createCaller(ctx, { signal: controller.signal });
      const result = await procedureOf(caller, call.binding.procedure)(call.input);
      if (operation.stream) {
        const events = result as AsyncIterable<unknown>;
        return streamEvents(c, events, controller, (cause) => failed(cause, call).body);
      }
      const headers = { 'x-request-id': requestId };
      if (operation.status === 204) return new Response(null, { status: 204, headers });
      return Response.json(result, { status: operation.status, headers });
    } catch (cause) {
      const { error, status, body } = failed(cause, call);
      return Response.json(body, {
        status,
        headers: { 'x-request-id': requestId, ...retryAfterFor([error.code], authLimiter, address) },
      });
    }
  };

  const operations = [...restOperations()].sort(byFixedFirst);
  const api = new Hono<Env>()
    // Answers carry tokens (tokens.create) and private data: no cache may keep them.
    .use(async (c, next) => {
      await next();
      c.header('cache-control', 'no-store');
    })
    .use(
      limitBodies(limits.maxBodyBytes, (c, message) =>
        restErrorAnswer('PAYLOAD_TOO_LARGE', message, requestIdIn(c), { connection: 'close' }),
      ),
    )
    // Someone trying the base URL learns where the description is, rather than seeing the dashboard.
    .get('/', (c) => c.json({ name: 'Uncloud API', version, openapi: '/api/v1/openapi.json' }))
    .get(
      '/openapi.json',
      () =>
        new Response((document ??= JSON.stringify(createOpenApiDocument({ version }))), {
          headers: { 'content-type': 'application/json' },
        }),
    );
  for (const operation of operations)
    api.on(operation.method.toUpperCase(), honoPath(operation.path), (c) => serve(operation, c));
  api.all('*', (c) => {
    const allowed = operations
      .filter((operation) =>
        new RegExp(`^${honoPath(operation.path).replace(/:\w+/g, '[^/]+')}$`).test(
          c.req.path.slice('/api/v1'.length),
        ),
      )
      .map((operation) => operation.method.toUpperCase());
    return allowed.length > 0
      ? restErrorAnswer(
          'METHOD_NOT_SUPPORTED',
          `${c.req.path} takes ${allowed.join(', ')}, not ${c.req.method}`,
          requestIdIn(c),
          {
            allow: allowed.join(', '),
          },
        )
      : restErrorAnswer(
          'NOT_FOUND',
          `There is no ${c.req.method} ${c.req.path}; the operations are listed in /api/v1/openapi.json`,
          requestIdIn(c),
        );
  });
  return new Hono<Env>().route('/api/v1', api);
};
