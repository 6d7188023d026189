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

  const registryAuth = {
    realm: 'https://uncloud.example.com/registry/token',
    issuer: 'uncloud',
    service: 'uncloud-registry',
    jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1' }] },
  };

  it('runs the registry at its pinned version on a claim of its own, one writer at a time', () => {
    const objects = generatedObjects('registry', '3.0.0', undefined, { registryAuth });
    expect(byKind(objects, 'Deployment')[0]?.spec).toMatchObject({
      strategy: { type: 'Recreate' },
      template: { spec: { containers: [{ image: 'docker.io/library/registry:3.0.0' }] } },
    });
    expect(byKind(objects, 'PersistentVolumeClaim').map((o) => o.metadata.name)).toEqual(['registry-data']);
  });

  it("configures the registry to take Uncloud's tokens: realm, issuer, service and the key as a JWK set", () => {
    const objects = generatedObjects('registry', '3.0.0', undefined, { registryAuth });
    const [config] = byKind(objects, 'ConfigMap');
    const data = config?.data as Record<string, string>;
    // JSON is YAML: the registry reads config.yml as it is.
    expect(JSON.parse(data['config.yml']!).auth).toEqual({
      token: {
        realm: 'https://uncloud.example.com/registry/token',
        service: 'uncloud-registry',
        issuer: 'uncloud',
        jwks: '/etc/distribution/jwks.json',
      },
    });
    expect(JSON.parse(data['jwks.json']!)).toEqual(registryAuth.jwks);
    const pod = (byKind(objects, 'Deployment')[0]?.spec as { template: Record<string, never> }).template;
    expect(pod).toMatchObject({
      spec: {
        containers: [
          {
            volumeMounts: expect.arrayContaining([
              { name: 'config', mountPath: '/etc/distribution', readOnly: true },
            ]),
          },
        ],
        volumes: expect.arrayContaining([{ name: 'config', configMap: { name: 'registry-config' } }]),
      },
    });
    // A new realm or key rolls the registry's pod, which reads its configuration only at start.
    const moved = generatedObjects('registry', '3.0.0', undefined, {
      registryAuth: { ...registryAuth, realm: 'https://elsewhere.example.com/registry/token' },
    });
    const hash = (o: typeof objects) =>
      (
        byKind(o, 'Deployment')[0]?.spec as {
          template: { metadata: { annotations: Record<string, string> } };
        }
      ).template.metadata.annotations['uncloud.dev/config-hash'];
    expect(hash(moved)).not.toBe(hash(objects));
  });

  it('refuses to run a registry that would trust no token server', () => {
    expect(() => generatedObjects('registry', '3.0.0', undefined)).toThrow(/token server/);
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
