import { z } from 'zod';
import { AuditEventId, IsoDateTime, PageLimit, ProjectId, TokenId, UserId, listFields } from './common.ts';
import { ErrorCode } from './errors.ts';

/** How a recorded call ended: `ok`, or refused / failed (its `errorCode` says how). */
export const AuditOutcome = z.enum(['ok', 'error']);
export type AuditOutcome = z.infer<typeof AuditOutcome>;

/**
 * One change someone asked for (a mutation), successful or not: who, with which token, when, which
 * procedure on which project and resource, and how it ended. Never what was sent or answered.
 */
export const AuditEvent = z.object({
  id: AuditEventId,
  at: IsoDateTime,
  /** Who called; null once the user has been deleted. */
  actor: z.object({ id: UserId, name: z.string() }).nullable(),
  tokenId: TokenId.nullable(),
  /** The token's first characters, to recognise it (null for tokens issued before they were kept). */
  tokenPrefix: z.string().nullable(),
  /** The procedure's path, such as `droplets.create`. */
  procedure: z.string(),
  /** The project acted on, once the caller was let into it (or the project a call created). */
  projectId: ProjectId.nullable(),
  /** The resource the call named or created (`dpl_…`, `usr_…`, `tok_…`, …). */
  resourceId: z.string().nullable(),
  outcome: AuditOutcome,
  /** The error's code when `outcome` is `error`. */
  errorCode: ErrorCode.nullable(),
  /** The `X-Request-Id` of the HTTP request that carried the call. */
  requestId: z.string().nullable(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

/** A procedure path (`droplets.create`) or a router (`droplets`, every procedure of it). */
export const AuditProcedure = z
  .string()
  .max(100)
  .regex(/^[A-Za-z]+(\.[A-Za-z]+)?$/, {
    message: 'must be a procedure such as droplets.create, or a router such as droplets',
  });

/**
 * The audit log, newest first. Administrators list every event; a project's owners list their
 * project's (`projectId` is then required).
 */
export const ListAuditInput = z.object({
  projectId: ProjectId.optional(),
  /** Events of this user only. */
  userId: UserId.optional(),
  procedure: AuditProcedure.optional(),
  outcome: AuditOutcome.optional(),
  limit: PageLimit,
  cursor: listFields.cursor,
});
export type ListAuditInput = z.input<typeof ListAuditInput>;
