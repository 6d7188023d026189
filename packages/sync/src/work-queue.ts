import { yieldToLoop } from './slices.ts';
/** The longest a key waits in `addAfter` before it is looked at again. */
export const MAX_DELAY_MS = 6 * 3_600_000;

/** What a handler may ask for besides success: to look at the key again after a while. */
export type WorkResult = void | { requeueAfterMs: number };

export interface WorkQueueOptions {
  /** How many keys are handled at once. */
  concurrency: number;
  /** First retry delay after a failure; doubles with each further failure of the same key. */
  baseBackoffMs: number;
  /** Upper bound of the retry delay. */
  maxBackoffMs: number;
  /** Called when a handler fails, with the delay before its retry. */
  onError?: (key: string, error: unknown, retryInMs: number) => void;
  /** Source of randomness for jitter, replaceable in tests. */
  random?: () => number;
}

/**
 * A keyed work queue in the spirit of client-go's workqueue: a key waits at most once (adding it
 * again while it waits changes nothing), is never handled twice at once (adding it while it is
 * handled marks it to run again right after), and a key that fails backs off exponentially with
 * jitter without holding up the others.
 */
export class WorkQueue {
  private readonly waiting = new Set<string>();
  private readonly order: string[] = [];
  private readonly active = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; dueAt: number }>();
  private readonly idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly handle: (key: string) => Promise<WorkResult>,
    private readonly options: WorkQueueOptions,
  ) {}

  /** Keys waiting to be handled (not counting those in flight or delayed). */
  get depth(): number {
    return this.order.length;
  }

  /** Keys being handled right now. */
  get inFlight(): number {
    return this.active.size;
  }

  add(key: string): void {
    if (this.stopped) return;
    if (this.active.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.waiting.has(key)) return;
    this.waiting.add(key);
    this.order.push(key);
    this.pump();
  }

  /**
   * Adds the key after a delay. A key already delayed keeps the earliest due time, as client-go's
   * delaying queue does: a sooner requeue (250 ms while provisioning) replaces a later one (a 30 s
   * backoff left over from an outage), a later one changes nothing.
   */
  addAfter(key: string, delayMs: number): void {
    if (this.stopped) return;
    // Node fires a timer of more than 2^31 - 1 ms (24.8 days) at once; a key woken early is
    // looked at and requeued by its handler.
    delayMs = Math.min(delayMs, MAX_DELAY_MS);
    const dueAt = Date.now() + delayMs;
    const pending = this.timers.get(key);
    if (pending) {
      if (pending.dueAt <= dueAt) return;
      clearTimeout(pending.timer);
    }
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.timers.set(key, { timer, dueAt });
  }

  /** How many times in a row the key has failed. */
  failuresOf(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Resolves once nothing waits and nothing is in flight (delayed retries do not count). */
  idle(): Promise<void> {
    if (this.order.length === 0 && this.active.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking work and cancels delayed retries; in-flight handlers finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.order.length = 0;
    this.waiting.clear();
    await this.idle();
  }

  private backoffMs(failures: number): number {
    const { baseBackoffMs, maxBackoffMs, random = Math.random } = this.options;
    const ceiling = Math.min(maxBackoffMs, baseBackoffMs * 2 ** (failures - 1));
    // Equal jitter: at least half the ceiling, so retries spread out but never come back at once.
    return ceiling / 2 + random() * (ceiling / 2);
  }

  private pump(): void {
    while (!this.stopped && this.active.size < this.options.concurrency && this.order.length > 0) {
      const key = this.order.shift()!;
      this.waiting.delete(key);
      this.active.add(key);
      void this.run(key);
    }
  }

  private async run(key: string): Promise<void> {
    try {
      // Each reconcile starts on a turn of the event loop of its own. A reconcile that needs no
      // request (the cache answers) completes in microtasks, and the next would follow in the same
      // turn: a burst of them held the API's loop for half a second.
      await yieldToLoop();
      if (this.stopped) return;
      const result = await this.handle(key);
      this.failures.delete(key);
      if (result && result.requeueAfterMs >= 0) this.addAfter(key, result.requeueAfterMs);
    } catch (error) {
      const failures = this.failuresOf(key) + 1;
      this.failures.set(key, failures);
      const delay = this.backoffMs(failures);
      this.options.onError?.(key, error, delay);
      this.addAfter(key, delay);
    } finally {
      this.active.delete(key);
      if (this.dirty.delete(key)) this.add(key);
      this.pump();
      if (this.order.length === 0 && this.active.size === 0)
        this.idleWaiters.splice(0).forEach((resolve) => resolve());
    }
  }
}
