import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFile, loadDataFile } from '../src/persistence.ts';
import { ObjectStore } from '../src/store.ts';
import type { StoredObject } from '../src/types.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sim-batch-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const configMap = (name: string, value: string): StoredObject =>
  ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default' },
    data: { value },
  }) as StoredObject;
const nextTick = () => new Promise((r) => setImmediate(r));

describe('the data file', () => {
  it('writes the changes of one tick in one transaction, each object once as it ended', async () => {
    const path = join(dir, 'tick.db');
    const file = new DataFile(path);
    const store = new ObjectStore();
    file.attach(store);
    for (let i = 0; i < 50; i++)
      for (const value of ['a', 'b', 'c']) store.put('/configmaps', configMap(`cm-${i}`, value));
    store.remove('/configmaps', 'default', 'cm-49');
    await nextTick();
    expect(file.written).toEqual({ transactions: 1, rows: 50 });
    const saved = loadDataFile(path);
    expect(saved?.resourceVersion).toBe(store.resourceVersion);
    expect(saved?.objects).toHaveLength(49);
    expect(saved?.objects.every(({ object }) => (object.data as { value: string }).value === 'c')).toBe(true);
    file.close();
  });

  it('writes what is pending at once when the server is about to reply', () => {
    const path = join(dir, 'reply.db');
    const file = new DataFile(path);
    const store = new ObjectStore();
    file.attach(store);
    store.put('/configmaps', configMap('acknowledged', 'x'));
    store.flushPending();
    // Read from another connection in the same tick: already on disk.
    expect(loadDataFile(path)?.objects.map(({ object }) => object.metadata.name)).toEqual(['acknowledged']);
    expect(file.written.transactions).toBe(1);
    file.close();
  });
});
