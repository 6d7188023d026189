import { initTRPC, TRPCError } from '@trpc/server';
import {
  type ErrorCode,
  type UncloudErrorData,
  DomainError,
  ErrorCode as ErrorCodeSchema,
  forbidden,
  trpcCodeFor,
  unauthorized,
} from '../schemas/errors.ts';
import { ProjectId, type ProjectRole, anyIdPattern, issueReason, type IssueLike } from '../schemas/index.ts';
import { z } from 'zod';
import type { Caller, Services } from './ports.ts';

/** What the server puts in every request's context: the bearer token (if any) and the services. */
export interface ContractContext {
  token: string | null;
  services: Services;
  /** The HTTP request's `X-Request-Id`, recorded with each of its mutations in the audit log. */
  requestId?: string | null;
}

interface Issue extends IssueLike {
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
}

const issuesOf = (cause: unknown): Issue[] | null => {
  const issues = (cause as { issues?: unknown } | undefined)?.issues;
  return Array.isArray(issues) ? (issues as Issue[]) : null;
};

const dotted = (path: Issue['path']) =>
  (path ?? []).map((p) => String(typeof p === 'object' && p !== null ? p.key : p)).join('.');

/** Validation failures become one readable message plus a field → reasons map. */
const validationData = (issues: Issue[]) => {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of issues) (fieldErrors[dotted(issue.path) || '(input)'] ??= []).push(issueReason(issue));
  const message = Object.entries(fieldErrors)
    .map(([field, reasons]) => `${field}: ${reasons.join(', ')}`)
    .join('; ');
  return { message, field: Object.keys(fieldErrors)[0], fieldErrors };
};

const t = initTRPC.context<ContractContext>().create({
  errorFormatter({ shape: withStack, error }) {
    // Stack traces stay in the server log; clients get codes and messages.
    const { stack: _stack, ...data } = withStack.data;
    const shape = { ...withStack, data };
    const issues = error.code === 'BAD_REQUEST' ? issuesOf(error.cause) : null;
    if (issues) {
      const { message, field, fieldErrors } = validationData(issues);
      const data: UncloudErrorData = { code: 'BAD_REQUEST', field, fieldErrors };
      return { ...shape, message: `Invalid input: ${message}`, data: { ...shape.data, ...data } };
    }
    if (error.code === 'BAD_REQUEST' && error.cause instanceof SyntaxError) {
      // The body did not parse: say so in words, about the whole input.
      const reason = `is not valid JSON (${error.cause.message}); send the input as a JSON object`;
      const data: UncloudErrorData = {
        code: 'BAD_REQUEST',
        field: '(input)',
        fieldErrors: { '(input)': [reason] },
      };
      return {
        ...shape,
        message: `Invalid input: the request body ${reason}`,
        data: { ...shape.data, ...data },
      };
    }
    if (error.cause instanceof DomainError) {
      const { code, field } = error.cause;
      const data: UncloudErrorData = { code, ...(field ? { field } : {}) };
      return { ...shape, data: { ...shape.data, ...data } };
    }
    const known = ErrorCodeSchema.safeParse(shape.data.code);
    const code: ErrorCode = known.success ? known.data : 'INTERNAL_SERVER_ERROR';
    // Unexpected failures keep their details in the server log, never in the response.
    const message =
      code === 'INTERNAL_SERVER_ERROR'
        ? 'Internal server error'
        : code === 'UNSUPPORTED_MEDIA_TYPE'
          ? 'Send calls as JSON ("Content-Type: application/json"); queries may also be GET requests'
          : shape.message;
    return { ...shape, message, data: { ...shape.data, code } };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * What the audit log learns of a call on its way through the builders below: who is calling (once
 * authenticated) and the project acted on (once the caller was let into it).
 */
interface AuditTrail {
  caller: Caller | null;
  projectId: ProjectId | null;
}

const field = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;

/** An id of ours under `key`, or null: only ids reach the audit log, never other values. */
const idAt = (value: unknown, key: string): string | null => {
  const found = field(value, key);
  return typeof found === 'string' && anyIdPattern.test(found) ? found : null;
};

/** The resource a call named (its `id`, or the user it is about) or created. */
const resourceOf = (input: unknown, data: unknown) =>
  idAt(input, 'id') ??
  idAt(data, 'id') ??
  idAt(input, 'userId') ??
  idAt(field(data, 'user'), 'id') ??
  // A component's install, upgrade, repair or uninstall: the system action it started.
  idAt(field(data, 'action'), 'id');

const codeOf = (error: TRPCError): ErrorCode => {
  if (error.cause instanceof DomainError) return error.cause.code;
  const known = ErrorCodeSchema.safeParse(error.code);
  return known.success ? known.data : 'INTERNAL_SERVER_ERROR';
};

/**
 * Every procedure starts here. Two jobs:
 * - The transport side of domain errors: a `DomainError` thrown by a service (or a middleware
 *   below) travels as the TRPCError whose code decides the HTTP status, with the domain error as
 *   its cause; the error formatter above then adds our code and field.
 * - The audit log: every mutation by a signed-in caller, whatever its outcome, is recorded with the
 *   ids it named or created, never its input or answer (they hold env values, user data, tokens).
 */
const baseProcedure = t.procedure.use(async ({ ctx, type, path, getRawInput, next }) => {
  const trail: AuditTrail = { caller: null, projectId: null };
  const result = await next({ ctx: { audit: trail } });
  const answer =
    result.ok || !(result.error.cause instanceof DomainError)
      ? result
      : {
          ...result,
          error: new TRPCError({
            code: trpcCodeFor[result.error.cause.code],
            message: result.error.cause.message,
            cause: result.error.cause,
          }),
        };
  if (type === 'mutation' && trail.caller) {
    const data = answer.ok ? answer.data : undefined;
    const created = ProjectId.safeParse(field(data, 'id'));
    await ctx.services.audit.record({
      caller: trail.caller,
      procedure: path,
      projectId: trail.projectId ?? (created.success ? created.data : null),
      resourceId: resourceOf(await getRawInput(), data),
      errorCode: answer.ok ? null : codeOf(answer.error),
      requestId: ctx.requestId ?? null,
    });
  }
  return answer;
});

/**
 * Any caller with a valid token. A read-only token is refused every mutation here, so no procedure
 * can forget it.
 */
export const authedProcedure = baseProcedure.use(async ({ ctx, type, next }) => {
  const caller = ctx.token ? await ctx.services.auth.authenticate(ctx.token) : null;
  if (!caller) throw unauthorized('Send a valid API token as "Authorization: Bearer <token>"');
  ctx.audit.caller = caller;
  if (caller.readOnly && type === 'mutation')
    throw forbidden('this token is read-only; use a token without the read-only scope');
  return next({ ctx: { caller } });
});

/** Administrators only, with a token for every project. */
export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (!ctx.caller.isAdmin)
    throw forbidden(
      ctx.caller.projectIds
        ? 'Only administrators may do this, with a token that is not limited to projects'
        : 'Only administrators may do this',
    );
  return next();
});

/**
 * Procedures on a project's resources: the input names `projectId`, and the caller must be a member
 * (administrators are owners everywhere). Projects the caller cannot see answer NOT_FOUND.
 */
export const projectProcedure = authedProcedure
  .input(z.object({ projectId: ProjectId }))
  .use(async ({ ctx, input, next }) => {
    const scope = await ctx.services.projects.access(ctx.caller, input.projectId);
    ctx.audit.projectId = scope.projectId;
    return next({ ctx: { scope } });
  });

const rank: Record<ProjectRole, number> = { viewer: 0, member: 1, owner: 2 };

/** Refuses callers whose role in the project is below `role`. */
export const requireRole = (role: ProjectRole) =>
  t.middleware(({ ctx, next }) => {
    const scope = (ctx as { scope?: { role: ProjectRole } }).scope;
    if (!scope || rank[scope.role] < rank[role]) {
      throw forbidden(`This needs the ${role} role in the project`);
    }
    return next();
  });

export { TRPCError };

/**
 * A subscription's stream with the transport side of domain errors, as `baseProcedure` does for
 * calls: an error thrown while the stream runs (access lost) travels with its own code, not as an
 * internal error (which clients would take for a hiccup and reconnect after).
 */
export async function* withDomainErrors<T>(stream: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
  try {
    yield* stream;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    throw new TRPCError({ code: trpcCodeFor[error.code], message: error.message, cause: error });
  }
}

/** Writes to a project's resources need at least the `member` role. */
export const projectWriteProcedure = projectProcedure.use(requireRole('member'));
