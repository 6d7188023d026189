import { type Context, Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { isDomainError } from '@uncloud/sdk';
import type { Services } from '@uncloud/sdk/contract';
import type { AuthLimiter } from '../auth-limiter.ts';
import type { Logger } from '../logger.ts';
import type { IssuedRegistryToken, RegistryAuthority } from '../registry/authority.ts';
import { type RegistryTokenRequest, createRegistryTokenService } from '../registry/token-service.ts';
import type { IntentStore } from '@uncloud/db';
import { servicesFor } from './call-context.ts';
import { clientAddress } from './client-address.ts';

export interface RegistryTokenRouteDeps {
  store: IntentStore;
  services: Services;
  authority: RegistryAuthority;
  authLimiter: AuthLimiter;
  trustProxy: boolean;
  logger: Logger;
}

/** Where the registry's `auth.token.realm` points: Uncloud's public URL and this path. */
export const REGISTRY_TOKEN_PATH = '/registry/token';
/** The signing key as a JWK set, for the registry's `auth.token.jwks` file. */
export const REGISTRY_JWKS_PATH = '/registry/jwks.json';

const statusOf = { BAD_REQUEST: 400, UNAUTHORIZED: 401, TOO_MANY_REQUESTS: 429 } as const;

/** Basic credentials' password; the user name is anything (docker login asks for one). */
const passwordOf = (header: string | undefined): string | undefined => {
  const match = /^Basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString();
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
};

/**
 * The registry's token server (Docker registry token authentication): `GET /registry/token` with
 * basic credentials (an Uncloud API token as the password), `service` and `scope` parameters,
 * answers a signed JWT granting what the caller may do of what was asked; `POST` takes the same as
 * an OAuth 2 password grant. Errors are in the registry's error shape, which `docker` prints.
 */
export const registryTokenRoutes = ({
  store,
  services,
  authority,
  authLimiter,
  trustProxy,
  logger,
}: RegistryTokenRouteDeps) => {
  /** A token for the request, or the error to answer in the registry's error shape. */
  const issue = async (
    c: Context<{ Bindings: Partial<HttpBindings> }>,
    request: RegistryTokenRequest,
  ): Promise<
    | { status: 200; body: IssuedRegistryToken }
    | { status: 400 | 401 | 429 | 500; body: { errors: { code: string; message: string }[] } }
  > => {
    const scoped = servicesFor(services, authLimiter, clientAddress(c, trustProxy));
    const tokens = createRegistryTokenService({
      db: store.db,
      authority,
      authenticate: async (token) => scoped.auth.authenticate(token),
    });
    try {
      return { status: 200, body: await tokens.issue(request) };
    } catch (error) {
      if (isDomainError(error) && error.code in statusOf) {
        if (error.code === 'UNAUTHORIZED') c.header('www-authenticate', 'Basic realm="Uncloud registry"');
        const code = error.code === 'BAD_REQUEST' ? 'UNSUPPORTED' : error.code;
        return {
          status: statusOf[error.code as keyof typeof statusOf],
          body: { errors: [{ code, message: error.message }] },
        };
      }
      logger.error({ component: 'registry', err: error }, 'registry token request failed');
      return {
        status: 500,
        body: { errors: [{ code: 'UNKNOWN', message: 'The token server failed; try again' }] },
      };
    }
  };

  return (
    new Hono<{ Bindings: Partial<HttpBindings> }>()
      .get(REGISTRY_JWKS_PATH, (c) => c.json(authority.jwks))
      .get(REGISTRY_TOKEN_PATH, async (c) => {
        c.header('cache-control', 'no-store');
        const answer = await issue(c, {
          password: passwordOf(c.req.header('authorization')),
          service: c.req.query('service'),
          scopes: c.req.queries('scope') ?? [],
        });
        if ('errors' in answer.body) return c.json(answer.body, answer.status);
        const { token, expiresIn, issuedAt } = answer.body;
        return c.json({
          token,
          // OAuth 2 clients read this name; the specification allows both, with the same value.
          access_token: token,
          expires_in: expiresIn,
          issued_at: issuedAt.toISOString(),
        });
      })
      // The OAuth 2 form of the same request (containerd tries it first when it has a password):
      // `grant_type=password` with the credentials in the form. Uncloud issues no refresh tokens.
      .post(REGISTRY_TOKEN_PATH, async (c) => {
        c.header('cache-control', 'no-store');
        const form = new URLSearchParams(await c.req.text());
        const grant = form.get('grant_type');
        if (grant !== 'password')
          return c.json(
            {
              error: 'unsupported_grant_type',
              error_description: 'Sign in with grant_type=password and an Uncloud API token as the password',
            },
            400,
          );
        const answer = await issue(c, {
          password: form.get('password') ?? undefined,
          service: form.get('service') ?? undefined,
          scopes: form.getAll('scope'),
        });
        if ('errors' in answer.body) return c.json(answer.body, answer.status);
        const { token, expiresIn, issuedAt } = answer.body;
        return c.json({
          access_token: token,
          scope: form.getAll('scope').join(' '),
          expires_in: expiresIn,
          issued_at: issuedAt.toISOString(),
        });
      })
  );
};
