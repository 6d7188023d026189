import { setMaxListeners } from 'node:events';
import type { KubeObject } from '../manifests/meta.ts';
import { KubeError, isKubeError } from './errors.ts';
import type { KubeGateway, WatchEvent, WatchStream } from './gateway.ts';
import type { KindName } from './kinds.ts';
import type { CacheChange, ObjectCache } from './object-cache.ts';

export interface InformerOptions {
  gateway: KubeGateway;
  cache: ObjectCache;
  kinds: readonly KindName[];
  /** Which objects: the same selector the engine's lists use (its managed objects). */
  labelSelector: string;
  /** Every change the cache took in, from a watch event or a relist. */
  onChange(change: CacheChange, object: KubeObject): void;
  /** A kind's list or watch failed; it is retried after `retryInMs`. */
  onError?(kind: KindName, error: unknown, retryInMs: number): void;
  /** A kind is listed and watched again after a failure (or for the first time). */
  onConnected?(kind: KindName): void;
  /** Backoff after failures: doubling from `baseMs` to `maxMs`, with jitter (default 200 ms → 30 s). */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Length the server is asked to keep each watch open; default 5–10 min at random, as client-go. */
  watchSeconds?: () => number;
}

interface KindState {
  /** Listed at least once: the cache holds this kind. */
  synced: boolean;
  /** Not failing now. */
  healthy: boolean;
  /** Where the watch resumes; empty: list first. */
  resourceVersion: string;
  /** Why the last list or watch failed, until one succeeds. */
  lastError?: unknown;
  /** Set while the kind is not served and its loop waits to look again: looks now. */
  wake?: () => void;
  /** Looks left at a short interval after a wake (the kind is about to be served). */
  eager: number;
}

// After a wake, a kind still not served is looked at again this many times at a doubling interval
// from the base backoff (a CRD Established a moment before its kind answers lists), then as usual.
const EAGER_LOOKS = 6;

/** A 410 Gone (from the request or as a watch's ERROR event): the version is too old, list again. */
const isGone = (error: unknown) => isKubeError(error, 'Gone');

/**
 * Informers over the kinds the engine owns or observes, feeding one shared cache: per kind a LIST
 * (its version), then a WATCH from there, resumed from the last version seen when the server ends
 * it; a 410 Gone (history compacted, an expired watch) lists again and reports only what changed
 * meanwhile. A failed list or watch (an outage, a restarted server) is retried with exponential
 * backoff and jitter, never given up. `@kubernetes/client-node`'s ListWatch stops on the first
 * error that is not a 410 and leaves restarting to the caller, and its Watch keeps the credentials
 * it was made with; these go through the gateway, so they share its keep-alive agent, request
 * counting, error words, and its re-reading of changed credentials.
 */
export const createInformers = (options: InformerOptions) => {
  const { gateway, cache } = options;
  const base = options.baseBackoffMs ?? 200;
  const max = options.maxBackoffMs ?? 30_000;
  const watchSeconds = options.watchSeconds ?? (() => 300 + Math.floor(Math.random() * 300));
  const state = new Map<KindName, KindState>(
    options.kinds.map((k) => [k, { synced: false, healthy: false, resourceVersion: '', eager: 0 }]),
  );
  let controller: AbortController | undefined;
  let loops: Promise<void>[] = [];
  const syncWaiters = new Set<() => void>();

  const ready = () => [...state.values()].every((s) => s.synced && s.healthy);
  /** Every kind is listed and watched, or was refused its first list (it keeps trying). */
  const settledOnce = () =>
    [...state.values()].every((s) => (s.synced && s.healthy) || (!s.synced && s.lastError !== undefined));
  const notifySynced = () => {
    if (!settledOnce()) return;
    for (const resolve of syncWaiters) resolve();
    syncWaiters.clear();
  };

  /** Waits `ms`, or less if stopped (or, given `s`, woken by `recheckUnserved`). */
  const pause = (ms: number, signal: AbortSignal, s?: KindState) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        if (s) s.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      if (s) s.wake = done;
    });

  const relist = async (kind: KindName, s: KindState, signal: AbortSignal) => {
    const { items, resourceVersion } = await gateway.listVersioned(kind, {
      labelSelector: options.labelSelector,
      signal,
    });
    if (signal.aborted) return;
    for (const { change, object } of cache.replaceKind(kind, items)) options.onChange(change, object);
    s.resourceVersion = resourceVersion;
    s.synced = true;
  };

  const run = async (kind: KindName, signal: AbortSignal) => {
    const s = state.get(kind)!;
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (!s.resourceVersion) await relist(kind, s, signal);
        if (signal.aborted) return;
        let gone = false;
        let ended = false;
        // Set once the watch is open; an ERROR event stops it from the handler.
        const open: { stream?: WatchStream } = {};
        const stream = await gateway.watch(
          kind,
          {
            labelSelector: options.labelSelector,
            resourceVersion: s.resourceVersion,
            timeoutSeconds: watchSeconds(),
            signal,
          },
          (event: WatchEvent) => {
            if (event.type === 'ERROR') {
              const status = event.object as unknown as { code?: number; message?: string };
              // Too old to resume from: list again. Other errors end this watch; it is retried.
              if (status.code === 410) gone = true;
              ended = true;
              open.stream?.stop();
              return;
            }
            if (ended) return;
            const version = (event.object.metadata as { resourceVersion?: string }).resourceVersion;
            if (version) s.resourceVersion = version;
            if (event.type === 'BOOKMARK') return;
            const change = event.type === 'DELETED' ? cache.remove(event.object) : cache.put(event.object);
            if (change) options.onChange(change, event.object);
          },
        );
        open.stream = stream;
        s.lastError = undefined;
        if (!s.healthy) {
          s.healthy = true;
          notifySynced();
          options.onConnected?.(kind);
        }
        failures = 0;
        s.eager = 0;
        if (ended) stream.stop();
        await stream.ended;
        if (gone) s.resourceVersion = '';
      } catch (error) {
        if (signal.aborted) return;
        if (isGone(error)) {
          s.resourceVersion = '';
          continue;
        }
        // A kind the cluster does not serve (its CRD is absent) is empty; look again now and then.
        if (error instanceof KubeError && error.kind === 'NotFound' && error.verb === 'list') {
          for (const { change, object } of cache.replaceKind(kind, [])) options.onChange(change, object);
          s.synced = true;
          s.healthy = true;
          notifySynced();
          const looks = s.eager;
          s.eager = Math.max(0, looks - 1);
          await pause(looks > 0 ? Math.min(max, base * 2 ** (EAGER_LOOKS - looks)) : max, signal, s);
          continue;
        }
        s.healthy = false;
        s.lastError = error;
        failures++;
        const retryInMs = Math.min(max, base * 2 ** (failures - 1)) * (0.5 + Math.random() / 2);
        options.onError?.(kind, error, retryInMs);
        notifySynced();
        await pause(retryInMs, signal);
      }
    }
  };

  return {
    /** Starts listing and watching every kind (again, after `stop`). */
    start() {
      if (controller) return;
      controller = new AbortController();
      const signal = controller.signal;
      // Every kind's loop and watch listens to this one signal.
      setMaxListeners(0, signal);
      loops = options.kinds.map((kind) => run(kind, signal));
    },

    /** Stops every watch; the cache is left as it was (the caller clears it if it must). */
    async stop() {
      controller?.abort();
      controller = undefined;
      await Promise.all(loops);
      loops = [];
      for (const s of state.values())
        Object.assign(s, {
          synced: false,
          healthy: false,
          resourceVersion: '',
          lastError: undefined,
          eager: 0,
        });
    },

    /**
     * Kinds the cluster did not serve are looked at now rather than at their next try (up to the
     * maximum backoff away), and a few times soon after: their CRD has just been installed. Returns
     * the kinds woken.
     */
    recheckUnserved(): KindName[] {
      const woken: KindName[] = [];
      for (const [kind, s] of state) {
        if (!s.wake) continue;
        s.eager = EAGER_LOOKS;
        s.wake();
        woken.push(kind);
      }
      return woken;
    },

    /** Every kind has been listed at least once since the start. */
    synced: () => [...state.values()].every((s) => s.synced),

    /** Of these kinds, those never listed yet, with why the last try failed (if it did). */
    unlisted(kinds: Iterable<KindName>): { kind: KindName; error: unknown }[] {
      const out: { kind: KindName; error: unknown }[] = [];
      for (const kind of kinds) {
        const s = state.get(kind);
        if (s && !s.synced) out.push({ kind, error: s.lastError });
      }
      return out;
    },

    /** Kinds listed once but failing now: what the cache holds of them may be out of date. */
    stale: (): KindName[] => [...state].filter(([, s]) => s.synced && !s.healthy).map(([k]) => k),

    /** Every kind is listed and being watched: the cache is current. */
    healthy: ready,

    /**
     * Resolves once every kind is listed and watched, or was refused its first list (a kind the
     * cluster will not let us see must not hold up the others); at once if that is so already.
     */
    waitForSync(): Promise<void> {
      if (settledOnce()) return Promise.resolve();
      return new Promise((resolve) => syncWaiters.add(resolve));
    },

    /** Per kind: listed, watching, and the version it resumes from. */
    state: () =>
      Object.fromEntries(
        [...state].map(([k, { wake, ...s }]) => [k, { ...s, waitingToBeServed: wake !== undefined }]),
      ),
  };
};

export type Informers = ReturnType<typeof createInformers>;
