import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createUncloudClient } from '../client.ts';
import { fakeId, fakeServer, projectId, token, url } from '../../test/fake-server.ts';
import { paginate } from './paginate.ts';

/** A droplets service whose `list` pages through `count` rows with an offset cursor, as the API does. */
const dropletRows = (count: number) => {
  const rows = Array.from({ length: count }, (_, i) => ({
    id: fakeId('dpl', i),
    name: `web-${i}`,
    state: 'active',
  }));
  const seenInputs: { cursor?: string | undefined; limit: number; name?: string | undefined }[] = [];
  const list = (_scope: unknown, input: { cursor?: string; limit: number; name?: string }) => {
    seenInputs.push({ cursor: input.cursor, limit: input.limit, name: input.name });
    const start = input.cursor ? Number(input.cursor) : 0;
    const end = start + input.limit;
    return { items: rows.slice(start, end), nextCursor: end < rows.length ? String(end) : null };
  };
  return { rows, seenInputs, list };
};

const clientFor = (list: ReturnType<typeof dropletRows>['list']) =>
  createUncloudClient({ url, token, fetch: fakeServer({ droplets: { list: list as never } }).fetch });

describe('paginate', () => {
  it('visits every row exactly once, in order, following the cursors', async () => {
    const { rows, seenInputs, list } = dropletRows(7);
    const client = clientFor(list);
    const ids: string[] = [];
    for await (const droplet of client.paginate(client.droplets.list, { projectId, limit: 3, name: 'web' })) {
      ids.push(droplet.id);
    }
    expect(ids).toEqual(rows.map((r) => r.id));
    expect(seenInputs).toEqual([
      { cursor: undefined, limit: 3, name: 'web' },
      { cursor: '3', limit: 3, name: 'web' },
      { cursor: '6', limit: 3, name: 'web' },
    ]);
  });

  it('visits every row once for any number of rows and page size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 12 }),
        async (count, limit) => {
          const { rows, seenInputs, list } = dropletRows(count);
          const client = clientFor(list);
          const ids: string[] = [];
          for await (const d of paginate(client.droplets.list, { projectId, limit })) ids.push(d.id);
          expect(ids).toEqual(rows.map((r) => r.id));
          expect(seenInputs).toHaveLength(Math.max(1, Math.ceil(count / limit)));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('stops reading pages when the loop stops', async () => {
    const { seenInputs, list } = dropletRows(10);
    const client = clientFor(list);
    for await (const droplet of client.paginate(client.droplets.list, { projectId, limit: 2 })) {
      if (droplet.name === 'web-2') break;
    }
    expect(seenInputs.map((i) => i.cursor)).toEqual([undefined, '2']);
  });

  it('pages through a list whose input may be left out', async () => {
    const { rows, list } = dropletRows(3);
    const client = createUncloudClient({
      url,
      token,
      fetch: fakeServer({ projects: { list: list as never } }).fetch,
    });
    const ids: string[] = [];
    for await (const p of client.paginate(client.projects.list, { limit: 2, name: 'web' })) ids.push(p.id);
    expect(ids).toEqual(rows.map((r) => r.id));
  });

  it('starts from the cursor given in the input', async () => {
    const { rows, list } = dropletRows(5);
    const client = clientFor(list);
    const ids: string[] = [];
    for await (const d of client.paginate(client.droplets.list, { projectId, limit: 2, cursor: '2' }))
      ids.push(d.id);
    expect(ids).toEqual(rows.slice(2).map((r) => r.id));
  });
});
