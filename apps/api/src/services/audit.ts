import { type AuditEventView, auditRepository as audit, type IntentStore, newId } from '@uncloud/db';
import { type AuditEvent, forbidden } from '@uncloud/sdk';
import type { AuditService } from '@uncloud/sdk/contract';
import type { Logger } from '../logger.ts';
import type { ServiceDeps } from './deps.ts';
import { accessProject } from './projects.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

const present = (row: AuditEventView): AuditEvent => ({
  id: row.id,
  at: row.createdAt.toISOString(),
  actor: row.actorName === null ? null : { id: row.actorId, name: row.actorName },
  tokenId: row.tokenId,
  tokenPrefix: row.tokenPrefix,
  procedure: row.procedure,
  projectId: row.projectId,
  resourceId: row.resourceId,
  outcome: row.errorCode === null ? 'ok' : 'error',
  errorCode: row.errorCode,
  requestId: row.requestId,
});

export const createAuditService = ({ store, logger }: ServiceDeps): AuditService => {
  // Events are listed newest first by time, then id: a clock that never repeats a millisecond
  // keeps a burst of calls in the order they ended (at worst a few ms ahead of the wall clock).
  let last = 0;
  const tick = () => (last = Math.max(Date.now(), last + 1));

  return {
    record(entry) {
      try {
        audit.insert(store.db, {
          id: newId('auditEvent'),
          createdAt: new Date(tick()),
          actorId: entry.caller.userId,
          tokenId: entry.caller.tokenId,
          tokenPrefix: entry.caller.tokenPrefix,
          procedure: entry.procedure,
          projectId: entry.projectId,
          resourceId: entry.resourceId,
          errorCode: entry.errorCode,
          requestId: entry.requestId,
        });
      } catch (error) {
        // The change is already committed (or refused): failing its answer now would mislead.
        logger.error(
          { err: error, procedure: entry.procedure, requestId: entry.requestId },
          'audit event not recorded',
        );
      }
    },

    list(caller, input) {
      const db = store.db;
      if (!caller.isAdmin) {
        if (!input.projectId)
          throw forbidden(
            "Only administrators read every project's activity; name the projectId of a project you own",
          );
        const { role } = accessProject(db, caller, input.projectId);
        if (role !== 'owner')
          throw forbidden(
            `A project's activity is shown to its owners only, and you are a ${role} of this one; ask an owner`,
          );
      }
      const page = audit.list(db, {
        limit: input.limit,
        cursor: input.cursor,
        projectId: input.projectId,
        actorId: input.userId,
        procedure: input.procedure,
        outcome: input.outcome,
      });
      return { items: page.items.map(present), nextCursor: page.nextCursor };
    },
  };
};

/** Deletes audit events older than `retentionDays`; returns how many went. */
export const pruneAuditLog = (store: IntentStore, retentionDays: number, now = new Date()) =>
  audit.prune(store.db, new Date(now.getTime() - retentionDays * DAY_MS));

/** How often retention runs: the delete is a range on an index, so hourly costs nothing. */
const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/** Prunes the audit log now and then every hour, until stopped. */
export const startAuditRetention = (store: IntentStore, retentionDays: number, logger: Logger) => {
  const prune = () => {
    try {
      const pruned = pruneAuditLog(store, retentionDays);
      if (pruned > 0) logger.info({ pruned, retentionDays }, 'audit events past retention deleted');
    } catch (error) {
      // Another process holding the write lock past the busy timeout: the next run catches up.
      logger.warn({ err: error }, 'audit retention skipped');
    }
  };
  prune();
  const timer = setInterval(prune, PRUNE_INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
};
