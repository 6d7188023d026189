import { and, asc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { AppId, DropletId, ProjectId } from '@uncloud/sdk';
import type { Db } from '../client.ts';
import { apps, droplets, usageSamples } from '../schema.ts';

export type UsageResourceKind = 'droplet' | 'app';
/** The id of a resource that has usage: a droplet's or an app's. */
export type UsageResourceId = DropletId | AppId;

export interface UsageSample {
  resourceId: UsageResourceId;
  projectId: ProjectId;
  cpuMillicores: number;
  memoryMiB: number;
}

export interface UsagePointRow {
  resourceId: UsageResourceId;
  at: Date;
  cpuMillicores: number;
  memoryMiB: number;
}

export interface UsageResource {
  kind: UsageResourceKind;
  id: UsageResourceId;
  projectId: ProjectId;
  name: string;
}

// Well under SQLite's limit of bound variables per statement (32 766), whatever the row width.
const CHUNK = 500;
const chunks = <T>(items: T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
};

const liveResources = (db: Db, where: (t: typeof droplets | typeof apps) => ReturnType<typeof and>) => {
  const pick = (t: typeof droplets | typeof apps) => ({ id: t.id, projectId: t.projectId, name: t.name });
  return [
    ...db
      .select(pick(droplets))
      .from(droplets)
      .where(and(where(droplets), isNull(droplets.deletedAt)))
      .orderBy(asc(droplets.name))
      .all()
      .map((r) => ({ kind: 'droplet' as const, ...r })),
    ...db
      .select(pick(apps))
      .from(apps)
      .where(and(where(apps), isNull(apps.deletedAt)))
      .orderBy(asc(apps.name))
      .all()
      .map((r) => ({ kind: 'app' as const, ...r })),
  ];
};

/**
 * CPU and memory samples of droplets and apps, kept for a day. Rows are keyed by resource and time,
 * so a series is one range scan of the primary key; pruning walks the time index.
 */
export const usageRepository = {
  /** Records one sample per resource taken at `at`; a second sample at the same instant is ignored. */
  insert(db: Db, at: Date, samples: UsageSample[]): void {
    for (const chunk of chunks(samples)) {
      db.insert(usageSamples)
        .values(chunk.map((s) => ({ ...s, at })))
        .onConflictDoNothing()
        .run();
    }
  },

  /** Deletes every sample taken before `before`; returns how many went. */
  prune(db: Db, before: Date): number {
    return db.delete(usageSamples).where(lt(usageSamples.at, before)).run().changes;
  },

  /**
   * The droplets and apps (not being deleted) among `ids`, with the project each belongs to. The
   * ids are whatever labels said, so any string may be asked about: those that name nothing go.
   */
  resourcesByIds(db: Db, ids: string[]): UsageResource[] {
    return chunks(ids).flatMap((chunk) =>
      liveResources(db, (t) => sql`${t.id} in (select value from json_each(${JSON.stringify(chunk)}))`),
    );
  },

  /** A project's droplets, then its apps, each by name: the resources that have usage series. */
  resourcesOfProject(db: Db, projectId: ProjectId): UsageResource[] {
    return liveResources(db, (t) => eq(t.projectId, projectId));
  },

  /**
   * The project's samples of `resourceIds` since `since`, oldest first per resource. With
   * `bucketMs`, samples are averaged per resource over buckets of that length (each point dated by
   * the newest sample in it), so that a day of 15 s samples still makes a chart-sized series.
   */
  series(
    db: Db,
    query: { projectId: ProjectId; resourceIds: UsageResourceId[]; since: Date; bucketMs?: number },
  ): UsagePointRow[] {
    const bucketMs = Math.max(1, Math.floor(query.bucketMs ?? 1));
    const s = usageSamples;
    return chunks(query.resourceIds).flatMap((chunk) =>
      db
        .select({
          resourceId: s.resourceId,
          at: sql<Date>`max(${s.at})`.mapWith(s.at),
          cpuMillicores: sql<number>`cast(round(avg(${s.cpuMillicores})) as integer)`,
          memoryMiB: sql<number>`cast(round(avg(${s.memoryMiB})) as integer)`,
        })
        .from(s)
        .where(and(inArray(s.resourceId, chunk), gte(s.at, query.since), eq(s.projectId, query.projectId)))
        .groupBy(s.resourceId, sql`${s.at} / cast(${bucketMs} as integer)`)
        .orderBy(asc(s.resourceId), sql`max(${s.at})`)
        .all(),
    );
  },
};
