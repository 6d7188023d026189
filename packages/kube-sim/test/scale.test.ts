import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataFile } from '../src/persistence.ts';
import { startSim, type TestCluster } from './helpers.ts';

let dir: string;
let t: TestCluster;

// 10 000 objects are loaded from a data file (a JSON snapshot, which the simulator imports) rather
// than created one by one, so that the test measures reads, not 10 000 round trips.
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sim-scale-'));
  const seedFile = join(dir, 'seed.db');
  const dataFile = join(dir, 'cluster.json');
  const seed = await startSim({ dataFile: seedFile, profile: 'bare' });
  const template = await seed.core.createNamespacedConfigMap({
    namespace: 'default',
    body: { metadata: { name: 'template', labels: { shard: 'x' } } },
  });
  await seed.stop();
  const data = loadDataFile(seedFile) as {
    resourceVersion: number;
    objects: { typeKey: string; object: unknown }[];
  };
  for (let i = 0; i < 10_000; i++) {
    data.resourceVersion += 1;
    const metadata = {
      ...template.metadata,
      name: `cm-${i}`,
      uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      labels: { shard: String(i % 10) },
      resourceVersion: String(data.resourceVersion),
      creationTimestamp: new Date().toISOString(),
    };
    data.objects.push({
      typeKey: '/configmaps',
      object: { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { i: String(i) } },
    });
  }
  await writeFile(dataFile, JSON.stringify(data));
  t = await startSim({ dataFile, profile: 'bare' });
});
afterAll(async () => {
  await t.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('scale', () => {
  it('answers a label-selected LIST of 1 000 out of 10 000 objects in milliseconds', async () => {
    const url = `${t.info.httpUrl}/api/v1/namespaces/default/configmaps?labelSelector=shard%3D3`;
    const headers = { authorization: `Bearer ${t.info.token}` };
    await (await fetch(url, { headers })).arrayBuffer();
    const start = performance.now();
    const res = await fetch(url, { headers });
    const body = (await res.json()) as { items: unknown[] };
    const elapsed = performance.now() - start;
    expect(body.items).toHaveLength(1000);
    expect(elapsed).toBeLessThan(500);
    const typed = await t.core.listNamespacedConfigMap({
      namespace: 'default',
      labelSelector: 'shard in (3,4)',
      limit: 500,
    });
    expect(typed.items).toHaveLength(500);
    expect(typed.metadata?._continue).toBeTruthy();
  });
});
