// In-memory object store: objects per resource type and namespace, one global resourceVersion
// counter, and a bounded history of changes that watches resume from.
import type { StoredObject } from './types.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  typeKey: string;
  object: StoredObject;
  /** The object before the change (MODIFIED and DELETED). */
  previous?: StoredObject;
  rv: number;
}

export type StoreListener = (event: StoreEvent) => void;

export interface StoreSnapshot {
  resourceVersion: number;
  objects: { typeKey: string; object: StoredObject }[];
}

/** An object's key within its type, in the order lists are served: `<namespace>/<name>`. */
export function storageKey(o: StoredObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

export class ObjectStore {
  private rv = 1;
  private readonly data = new Map<string, Map<string, Map<string, StoredObject>>>();
  private history: StoreEvent[] = [];
  /** Versions at or below this one can no longer be watched from. */
  private compacted = 0;
  private readonly listeners = new Set<StoreListener>();
  private readonly typeRemovedListeners = new Set<(typeKey: string) => void>();
  private readonly flushListeners = new Set<() => void>();
  /** Per type, per `key=value` label, the objects carrying it by storage key: for equality selectors. */
  private readonly byLabel = new Map<string, Map<string, Map<string, StoredObject>>>();
  /** Bumped when objects change without events (load, removeType): indexes built on events rebuild. */
  private epochValue = 0;

  constructor(private readonly historyLimit = 20_000) {}

  get resourceVersion(): number {
    return this.rv;
  }

  get epoch(): number {
    return this.epochValue;
  }

  get compactedVersion(): number {
    return this.compacted;
  }

  /** Forget all history: a watch or continue token from before now gets 410 Gone. */
  compact(): void {
    this.history = [];
    this.compacted = this.rv;
  }

  get(typeKey: string, namespace: string, name: string): StoredObject | undefined {
    return this.data.get(typeKey)?.get(namespace)?.get(name);
  }

  /**
   * Objects of a type, optionally in one namespace, in the order of their storage keys
   * (`<namespace>/<name>`, as etcd orders them: namespace `a-b` before `a`).
   */
  list(typeKey: string, namespace?: string): StoredObject[] {
    const byNs = this.data.get(typeKey);
    if (!byNs) return [];
    const spaces =
      namespace !== undefined
        ? [namespace]
        : [...byNs.keys()]
            .map((ns) => `${ns}/`)
            .sort()
            .map((k) => k.slice(0, -1));
    const out: StoredObject[] = [];
    for (const ns of spaces) {
      const objs = byNs.get(ns);
      if (!objs) continue;
      const names = [...objs.keys()].sort();
      for (const n of names) out.push(objs.get(n) as StoredObject);
    }
    return out;
  }

  /**
   * Objects of a type as they were at resourceVersion `rv` (the current ones with the changes since
   * `rv` undone from the history), in key order; undefined when that history is no longer retained.
   * Costs the events since `rv`, not a copy of the store.
   */
  listAt(typeKey: string, namespace: string | undefined, rv: number): StoredObject[] | undefined {
    if (rv < this.compacted) return undefined;
    const current = this.list(typeKey, namespace);
    const before = new Map<string, StoredObject | undefined>();
    for (let i = this.history.length - 1; i >= 0; i--) {
      const e = this.history[i] as StoreEvent;
      if (e.rv <= rv) break;
      if (e.typeKey !== typeKey) continue;
      const ns = e.object.metadata.namespace ?? '';
      if (namespace !== undefined && ns !== namespace) continue;
      // Walking back, the earliest change after `rv` is seen last: its `previous` is the state at `rv`.
      before.set(storageKey(e.object), e.type === 'ADDED' ? undefined : e.previous);
    }
    if (before.size === 0) return current;
    const out = current.filter((o) => !before.has(storageKey(o)));
    for (const o of before.values()) if (o) out.push(o);
    return out.sort((a, b) => (storageKey(a) < storageKey(b) ? -1 : 1));
  }

  /** How many objects of a type are stored. */
  count(typeKey: string): number {
    let n = 0;
    for (const objs of this.data.get(typeKey)?.values() ?? []) n += objs.size;
    return n;
  }

  /** Every stored object with its type key. */
  *entries(): Generator<{ typeKey: string; object: StoredObject }> {
    for (const [typeKey, byNs] of this.data)
      for (const objs of byNs.values()) for (const object of objs.values()) yield { typeKey, object };
  }

  /** Store an object (stamping a fresh resourceVersion) and notify listeners. */
  put(typeKey: string, object: StoredObject): StoredObject {
    const ns = object.metadata.namespace ?? '';
    const name = object.metadata.name ?? '';
    const previous = this.get(typeKey, ns, name);
    this.rv += 1;
    object.metadata.resourceVersion = String(this.rv);
    let byNs = this.data.get(typeKey);
    if (!byNs) this.data.set(typeKey, (byNs = new Map()));
    let objs = byNs.get(ns);
    if (!objs) byNs.set(ns, (objs = new Map()));
    objs.set(name, object);
    if (previous) this.indexLabels(typeKey, previous, false);
    this.indexLabels(typeKey, object, true);
    this.emit({ type: previous ? 'MODIFIED' : 'ADDED', typeKey, object, previous, rv: this.rv });
    return object;
  }

  remove(typeKey: string, namespace: string, name: string): StoredObject | undefined {
    const objs = this.data.get(typeKey)?.get(namespace);
    const previous = objs?.get(name);
    if (!objs || !previous) return undefined;
    objs.delete(name);
    this.indexLabels(typeKey, previous, false);
    this.rv += 1;
    const object = { ...previous, metadata: { ...previous.metadata, resourceVersion: String(this.rv) } };
    this.emit({ type: 'DELETED', typeKey, object, previous, rv: this.rv });
    return object;
  }

  /** Drop every object of a type without events (a CRD's data when the CRD is gone is handled by callers). */
  removeType(typeKey: string): void {
    this.data.delete(typeKey);
    this.byLabel.delete(typeKey);
    this.epochValue += 1;
    for (const l of [...this.typeRemovedListeners]) l(typeKey);
  }

  /** Called when a type's objects are dropped at once (removeType). */
  onRemoveType(listener: (typeKey: string) => void): () => void {
    this.typeRemovedListeners.add(listener);
    return () => this.typeRemovedListeners.delete(listener);
  }

  /** Events after `rv` for a type; undefined when that history is no longer retained. */
  since(rv: number, typeKey: string): StoreEvent[] | undefined {
    if (rv < this.compacted) return undefined;
    return this.history.filter((e) => e.rv > rv && e.typeKey === typeKey);
  }

  /** Called by flushPending(): e.g. the data file writes the changes it batched. */
  onFlush(listener: () => void): () => void {
    this.flushListeners.add(listener);
    return () => this.flushListeners.delete(listener);
  }

  /** Make every change so far durable (called before the server replies: acknowledged = stored). */
  flushPending(): void {
    for (const l of this.flushListeners) l();
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): StoreSnapshot {
    return { resourceVersion: this.rv, objects: [...this.entries()] };
  }

  load(snapshot: StoreSnapshot): void {
    this.data.clear();
    this.byLabel.clear();
    this.epochValue += 1;
    this.history = [];
    this.rv = snapshot.resourceVersion;
    this.compacted = snapshot.resourceVersion;
    for (const { typeKey, object } of snapshot.objects) {
      let byNs = this.data.get(typeKey);
      if (!byNs) this.data.set(typeKey, (byNs = new Map()));
      const ns = object.metadata.namespace ?? '';
      let objs = byNs.get(ns);
      if (!objs) byNs.set(ns, (objs = new Map()));
      objs.set(object.metadata.name ?? '', object);
      this.indexLabels(typeKey, object, true);
    }
  }

  /**
   * How many objects of a type carry the label `key=value` (any namespace): lets a list pick its
   * most selective equality requirement.
   */
  countLabelled(typeKey: string, key: string, value: string): number {
    return this.byLabel.get(typeKey)?.get(`${key}=${value}`)?.size ?? 0;
  }

  /** Objects of a type with the label `key=value`, optionally in one namespace, in key order. */
  listLabelled(typeKey: string, namespace: string | undefined, key: string, value: string): StoredObject[] {
    const bucket = this.byLabel.get(typeKey)?.get(`${key}=${value}`);
    if (!bucket) return [];
    const out: [string, StoredObject][] = [];
    for (const [k, o] of bucket)
      if (namespace === undefined || (o.metadata.namespace ?? '') === namespace) out.push([k, o]);
    return out.sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, o]) => o);
  }

  private indexLabels(typeKey: string, object: StoredObject, add: boolean): void {
    const labels = object.metadata.labels;
    if (!labels) return;
    let byType = this.byLabel.get(typeKey);
    if (!byType) this.byLabel.set(typeKey, (byType = new Map()));
    const key = storageKey(object);
    for (const [k, v] of Object.entries(labels)) {
      const label = `${k}=${v}`;
      let bucket = byType.get(label);
      if (add) {
        if (!bucket) byType.set(label, (bucket = new Map()));
        bucket.set(key, object);
      } else if (bucket) {
        bucket.delete(key);
        if (bucket.size === 0) byType.delete(label);
      }
    }
  }

  private emit(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.compacted = Math.max(this.compacted, dropped[dropped.length - 1]?.rv ?? 0);
    }
    for (const l of [...this.listeners]) l(event);
  }
}
