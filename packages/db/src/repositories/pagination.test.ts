import type { ProjectId } from '@uncloud/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../ids.ts';
import { openTestStore } from '../test-store.ts';
import { dropletsRepository as droplets } from './resources.ts';

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

/** Every row of a list, page after page, with the totals each page reported. */
const walk = (filter: object) => {
  const names: string[] = [];
  const totals: number[] = [];
  let cursor: string | undefined;
  do {
    const page = droplets.list(t.store.db, t.projectA, { limit: 4, cursor, ...filter });
    names.push(...page.items.map((r) => r.name));
    totals.push(page.total);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { names, totals };
};

describe('keyset pagination by column', () => {
  const names = ['m', 'b', 'x', 'a', 'q', 'c', 'z', 'k', 'e', 'y'];
  beforeEach(() => {
    for (const name of names)
      droplets.insert(t.store.db, droplet(t.projectA, name, name < 'n' ? ['low'] : []));
    droplets.insert(t.store.db, droplet(t.projectB, 'other'));
  });

  it('pages by name, A to Z and Z to A, visiting every row once', () => {
    expect(walk({ sort: 'name' }).names).toEqual([...names].sort());
    expect(walk({ sort: 'name', order: 'desc' }).names).toEqual([...names].sort().reverse());
  });

  it('pages newest first when asked, and in creation order by default', () => {
    // Rows made in the same millisecond follow their ids, so the order is compared, not assumed.
    const oldestFirst = walk({}).names;
    expect([...oldestFirst].sort()).toEqual([...names].sort());
    expect(walk({ order: 'desc' }).names).toEqual([...oldestFirst].reverse());
  });

  it('says on every page how many rows match the filters', () => {
    expect(walk({}).totals).toEqual([10, 10, 10]);
    const low = walk({ tag: 'low', sort: 'name' });
    expect(low.names).toEqual(['a', 'b', 'c', 'e', 'k', 'm']);
    expect(low.totals).toEqual([6, 6]);
    expect(droplets.list(t.store.db, t.projectA, { limit: 4, name: 'nothing' }).total).toBe(0);
  });

  it('refuses a cursor from another order rather than skip or repeat rows', () => {
    const cursor = droplets.list(t.store.db, t.projectA, { limit: 4, sort: 'name' }).nextCursor!;
    expect(() => droplets.list(t.store.db, t.projectA, { limit: 4, cursor })).toThrowError(
      expect.objectContaining({ code: 'BAD_REQUEST', field: 'cursor' }),
    );
  });
});
