import type { KindName, KubeGateway, KubeObject, WatchEvent } from '@uncloud/kube';

type Hook = (object: KubeObject) => void;

const keyOf = (kind: string, namespace: string | undefined, name: string) =>
  `${kind}/${namespace ?? ''}/${name}`;

const matches = (object: KubeObject, selector: string | undefined) =>
  !selector ||
  selector.split(',').every((term) => {
    const [label, value] = term.split('=');
    return object.metadata.labels?.[label!] === value;
  });

type Watcher = { kind: string; selector: string | undefined; onEvent: (event: WatchEvent) => void };

/**
 * The cluster's objects: every change, however made (a call, or a test writing the map as someone
 * else would), gets a new resource version and is told to the open watches.
 */
class WatchedObjects extends Map<string, KubeObject> {
  version = 0;
  readonly watchers = new Set<Watcher>();

  private tell(type: WatchEvent['type'], object: KubeObject) {
    for (const w of this.watchers)
      if (w.kind === object.kind && matches(object, w.selector))
        w.onEvent({ type, object: structuredClone(object) });
  }

  override set(key: string, object: KubeObject) {
    // Map's constructor calls set before the fields exist.
    if (this.watchers === undefined) return super.set(key, object);
    const existed = this.has(key);
    object.metadata.resourceVersion = String(++this.version);
    object.metadata.uid ??= `uid-${this.version}`;
    super.set(key, object);
    this.tell(existed ? 'MODIFIED' : 'ADDED', object);
    return this;
  }

  override delete(key: string) {
    const object = this.get(key);
    if (!super.delete(key)) return false;
    object!.metadata.resourceVersion = String(++this.version);
    this.tell('DELETED', object!);
    return true;
  }
}

/**
 * An in-memory stand-in for the gateway, enough for the engine: objects by kind, namespace and
 * name; equality label selectors; lists with a version and watches from it. `onApply` may throw (a
 * refusal) or add a status (what a controller would report); `calls` counts every call by verb and
 * kind.
 */
export const fakeGateway = (
  options: {
    onApply?: Hook;
    /** Answers a list of this kind with this error (RBAC, say). */ refuseList?: (
      kind: string,
    ) => Error | undefined;
  } = {},
) => {
  const objects = new WatchedObjects();
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
    async listVersioned(kind: KindName, listOptions: { labelSelector?: string; namespace?: string } = {}) {
      const refused = options.refuseList?.(kind);
      if (refused) {
        requests++;
        throw refused;
      }
      return { items: await gateway.list(kind, listOptions), resourceVersion: String(objects.version) };
    },
    async watch(
      kind: KindName,
      { labelSelector, signal }: { labelSelector?: string; signal?: AbortSignal },
      onEvent: (event: WatchEvent) => void,
    ) {
      requests++;
      calls.push(`watch ${kind}`);
      const watcher: Watcher = { kind, selector: labelSelector, onEvent };
      objects.watchers.add(watcher);
      let end: () => void = () => undefined;
      const ended = new Promise<void>((resolve) => (end = resolve));
      const stop = () => {
        objects.watchers.delete(watcher);
        end();
      };
      signal?.addEventListener('abort', stop, { once: true });
      return { ended, stop };
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
      const before = objects.get(keyOf(object.kind, object.metadata.namespace, object.metadata.name));
      if (before?.metadata.uid) stored.metadata.uid = before.metadata.uid;
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
