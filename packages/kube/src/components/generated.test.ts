import { describe, expect, it } from 'vitest';
import { generatedObjects } from './generated.ts';

const byKind = (objects: ReturnType<typeof generatedObjects>, kind: string) =>
  objects.filter((o) => o.kind === kind);

describe('what the provisioner writes itself', () => {
  it("gives buckets Rook's object gateway and the class their claims name", () => {
    const objects = generatedObjects('object-storage', 'v1.16.4', undefined);
    expect(byKind(objects, 'CephObjectStore')).toEqual([
      expect.objectContaining({
        metadata: { name: 'uncloud-objects', namespace: 'rook-ceph' },
        spec: expect.objectContaining({ allowUsersInNamespaces: ['*'], gateway: { port: 80, instances: 1 } }),
      }),
    ]);
    expect(byKind(objects, 'StorageClass')).toEqual([
      expect.objectContaining({
        metadata: { name: 'uncloud-buckets' },
        provisioner: 'rook-ceph.ceph.rook.io/bucket',
        parameters: { objectStoreName: 'uncloud-objects', objectStoreNamespace: 'rook-ceph' },
      }),
    ]);
  });

  it('runs the registry at its pinned version on a claim of its own, one writer at a time', () => {
    const objects = generatedObjects('registry', '2.8.3', undefined);
    expect(byKind(objects, 'Deployment')[0]?.spec).toMatchObject({
      strategy: { type: 'Recreate' },
      template: { spec: { containers: [{ image: 'docker.io/library/registry:2.8.3' }] } },
    });
    expect(byKind(objects, 'PersistentVolumeClaim').map((o) => o.metadata.name)).toEqual(['registry-data']);
  });

  it("has Prometheus scrape Uncloud's /metrics where deploy/ runs it", () => {
    const objects = generatedObjects('prometheus', 'v0.80.1', undefined);
    expect(byKind(objects, 'Secret')[0]?.stringData).toEqual({
      'scrape.yaml': expect.stringContaining("targets: ['uncloud.uncloud.svc:80']"),
    });
    expect(byKind(objects, 'Prometheus')[0]).toMatchObject({
      spec: { additionalScrapeConfigs: { name: 'prometheus-scrape-uncloud', key: 'scrape.yaml' } },
    });
  });

  it('writes nothing for components that are only upstream manifests', () => {
    expect(generatedObjects('kubevirt', 'v1.7.0', undefined)).toEqual([]);
  });
});
