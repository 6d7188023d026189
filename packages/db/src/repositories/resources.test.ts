import type { ProjectId } from '@uncloud/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { newId } from '../ids.ts';
import { projects } from '../schema.ts';
import { openTestStore } from '../test-store.ts';
import { dropletsRepository as droplets, volumesRepository as volumes } from './resources.ts';

let t: ReturnType<typeof openTestStore>;
beforeEach(() => {
  t = openTestStore();
});
afterEach(() => t.close());

const droplet = (projectId: ProjectId, name: string, tags: string[] = []) => ({
  id: newId('droplet'),
  projectId,
  name,
  size: 's-1vcpu-1gb' as const,
  image: 'ubuntu-24-04' as const,
  sshKeyIds: [],
  tags,
  userData: null,
});

describe('resource repository', () => {
  it('inserts intent as pending at generation 1, nothing observed yet', () => {
    const row = droplets.insert(t.store.db, droplet(t.projectA, 'web'));
    expect(row).toMatchObject({
      state: 'pending',
      generation: 1,
      observedGeneration: 0,
      observedAt: null,
      deletedAt: null,
    });
  });

  it('keeps names unique per project and kind, not across projects or kinds', () => {
    droplets.insert(t.store.db, droplet(t.projectA, 'web'));
    expect(() => droplets.insert(t.store.db, droplet(t.projectA, 'web'))).toThrowError(
      expect.objectContaining({ code: 'CONFLICT', field: 'name' }),
    );
    expect(droplets.insert(t.store.db, droplet(t.projectB, 'web')).name).toBe('web');
    const volume = volumes.insert(t.store.db, {
      id: newId('volume'),
      projectId: t.projectA,
      name: 'web',
      sizeGiB: 1,
      filesystem: 'ext4',
      tags: [],
    });
    expect(volume.name).toBe('web');
  });

  it('bumps the generation on every change of intent', () => {
    const row = droplets.insert(t.store.db, droplet(t.projectA, 'web'));
    expect(droplets.update(t.store.db, t.projectA, row.id, { name: 'web-2' }).generation).toBe(2);
    expect(droplets.update(t.store.db, t.projectA, row.id, { tags: ['a'] }).generation).toBe(3);
  });

  it('does not find or change a resource through another project', () => {
    const row = droplets.insert(t.store.db, droplet(t.projectA, 'web'));
    expect(droplets.find(t.store.db, t.projectB, row.id)).toBeUndefined();
    expect(() => droplets.update(t.store.db, t.projectB, row.id, { name: 'x' })).toThrowError(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
    expect(() => droplets.markDeleting(t.store.db, t.projectB, row.id)).toThrowError(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
  });

  it('soft-deletes: the row stays deleting, with a new generation, until removed', () => {
    const row = droplets.insert(t.store.db, droplet(t.projectA, 'web'));
    const deleting = droplets.markDeleting(t.store.db, t.projectA, row.id);
    expect(deleting).toMatchObject({ state: 'deleting', generation: 2 });
    expect(deleting.deletedAt).toBeInstanceOf(Date);
    expect(droplets.find(t.store.db, t.projectA, row.id)?.state).toBe('deleting');
    expect(droplets.remove(t.store.db, row.id)).toBe(true);
    expect(droplets.find(t.store.db, t.projectA, row.id)).toBeUndefined();
  });

  it('pages through every row exactly once, oldest first', () => {
    const ids = Array.from(
      { length: 23 },
      (_, i) => droplets.insert(t.store.db, droplet(t.projectA, `d-${i}`)).id,
    );
    const seen: string[] = [];
    const times: number[] = [];
    let cursor: string | undefined;
    do {
      const page = droplets.list(t.store.db, t.projectA, { limit: 5, cursor });
      expect(page.items.length).toBeLessThanOrEqual(5);
      seen.push(...page.items.map((r) => r.id));
      times.push(...page.items.map((r) => r.createdAt.getTime()));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(ids.length);
    expect(new Set(seen)).toEqual(new Set(ids));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('filters by name substring, tag and state', () => {
    droplets.insert(t.store.db, droplet(t.projectA, 'web-1', ['env:prod']));
    droplets.insert(t.store.db, droplet(t.projectA, 'web-2', ['env:dev']));
    const db = droplets.insert(t.store.db, droplet(t.projectA, 'db-1', ['env:prod']));
    droplets.markDeleting(t.store.db, t.projectA, db.id);
    const names = (filter: object) =>
      droplets
        .list(t.store.db, t.projectA, { limit: 50, ...filter })
        .items.map((r) => r.name)
        .sort();
    expect(names({ name: 'WEB' })).toEqual(['web-1', 'web-2']);
    expect(names({ tag: 'env:prod' })).toEqual(['db-1', 'web-1']);
    expect(names({ state: 'deleting' })).toEqual(['db-1']);
  });

  it('refuses a cursor it did not issue', () => {
    expect(() => droplets.list(t.store.db, t.projectA, { limit: 5, cursor: 'garbage' })).toThrowError(
      expect.objectContaining({ code: 'BAD_REQUEST', field: 'cursor' }),
    );
  });

  it('keeps a project from being removed while it holds resources', () => {
    droplets.insert(t.store.db, droplet(t.projectA, 'web'));
    expect(() => t.store.db.delete(projects).where(eq(projects.id, t.projectA)).run()).toThrow(/FOREIGN KEY/);
  });
});

describe('intent store', () => {
  it('runs with WAL, foreign keys and a busy timeout', () => {
    expect(t.store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(t.store.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(t.store.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('rolls a failed transaction back whole', () => {
    expect(() =>
      t.store.transaction((db) => {
        droplets.insert(db, droplet(t.projectA, 'web'));
        droplets.insert(db, droplet(t.projectA, 'web'));
      }),
    ).toThrow();
    expect(droplets.countInProject(t.store.db, t.projectA)).toBe(0);
  });
});
