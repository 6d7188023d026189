import type { ProjectId } from '@uncloud/sdk';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { apps, droplets, firewalls } from '../schema.ts';
import { prepared } from './prepared.ts';

/** A droplet or app as firewalls see it: what it is tagged with, and whether it is going. */
export interface TaggedRow {
  id: string;
  projectId: string;
  state: string;
  tags: string[];
}

/**
 * The droplets and apps of one project with their tags, and nothing else: what a firewall's tag
 * targets expand to. Reconciling one resource reads one project's rows, never every project's
 * (over 1 000 droplets, reading them all on every droplet's reconcile was most of the sync
 * engine's work).
 */
export const taggedInProject = (db: Db, projectId: ProjectId): TaggedRow[] =>
  [droplets, apps].flatMap((t) =>
    prepared(db, `tagged|${t === droplets ? 'droplets' : 'apps'}`, () =>
      db
        .select({ id: t.id, projectId: t.projectId, state: t.state, tags: t.tags })
        .from(t)
        .where(eq(t.projectId, sql.placeholder('projectId')))
        .prepare(),
    ).all({ projectId }),
  ) as TaggedRow[];

/** The firewalls of one project (those being deleted included: callers decide). */
export const firewallsInProject = (db: Db, projectId: ProjectId) =>
  prepared(db, 'firewalls-of-project', () =>
    db
      .select()
      .from(firewalls)
      .where(eq(firewalls.projectId, sql.placeholder('projectId')))
      .prepare(),
  ).all({ projectId }) as (typeof firewalls.$inferSelect)[];
