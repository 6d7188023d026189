import { TRPCClientError, type TRPCLink } from '@trpc/client';
import type { inferRouterOutputs } from '@trpc/server';
import { observable } from '@trpc/server/observable';
import type { AppRouter } from '../contract/router.ts';
import { ErrorCode } from '../schemas/errors.ts';
import { NotAnApiResponse } from './transport.ts';

/**
 * Codes the client itself produces, for failures that never got an answer from the API:
 * `NETWORK_ERROR` (no connection, or an answer that was not the Uncloud API), `TIMEOUT` (a request or
 * a wait ran out of time), `ABORTED` (the caller's signal fired) and `ACTION_ERRORED` (an awaited
 * action finished in `errored`).
 */
export type ClientErrorCode = 'NETWORK_ERROR' | 'TIMEOUT' | 'ABORTED' | 'ACTION_ERRORED';
/** The server's stable `ErrorCode`, or one of the client's own. */
export type UncloudErrorCode = ErrorCode | ClientErrorCode;

type ActionOutput =
  inferRouterOutputs<AppRouter>['actions']['get'] | inferRouterOutputs<AppRouter>['systemActions']['get'];

export interface UncloudErrorInit {
  cause?: unknown;
  field?: string | undefined;
  fieldErrors?: Record<string, string[]> | undefined;
  httpStatus?: number | undefined;
  action?: ActionOutput | undefined;
  /** The tRPC error this one replaces, so that `shape`, `data` and `meta` stay as tRPC gave them. */
  from?: TRPCClientError<AppRouter> | undefined;
}

/**
 * Every failed call of an Uncloud client throws this. It is a `TRPCClientError` (code written for
 * plain tRPC keeps working) with the Uncloud part lifted out: `code`, `field`, `fieldErrors`,
 * `httpStatus`.
 */
export class UncloudError extends TRPCClientError<AppRouter> {
  readonly code: UncloudErrorCode;
  /** Dotted path of the first input field at fault, when the server named one. */
  readonly field: string | undefined;
  /** Every invalid input field with its reasons, for validation failures; empty otherwise. */
  readonly fieldErrors: Record<string, string[]>;
  /** HTTP status of the answer, when there was one. */
  readonly httpStatus: number | undefined;
  /** The action, when an awaited action ended in `errored`. */
  readonly action: ActionOutput | undefined;

  constructor(code: UncloudErrorCode, message: string, init: UncloudErrorInit = {}) {
    const cause = init.cause instanceof Error ? init.cause : undefined;
    super(message, {
      cause,
      result: init.from?.shape ? { error: init.from.shape } : undefined,
      meta: init.from?.meta,
    });
    // TRPCClientError pins its own prototype and name; take ours back so `instanceof UncloudError`
    // holds and stack traces say what this is.
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = 'UncloudError';
    this.code = code;
    this.field = init.field;
    this.fieldErrors = init.fieldErrors ?? {};
    this.httpStatus = init.httpStatus;
    this.action = init.action;
  }
}

/** True for an `UncloudError`, and when `code` is given, one with that code. */
export const isUncloudError = <C extends UncloudErrorCode>(
  error: unknown,
  code?: C,
): error is UncloudError & { code: C } =>
  error instanceof UncloudError && (code === undefined || error.code === code);

interface ErrorData {
  code?: unknown;
  field?: unknown;
  fieldErrors?: unknown;
  httpStatus?: unknown;
}

const statusOf = (error: TRPCClientError<AppRouter>): number | undefined => {
  const data = error.data as ErrorData | undefined | null;
  if (typeof data?.httpStatus === 'number') return data.httpStatus;
  if (error.cause instanceof NotAnApiResponse) return error.cause.status;
  const response = (error.meta as { response?: { status?: unknown } } | undefined)?.response;
  return typeof response?.status === 'number' ? response.status : undefined;
};

const fieldErrorsOf = (value: unknown): Record<string, string[]> | undefined => {
  if (!value || typeof value !== 'object') return undefined;
  const out: Record<string, string[]> = {};
  for (const [field, reasons] of Object.entries(value)) {
    if (Array.isArray(reasons)) out[field] = reasons.map(String);
  }
  return out;
};

/** Where a failed call was going, for messages about failures that never reached the API. */
export interface CallSite {
  url: string;
  path: string;
  /** The client's deadline, when it has one. */
  timeoutMs?: number | undefined;
}

const errorNamed = (error: unknown, name: string): boolean =>
  error instanceof Error && (error.name === name || errorNamed(error.cause, name));

/** Lifts the Uncloud part out of a tRPC failure, or names what went wrong before the API answered. */
export const toUncloudError = (error: unknown, site: CallSite): UncloudError => {
  if (error instanceof UncloudError) return error;
  const trpc = TRPCClientError.from<AppRouter>(error instanceof Error ? error : new Error(String(error)));
  const data = trpc.data as ErrorData | undefined | null;
  const httpStatus = statusOf(trpc);
  const known = ErrorCode.safeParse(data?.code);
  if (known.success) {
    return new UncloudError(known.data, trpc.message, {
      from: trpc,
      cause: trpc.cause,
      field: typeof data?.field === 'string' ? data.field : undefined,
      fieldErrors: fieldErrorsOf(data?.fieldErrors),
      httpStatus,
    });
  }
  const init = { from: trpc, cause: trpc.cause ?? trpc, httpStatus };
  if (errorNamed(trpc.cause, 'TimeoutError')) {
    return new UncloudError(
      'TIMEOUT',
      site.timeoutMs === undefined
        ? `${site.path}: no answer from ${site.url} in time`
        : `${site.path}: no answer from ${site.url} within ${site.timeoutMs} ms (raise timeoutMs if the server is slow)`,
      init,
    );
  }
  if (errorNamed(trpc.cause, 'AbortError')) {
    return new UncloudError('ABORTED', `${site.path}: the request was aborted`, init);
  }
  if (httpStatus !== undefined) {
    return new UncloudError(
      'NETWORK_ERROR',
      `${site.path}: ${site.url} answered HTTP ${httpStatus} but not as the Uncloud API; is UNCLOUD_URL right?`,
      init,
    );
  }
  return new UncloudError(
    'NETWORK_ERROR',
    `${site.path}: could not reach ${site.url} (${trpc.cause?.message ?? trpc.message})`,
    init,
  );
};

/**
 * A link that turns whatever the transport reports into an `UncloudError`. `createUncloudClient`
 * puts it first; put it first in a tRPC client of your own (the dashboard does) to get the same errors.
 */
export const uncloudErrorLink =
  (site: Omit<CallSite, 'path'>): TRPCLink<AppRouter> =>
  () =>
  ({ op, next }) =>
    observable((observer) =>
      next(op).subscribe({
        next: (value) => observer.next(value),
        error: (error) => observer.error(toUncloudError(error, { ...site, path: op.path })),
        complete: () => observer.complete(),
      }),
    );
