import { randomUUID } from 'node:crypto';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { tooManyRequests } from '@uncloud/sdk';
import type { Services } from '@uncloud/sdk/contract';
import type { AuthLimiter } from '../auth-limiter.ts';

/** What the two doors of the API (`/trpc` and `/api/v1`) make of a request before a procedure runs. */

export const bearer = (header: string | null | undefined) => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
};

/**
 * The request's id: the client's (or its proxy's) `X-Request-Id` when it is a plain token of at
 * most 128 characters, else a new UUID. It is answered in `X-Request-Id`, logged with failures and
 * recorded with every mutation in the audit log.
 */
export const requestIdOf = (header: string | null | undefined) =>
  header && /^[A-Za-z0-9._:-]{1,128}$/.test(header) ? header : randomUUID();

/**
 * The services one request sees: its token is checked once however many calls it carries, and a
 * failure counts against the caller's address. An address out of attempts is refused before its
 * token is looked at.
 */
export const servicesFor = (
  services: Services,
  limiter: AuthLimiter,
  address: string,
  /** The request's User-Agent, recorded with the token's last use. */
  userAgent: string | null = null,
): Services => {
  const authenticate = async (token: string) => {
    const wait = limiter.retryAfter(address);
    if (wait > 0) {
      throw tooManyRequests(`Too many failed sign-ins from your address; try again in ${wait} s`);
    }
    const caller = await services.auth.authenticate(token, { ip: address, userAgent });
    if (!caller) limiter.failed(address);
    return caller;
  };
  let outcome: ReturnType<typeof authenticate> | undefined;
  return {
    ...services,
    auth: { ...services.auth, authenticate: (token) => (outcome ??= authenticate(token)) },
  };
};

/**
 * `Retry-After` for a refusal that passes with time (by tRPC code): sign-ins from the address, or
 * the cluster out of reach.
 */
export const retryAfterFor = (
  codes: readonly TRPC_ERROR_CODE_KEY[],
  limiter: AuthLimiter,
  address: string,
): Record<string, string> =>
  codes.includes('TOO_MANY_REQUESTS')
    ? { 'retry-after': String(Math.max(1, limiter.retryAfter(address))) }
    : codes.includes('SERVICE_UNAVAILABLE')
      ? { 'retry-after': '1' }
      : {};
