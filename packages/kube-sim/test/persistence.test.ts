import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, startSim } from './helpers.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sim-data-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('persistence', () => {
  it('keeps objects, CRD-served kinds and the resourceVersion sequence across a restart', async () => {
    const dataFile = join(dir, 'cluster.json');
    const first = await startSim({ dataFile });
    await createNamespace(first, 'keep');
    const cm = await first.core.createNamespacedConfigMap({
      namespace: 'keep',
      body: { metadata: { name: 'settings' }, data: { a: '1' } },
    });
    await first.custom.createNamespacedCustomObject({
      group: 'kubevirt.io',
      version: 'v1',
      namespace: 'keep',
      plural: 'virtualmachines',
      body: {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachine',
        metadata: { name: 'vm' },
        spec: { runStrategy: 'Halted', template: { spec: { domain: { devices: {} } } } },
      },
    });
    await first.stop();
    const saved = JSON.parse(await readFile(dataFile, 'utf8')) as {
      resourceVersion: number;
      objects: unknown[];
    };
    expect(saved.objects.length).toBeGreaterThan(5);

    const second = await startSim({ dataFile });
    try {
      const again = await second.core.readNamespacedConfigMap({ name: 'settings', namespace: 'keep' });
      expect(again.metadata?.uid).toBe(cm.metadata?.uid);
      expect(again.metadata?.resourceVersion).toBe(cm.metadata?.resourceVersion);
      const vm = (await second.custom.getNamespacedCustomObject({
        group: 'kubevirt.io',
        version: 'v1',
        namespace: 'keep',
        plural: 'virtualmachines',
        name: 'vm',
      })) as { metadata: { name: string } };
      expect(vm.metadata.name).toBe('vm');
      const next = await second.core.createNamespacedConfigMap({
        namespace: 'keep',
        body: { metadata: { name: 'later' } },
      });
      expect(Number(next.metadata?.resourceVersion)).toBeGreaterThan(saved.resourceVersion);
    } finally {
      await second.stop();
    }
  });
});
