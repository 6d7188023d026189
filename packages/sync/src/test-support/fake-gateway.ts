import type { KindName, KubeGateway, KubeObject } from '@uncloud/kube';

type Hook = (object: KubeObject) => void;

const keyOf = (kind: string, namespace: string | undefined, name: string) =>
  `${kind}/${namespace ?? ''}/${name}`;

const matches = (object: KubeObject, selector: string | undefined) =>
  !selector ||
  selector.split(',').every((term) => {
    const [label, value] = term.split('=');
    return object.metadata.labels?.[label!] === value;
  });

/**
 * An in-memory stand-in for the gateway, enough for the engine: objects by kind, namespace and
 * name; equality label selectors. `onApply` may throw (a refusal)
 * or add a status (what a controller would report); `calls` counts every call by verb and kind.
 */
export const fakeGateway = (options: { onApply?: Hook } = {}) => {
  const objects = new Map<string, KubeObject>();
  const calls: string[] = [];
  let requests = 0;
  const hooks = { onApply: options.onApply };

  const gateway = {
    requestCount: () => requests,
    async list(
      kind: KindName,
      { labelSelector, namespace }: { labelSelector?: string; namespace?: string } = {},
    ) {
      requests++;
      calls.push(`list ${kind}`);
      return [...objects.values()].filter(
        (o) =>
          o.kind === kind &&
          (namespace === undefined || o.metadata.namespace === namespace) &&
          matches(o, labelSelector),
      );
    },
    async get(kind: KindName, namespace: string | undefined, name: string) {
      requests++;
      calls.push(`get ${kind}`);
      return objects.get(keyOf(kind, namespace, name)) ?? null;
    },
    async apply(object: KubeObject) {
      requests++;
      calls.push(`apply ${object.kind}`);
      const stored = structuredClone(object);
      hooks.onApply?.(stored);
      objects.set(keyOf(object.kind, object.metadata.namespace, object.metadata.name), stored);
      return stored;
    },
    async create(object: KubeObject) {
      return gateway.apply(object);
    },
    async delete(object: KubeObject) {
      requests++;
      calls.push(`delete ${object.kind}`);
      return objects.delete(keyOf(object.kind, object.metadata.namespace, object.metadata.name));
    },
    async update(object: KubeObject) {
      requests++;
      calls.push(`update ${object.kind}`);
      const stored = structuredClone(object);
      objects.set(keyOf(object.kind, object.metadata.namespace, object.metadata.name), stored);
      return stored;
    },
  };

  return {
    // Only the calls the engine makes are implemented.
    gateway: gateway as unknown as KubeGateway,
    objects,
    calls,
    hooks,
    /** Puts an object in the cluster as someone else would, without counting a call. */
    put: (object: KubeObject) =>
      objects.set(
        keyOf(object.kind, object.metadata.namespace, object.metadata.name),
        structuredClone(object),
      ),
    /** How many times an object of this kind was applied. */
    applies: (kind: string) => calls.filter((c) => c === `apply ${kind}`).length,
  };
};
