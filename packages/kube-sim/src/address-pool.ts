// A /16 of addresses handed out lowest-free-first (pod IPs, Service cluster IPs), kept from store
// events: allocating costs O(1) amortised instead of a scan of every object holding an address.
import type { ObjectStore } from './store.ts';
import type { StoredObject } from './types.ts';

export interface PoolSpec {
  /** The first two octets, e.g. `[10, 42]`. */
  prefix: readonly [number, number];
  /** The lowest host number handed out (x·256+y). */
  first: number;
  /** Types whose objects hold addresses of the pool. */
  typeKeys: readonly string[];
  /** The address an object holds (undefined: none). */
  addressOf(typeKey: string, o: StoredObject): string | undefined;
  /** For the message when the pool is exhausted, e.g. `pod IP`. */
  what: string;
}

class AddressPool {
  /** Host number → how many objects hold it. */
  private readonly used = new Map<number, number>();
  /** No free host number below this one. */
  private lowestFree: number;
  readonly epoch: number;
  private readonly off: () => void;
  private readonly prefix: string;

  constructor(
    store: ObjectStore,
    private readonly spec: PoolSpec,
  ) {
    this.epoch = store.epoch;
    this.lowestFree = spec.first;
    this.prefix = `${spec.prefix[0]}.${spec.prefix[1]}.`;
    const held = (typeKey: string, o: StoredObject | undefined) =>
      o ? spec.addressOf(typeKey, o) : undefined;
    for (const typeKey of spec.typeKeys) for (const o of store.list(typeKey)) this.take(held(typeKey, o), 1);
    this.off = store.subscribe((e) => {
      if (!spec.typeKeys.includes(e.typeKey)) return;
      const before = held(e.typeKey, e.previous);
      const after = e.type === 'DELETED' ? undefined : held(e.typeKey, e.object);
      if (before === after) return;
      this.take(before, -1);
      this.take(after, 1);
    });
  }

  close(): void {
    this.off();
  }

  allocate(): string {
    for (let i = this.lowestFree; i < 65534; i++) {
      if (i % 256 === 0 || i % 256 === 255 || this.used.has(i)) continue;
      this.lowestFree = i;
      return `${this.prefix}${Math.floor(i / 256)}.${i % 256}`;
    }
    throw new Error(`${this.spec.what} range exhausted`);
  }

  private take(ip: string | undefined, delta: 1 | -1): void {
    if (!ip?.startsWith(this.prefix)) return;
    const [x, y] = ip.slice(this.prefix.length).split('.').map(Number);
    if (x === undefined || y === undefined || !Number.isInteger(x) || !Number.isInteger(y)) return;
    const host = x * 256 + y;
    const n = (this.used.get(host) ?? 0) + delta;
    if (n > 0) this.used.set(host, n);
    else {
      this.used.delete(host);
      if (host < this.lowestFree) this.lowestFree = Math.max(host, this.spec.first);
    }
  }
}

const pools = new WeakMap<ObjectStore, Map<PoolSpec, AddressPool>>();

/** The lowest address of the pool no object holds. */
export function allocateAddress(store: ObjectStore, spec: PoolSpec): string {
  let byStore = pools.get(store);
  if (!byStore) pools.set(store, (byStore = new Map()));
  let pool = byStore.get(spec);
  if (pool?.epoch !== store.epoch) {
    pool?.close();
    pool = new AddressPool(store, spec);
    byStore.set(spec, pool);
  }
  return pool.allocate();
}
