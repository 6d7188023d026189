// Runs the simulated controllers: store events become queued keys, each reconciled after the
// configured delay, at most once at a time, level-based (the reconciler reads current state).
import type { ObjectApi } from '../object-api.ts';
import type { StoreEvent } from '../store.ts';

/** The longest a controller sleeps before it looks again (see `schedule`). */
export const MAX_TIMER_MS = 6 * 3_600_000;
export interface ReconcileResult {
  /** Reconcile this key again after this many delay steps (1 = one controller delay). */
  requeueSteps?: number;
  /** Reconcile this key again after this many milliseconds (a deadline, whatever the delay). */
  requeueAfterMs?: number;
}

export interface Controller {
  name: string;
  /** Keys to reconcile because of a store event (e.g. the object itself, or its owner). */
  keysFor(event: StoreEvent, ctx: ControllerContext): string[];
  reconcile(key: string, ctx: ControllerContext): ReconcileResult | void;
}

export interface ControllerContext {
  api: ObjectApi;
  /** Objects (by "typeKey/namespace/name") that controllers leave where they are (fault injection). */
  isHeld(typeKey: string, namespace: string, name: string): boolean;
  nodeName: string;
  nodeIp: string;
  /** The API server's CA bundle, published in every namespace as kube-root-ca.crt. */
  caPem: string;
  /** The configured controller step in ms (300 by default: the pace of simulated time). */
  stepMs: number;
}

export class ControllerManager {
  private readonly controllers: Controller[] = [];
  private readonly timers = new Map<string, { due: number; cancel: () => void }>();
  private readonly pending = new Set<string>();
  private paused = false;
  private stopped = true;
  private unsubscribe: () => void = () => undefined;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly delayMs: number,
  ) {}

  register(...cs: Controller[]): void {
    this.controllers.push(...cs);
  }

  start(): void {
    this.stopped = false;
    this.unsubscribe = this.ctx.api.store.subscribe((e) => this.onEvent(e));
    for (const { typeKey, object } of this.ctx.api.store.entries()) {
      this.onEvent({ type: 'ADDED', typeKey, object, rv: 0 });
    }
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    this.pending.clear();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    const keys = [...this.pending];
    this.pending.clear();
    for (const k of keys) this.schedule(k, 0);
  }

  get isPaused(): boolean {
    return this.paused;
  }

  private onEvent(e: StoreEvent): void {
    for (const c of this.controllers) {
      for (const key of c.keysFor(e, this.ctx)) this.schedule(`${c.name}\u0000${key}`, 1);
    }
  }

  /** Queue a key; a key already queued runs at the earlier of the two times, once. */
  private schedule(qkey: string, steps: number, minMs = 0): void {
    if (this.stopped) return;
    // Node fires a timer of more than 2^31 - 1 ms (24.8 days) at once: a schedule months away
    // would run its controller in a loop. A controller woken early looks again and requeues.
    const ms = Math.min(Math.max(this.delayMs * steps, minMs), MAX_TIMER_MS);
    const due = Date.now() + ms;
    const queued = this.timers.get(qkey);
    if (queued && queued.due <= due) return;
    queued?.cancel();
    const run = () => {
      this.timers.delete(qkey);
      this.run(qkey);
    };
    if (ms > 0) {
      const t = setTimeout(run, ms);
      this.timers.set(qkey, { due, cancel: () => clearTimeout(t) });
    } else {
      const t = setImmediate(run);
      this.timers.set(qkey, { due, cancel: () => clearImmediate(t) });
    }
  }

  private run(qkey: string): void {
    if (this.stopped) return;
    if (this.paused) {
      this.pending.add(qkey);
      return;
    }
    const [name, key] = qkey.split('\u0000') as [string, string];
    const c = this.controllers.find((x) => x.name === name);
    if (!c) return;
    try {
      const result = c.reconcile(key, this.ctx);
      if (result?.requeueSteps) this.schedule(qkey, result.requeueSteps);
      else if (result?.requeueAfterMs) this.schedule(qkey, 0, result.requeueAfterMs);
    } catch {
      // Conflicts and refusals (quota, terminating namespace) are retried with a backoff, as a real controller would.
      this.schedule(qkey, 2, 200);
    }
  }
}

/** "typeKey/namespace/name" keys, with helpers to build and split them. */
export function objKey(typeKey: string, namespace: string | undefined, name: string | undefined): string {
  return `${typeKey}|${namespace ?? ''}|${name ?? ''}`;
}

export function splitKey(key: string): { typeKey: string; namespace: string; name: string } {
  const [typeKey, namespace, name] = key.split('|') as [string, string, string];
  return { typeKey, namespace, name };
}
