import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../ids.ts';
import { openTestStore } from '../test-store.ts';
import { bucketsRepository as buckets, snapshotsRepository as snapshots } from './resources.ts';

let t: ReturnType<typeof openTestStore>;
beforeEach(() => {
  t = openTestStore();
});
afterEach(() => t.close());

/** Every page, one row each, so the cursor carries the sort value between pages. */
const walk = <R extends { name: string }>(
  list: (cursor: string | undefined) => { items: R[]; nextCursor: string | null },
) => {
  const names: string[] = [];
  let cursor: string | undefined;
  do {
    const page = list(cursor);
    names.push(...page.items.map((r) => r.name));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return names;
};

// Created middle, lowest, highest by every key, so creation order matches none of them.
describe('the sort columns of snapshots and buckets', () => {
  it('orders snapshots by size and by what they are of, across pages', () => {
    for (const [name, sizeGiB, resourceName] of [
      ['mid', 20, 'mid-disk'],
      ['alpha', 10, 'alpha-disk'],
      ['zulu', 30, 'zulu-disk'],
    ] as const)
      snapshots.insert(t.store.db, {
        id: newId('snapshot'),
        projectId: t.projectA,
        name,
        resourceKind: 'volume',
        resourceId: newId('volume'),
        resourceName,
        sizeGiB,
      });
    for (const sort of ['size', 'resource'])
      for (const order of ['asc', 'desc'] as const) {
        const names = walk((cursor) =>
          snapshots.list(t.store.db, t.projectA, { limit: 1, cursor, sort, order }),
        );
        expect(names, `${sort} ${order}`).toEqual(
          order === 'asc' ? ['alpha', 'mid', 'zulu'] : ['zulu', 'mid', 'alpha'],
        );
      }
  });

  it('orders buckets by the bytes they hold, unknown usage first', () => {
    const ids = ['mid', 'alpha', 'zulu', 'unmeasured'].map((name) => {
      const row = buckets.insert(t.store.db, { id: newId('bucket'), projectId: t.projectA, name });
      return [name, row.id] as const;
    });
    const usage: Record<string, number> = { mid: 2048, alpha: 1024, zulu: 4096 };
    for (const [name, id] of ids)
      if (usage[name] !== undefined)
        buckets.recordSync(t.store.db, id, {
          usageBytes: usage[name],
          observedGeneration: 1,
          observedAt: new Date(),
          syncError: null,
        });
    const names = walk((cursor) => buckets.list(t.store.db, t.projectA, { limit: 1, cursor, sort: 'size' }));
    expect(names).toEqual(['unmeasured', 'alpha', 'mid', 'zulu']);
  });
});
