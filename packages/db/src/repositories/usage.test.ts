import type { ProjectId } from '@uncloud/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../ids.ts';
import { openTestStore } from '../test-store.ts';
import { appsRepository, dropletsRepository } from './resources.ts';
import { usageRepository as usage } from './usage.ts';

let t: ReturnType<typeof openTestStore>;
beforeEach(() => {
  t = openTestStore();
});
afterEach(() => t.close());

const droplet = (projectId: ProjectId, name: string) =>
  dropletsRepository.insert(t.store.db, {
    id: newId('droplet'),
    projectId,
    name,
    size: 's-1vcpu-1gb',
    image: 'ubuntu-24-04',
    sshKeyIds: [],
    tags: [],
    userData: null,
  });
const app = (projectId: ProjectId, name: string) =>
  appsRepository.insert(t.store.db, {
    id: newId('app'),
    projectId,
    name,
    image: 'nginx:1.27',
    port: 80,
    replicas: 1,
    env: {},
    domains: [],
    tags: [],
  });

const minute = 60_000;
const t0 = new Date('2025-01-01T12:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * minute);

describe('usage repository', () => {
  it("reads a project's series since a time, oldest first, leaving out other projects' samples", () => {
    const web = droplet(t.projectA, 'web');
    const api = app(t.projectA, 'api');
    const other = droplet(t.projectB, 'other');
    for (const m of [0, 1, 2, 3]) {
      usage.insert(t.store.db, at(m), [
        { resourceId: api.id, projectId: t.projectA, cpuMillicores: 10 + m, memoryMiB: 100 + m },
        { resourceId: web.id, projectId: t.projectA, cpuMillicores: 500 + m, memoryMiB: 600 + m },
        { resourceId: other.id, projectId: t.projectB, cpuMillicores: 1, memoryMiB: 1 },
      ]);
    }
    const rows = usage.series(t.store.db, {
      projectId: t.projectA,
      resourceIds: [web.id, api.id, other.id],
      since: at(2),
    });
    const of = (id: string) => rows.filter((r) => r.resourceId === id);
    expect(of(web.id)).toEqual([
      { resourceId: web.id, at: at(2), cpuMillicores: 502, memoryMiB: 602 },
      { resourceId: web.id, at: at(3), cpuMillicores: 503, memoryMiB: 603 },
    ]);
    expect(of(api.id).map((r) => r.cpuMillicores)).toEqual([12, 13]);
    expect(of(other.id)).toEqual([]);
  });

  it('averages samples per bucket, dating each point by its newest sample', () => {
    const web = droplet(t.projectA, 'web');
    for (const [m, cpu] of [
      [0, 100],
      [1, 200],
      [2, 300],
      [3, 401],
    ] as const) {
      usage.insert(t.store.db, at(m), [
        { resourceId: web.id, projectId: t.projectA, cpuMillicores: cpu, memoryMiB: cpu * 2 },
      ]);
    }
    const rows = usage.series(t.store.db, {
      projectId: t.projectA,
      resourceIds: [web.id],
      since: at(0),
      bucketMs: 2 * minute,
    });
    expect(rows).toEqual([
      { resourceId: web.id, at: at(1), cpuMillicores: 150, memoryMiB: 300 },
      { resourceId: web.id, at: at(3), cpuMillicores: 351, memoryMiB: 701 },
    ]);
  });

  it('ignores a second sample of a resource at the same instant', () => {
    const web = droplet(t.projectA, 'web');
    const sample = { resourceId: web.id, projectId: t.projectA, cpuMillicores: 1, memoryMiB: 1 };
    usage.insert(t.store.db, at(0), [sample]);
    usage.insert(t.store.db, at(0), [{ ...sample, cpuMillicores: 2 }]);
    const rows = usage.series(t.store.db, { projectId: t.projectA, resourceIds: [web.id], since: at(0) });
    expect(rows.map((r) => r.cpuMillicores)).toEqual([1]);
  });

  it('prunes samples older than a time and keeps the rest', () => {
    const web = droplet(t.projectA, 'web');
    for (const m of [0, 1, 2]) {
      usage.insert(t.store.db, at(m), [
        { resourceId: web.id, projectId: t.projectA, cpuMillicores: m, memoryMiB: m },
      ]);
    }
    expect(usage.prune(t.store.db, at(2))).toBe(2);
    const rows = usage.series(t.store.db, { projectId: t.projectA, resourceIds: [web.id], since: at(0) });
    expect(rows.map((r) => r.at)).toEqual([at(2)]);
  });

  it('reads a series by a range scan of the primary key and prunes through the time index', () => {
    const plans: string[] = [];
    const prepare = t.store.sqlite.prepare.bind(t.store.sqlite);
    t.store.sqlite.prepare = ((source: string) => {
      if (source.includes('usage_samples') && !source.startsWith('EXPLAIN'))
        plans.push(
          (
            prepare(`EXPLAIN QUERY PLAN ${source}`)
              .all(...Array.from({ length: source.split('?').length - 1 }, () => 0))
              .map((row) => (row as { detail: string }).detail) as string[]
          ).join('; '),
        );
      return prepare(source);
    }) as typeof t.store.sqlite.prepare;
    usage.series(t.store.db, {
      projectId: t.projectA,
      resourceIds: [newId('droplet'), newId('app')],
      since: at(0),
    });
    usage.prune(t.store.db, at(0));
    expect(plans).toHaveLength(2);
    expect(plans[0]).toMatch(
      /SEARCH usage_samples USING (INDEX sqlite_autoindex_usage_samples_1|PRIMARY KEY) \(resource_id=\? AND at>\?\)/,
    );
    expect(plans[1]).toMatch(/SEARCH usage_samples USING (COVERING )?INDEX usage_samples_at_idx \(at<\?\)/);
  });

  it("lists a project's droplets then apps by name, leaving out those being deleted", () => {
    const b = droplet(t.projectA, 'b');
    const a = droplet(t.projectA, 'a');
    const api = app(t.projectA, 'api');
    const gone = app(t.projectA, 'gone');
    droplet(t.projectB, 'elsewhere');
    appsRepository.markDeleting(t.store.db, t.projectA, gone.id);
    expect(usage.resourcesOfProject(t.store.db, t.projectA)).toEqual([
      { kind: 'droplet', id: a.id, projectId: t.projectA, name: 'a' },
      { kind: 'droplet', id: b.id, projectId: t.projectA, name: 'b' },
      { kind: 'app', id: api.id, projectId: t.projectA, name: 'api' },
    ]);
    expect(
      usage
        .resourcesByIds(t.store.db, [api.id, b.id, gone.id, newId('droplet')])
        .map((r) => [r.kind, r.id, r.projectId]),
    ).toEqual([
      ['droplet', b.id, t.projectA],
      ['app', api.id, t.projectA],
    ]);
  });
});
