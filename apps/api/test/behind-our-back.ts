import type { SimCluster, StoredObject } from '@uncloud/kube-sim';

// Someone other than Uncloud (kubectl, another controller) changing the simulated cluster, with a
// field manager of their own, straight through its object API: no HTTP, so injected faults do not
// get in the way.

const typeOf = (sim: SimCluster, apiVersion: string, kind: string) => {
  const type = sim.registry.byKind(apiVersion, kind);
  if (!type) throw new Error(`the simulated cluster does not serve ${apiVersion} ${kind}`);
  return type;
};

/** A JSON merge patch of a namespaced object, as `kubectl patch --type merge` sends it. */
export const mergePatchAs = (
  sim: SimCluster,
  fieldManager: string,
  object: { apiVersion: string; kind: string; namespace: string; name: string },
  patch: object,
) =>
  sim.api.patch(
    typeOf(sim, object.apiVersion, object.kind),
    object.namespace,
    object.name,
    'application/merge-patch+json',
    JSON.stringify(patch),
    { fieldManager },
  );

/** Creates an object, as `kubectl create` does. */
export const createAs = (sim: SimCluster, fieldManager: string, object: StoredObject) =>
  sim.api.create(typeOf(sim, object.apiVersion, object.kind), object.metadata.namespace ?? '', object, {
    fieldManager,
  });
