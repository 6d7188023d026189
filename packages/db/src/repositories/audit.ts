import type { ProjectId, UserId } from '@uncloud/sdk';
import { eq, inArray, isNotNull, isNull, like, lt, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { auditEvents, users, type AuditEventRow } from '../schema.ts';
import { filter, type Filter, type Page, type PageRequest, selectPage } from './pagination.ts';

export interface AuditFilter extends PageRequest {
  projectId?: ProjectId | undefined;
  actorId?: UserId | undefined;
  /** A procedure path (`droplets.create`), or a router (`droplets`) for all of its procedures. */
  procedure?: string | undefined;
  outcome?: 'ok' | 'error' | undefined;
}

/** An event with the name of its actor, null once the user was deleted. */
export type AuditEventView = AuditEventRow & { actorName: string | null };

/** The audit log: written once per mutation, read newest first, pruned by age. */
export const auditRepository = {
  insert: (db: Db, values: typeof auditEvents.$inferInsert): void =>
    void db.insert(auditEvents).values(values).run(),

  list(db: Db, request: AuditFilter): Page<AuditEventView> {
    const filters: Filter[] = [];
    if (request.projectId !== undefined)
      filters.push(
        filter('project', () => eq(auditEvents.projectId, sql.placeholder('projectId')), {
          projectId: request.projectId,
        }),
      );
    if (request.actorId !== undefined)
      filters.push(
        filter('actor', () => eq(auditEvents.actorId, sql.placeholder('actorId')), {
          actorId: request.actorId,
        }),
      );
    if (request.procedure !== undefined)
      filters.push(
        request.procedure.includes('.')
          ? filter('procedure', () => eq(auditEvents.procedure, sql.placeholder('procedure')), {
              procedure: request.procedure,
            })
          : // A router's name holds only letters, so it needs no escaping in the pattern.
            filter('router', () => like(auditEvents.procedure, sql.placeholder('router')), {
              router: `${request.procedure}.%`,
            }),
      );
    if (request.outcome !== undefined)
      filters.push(
        request.outcome === 'ok'
          ? filter('ok', () => isNull(auditEvents.errorCode), {})
          : filter('error', () => isNotNull(auditEvents.errorCode), {}),
      );
    const page = selectPage<AuditEventRow>(db, auditEvents, filters, { ...request, newestFirst: true });
    const actorIds = [...new Set(page.items.map((row) => row.actorId))];
    const names = new Map(
      actorIds.length === 0
        ? []
        : db
            .select({ id: users.id, name: users.name })
            .from(users)
            .where(inArray(users.id, actorIds))
            .all()
            .map((u) => [u.id, u.name]),
    );
    return {
      items: page.items.map((row) => ({ ...row, actorName: names.get(row.actorId) ?? null })),
      nextCursor: page.nextCursor,
      total: page.total,
    };
  },

  /** Deletes events older than `before` (a range on the index that leads with the time). */
  prune: (db: Db, before: Date): number =>
    db.delete(auditEvents).where(lt(auditEvents.createdAt, before)).run().changes,
};
