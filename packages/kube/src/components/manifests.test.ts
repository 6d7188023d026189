import { describe, expect, it } from 'vitest';
import { builtinCatalogue, installOrder } from './catalogue.ts';
import { leftBehind, parseManifests, sortForApply, sortForDelete } from './manifests.ts';

const yaml = `
apiVersion: kubevirt.io/v1
kind: KubeVirt
metadata: { name: kubevirt, namespace: kubevirt }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: virt-operator, namespace: kubevirt }
---
# an empty document, as release files often end with
---
apiVersion: v1
kind: Namespace
metadata: { name: kubevirt }
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: kubevirts.kubevirt.io }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: kubevirt-operator }
`;

describe('component manifests', () => {
  it('parses multi-document YAML, skipping empty documents and unpacking Lists', () => {
    expect(parseManifests(yaml, 'a.yaml').map((o) => o.kind)).toEqual([
      'KubeVirt',
      'Deployment',
      'Namespace',
      'CustomResourceDefinition',
      'ClusterRole',
    ]);
    const list =
      'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n';
    expect(parseManifests(list, 'l.yaml').map((o) => o.metadata.name)).toEqual(['a']);
  });

  it('refuses a document that is not an object, naming the file and the document', () => {
    expect(() => parseManifests('kind: Foo\n', 'x.yaml')).toThrow(
      /x\.yaml: document 1 is not a Kubernetes object/,
    );
    expect(() => parseManifests('a: [\n', 'y.yaml')).toThrow(/y\.yaml: document 1 is not valid YAML/);
  });

  it('applies CRDs, then namespaces, then RBAC, then workloads, then custom resources; deletes in reverse', () => {
    const order = sortForApply(parseManifests(yaml, 'a.yaml')).map((o) => o.kind);
    expect(order).toEqual(['CustomResourceDefinition', 'Namespace', 'ClusterRole', 'Deployment', 'KubeVirt']);
    expect(sortForDelete(parseManifests(yaml, 'a.yaml')).map((o) => o.kind)).toEqual([...order].reverse());
  });

  it('finds what an older version applied that a newer one no longer has', () => {
    const a = { apiVersion: 'v1', kind: 'ConfigMap', name: 'a', namespace: 'n' };
    const b = { apiVersion: 'v1', kind: 'ConfigMap', name: 'b', namespace: 'n' };
    expect(leftBehind([a, b], [{ ...b }])).toEqual([a]);
  });

  it('orders components after their dependencies', () => {
    expect(installOrder(builtinCatalogue, ['cnpg', 'cdi', 'storage', 'kubevirt'])).toEqual([
      'storage',
      'cnpg',
      'kubevirt',
      'cdi',
    ]);
    // Only what was asked for, even where a dependency is not.
    expect(installOrder(builtinCatalogue, ['cdi'])).toEqual(['cdi']);
  });

  it('pins every upstream source to a release URL of its version', () => {
    for (const entry of Object.values(builtinCatalogue))
      for (const version of entry.versions)
        for (const source of version.sources) {
          expect(source.url).toMatch(/^https:\/\//);
          expect(source.url).toContain(version.version.replace(/^v/, ''));
        }
  });
});
