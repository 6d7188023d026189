import { afterEach, describe, expect, it, vi } from 'vitest';
import { waitFor } from '@uncloud/testing';
import { WorkQueue } from './work-queue.ts';

const options = { concurrency: 2, baseBackoffMs: 5, maxBackoffMs: 40 };
const until = (check: () => boolean) => waitFor(check, { timeout: 2000, interval: 2 });
const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
};

describe('work queue', () => {
  it('handles a key added many times while waiting only once', async () => {
    const handled: string[] = [];
    const queue = new WorkQueue(async (key) => void handled.push(key), { ...options, concurrency: 1 });
    const first = gate();
    const blocker = new WorkQueue(async () => first.opened, options);
    blocker.add('x');
    queue.add('a');
    queue.add('b');
    queue.add('b');
    queue.add('b');
    await queue.idle();
    expect(handled).toEqual(['a', 'b']);
    first.open();
    await blocker.idle();
  });

  it('never handles one key twice at once, and runs it again if it changed meanwhile', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const release = gate();
    const queue = new WorkQueue(async () => {
      running++;
      runs++;
      maxRunning = Math.max(maxRunning, running);
      if (runs === 1) await release.opened;
      running--;
    }, options);
    queue.add('k');
    await until(() => queue.inFlight === 1);
    queue.add('k');
    queue.add('k');
    expect(queue.depth).toBe(0);
    release.open();
    await until(() => runs === 2);
    await queue.idle();
    expect(maxRunning).toBe(1);
    expect(runs).toBe(2);
  });

  it('gives the event loop a turn between handlers that complete without waiting', async () => {
    let handled = 0;
    // A handler the cache answers: async, but done in microtasks, with a little work each.
    const queue = new WorkQueue(
      async () => {
        const until = performance.now() + 1;
        while (performance.now() < until);
        handled++;
      },
      { ...options, concurrency: 4 },
    );
    for (let i = 0; i < 200; i++) queue.add(`k${i}`);
    const handledWhenTimerRan = await new Promise<number>((resolve) => setTimeout(() => resolve(handled), 0));
    expect(handledWhenTimerRan).toBeLessThan(20);
    await queue.idle();
    expect(handled).toBe(200);
  });

  it('handles at most `concurrency` keys at once', async () => {
    let running = 0;
    let maxRunning = 0;
    const queue = new WorkQueue(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
    }, options);
    for (let i = 0; i < 10; i++) queue.add(`k${i}`);
    await queue.idle();
    expect(maxRunning).toBe(2);
  });

  it('retries a failing key with growing, jittered delays while other keys go on', async () => {
    const times: number[] = [];
    const delays: number[] = [];
    const others: string[] = [];
    const queue = new WorkQueue(
      async (key) => {
        if (key !== 'bad') return void others.push(key);
        times.push(Date.now());
        if (times.length < 4) throw new Error('cluster unreachable');
      },
      { ...options, random: () => 1, onError: (_key, _error, retryInMs) => delays.push(retryInMs) },
    );
    queue.add('bad');
    queue.add('good-1');
    queue.add('good-2');
    await until(() => times.length === 4);
    expect(others).toEqual(['good-1', 'good-2']);
    expect(delays).toEqual([5, 10, 20]);
    expect(queue.failuresOf('bad')).toBe(0);
  });

  it('caps the backoff and keeps at least half of it', () => {
    const delays: number[] = [];
    const queue = new WorkQueue(async () => {}, { ...options, random: () => 0 });
    const backoff = (queue as unknown as { backoffMs(n: number): number }).backoffMs.bind(queue);
    for (let n = 1; n <= 8; n++) delays.push(backoff(n));
    expect(delays).toEqual([2.5, 5, 10, 20, 20, 20, 20, 20]);
  });

  it('requeues a key when the handler asks to look again later', async () => {
    let runs = 0;
    const queue = new WorkQueue(async () => (++runs < 3 ? { requeueAfterMs: 1 } : undefined), options);
    queue.add('k');
    await until(() => runs === 3);
  });

  describe('delayed adds', () => {
    afterEach(() => void vi.useRealTimers());

    it('keeps the earliest due time: a sooner requeue replaces a pending backoff', async () => {
      vi.useFakeTimers();
      const handled: number[] = [];
      const queue = new WorkQueue(async () => void handled.push(Date.now()), options);
      const start = Date.now();
      queue.addAfter('k', 30_000); // the backoff left by an outage
      queue.addAfter('k', 250); // provisioning: look again soon
      await vi.advanceTimersByTimeAsync(300);
      // Handled at the sooner due time (give or take the loop's turn each handler waits for).
      expect(handled.map((t) => t - start)).toEqual([expect.closeTo(250, -1)]);
      await vi.advanceTimersByTimeAsync(30_000);
      expect(handled).toHaveLength(1);
    });

    it('does not postpone a pending add with a later one', async () => {
      vi.useFakeTimers();
      const handled: number[] = [];
      const queue = new WorkQueue(async () => void handled.push(Date.now()), options);
      const start = Date.now();
      queue.addAfter('k', 100);
      queue.addAfter('k', 5_000);
      await vi.advanceTimersByTimeAsync(6_000);
      expect(handled.map((t) => t - start)).toEqual([expect.closeTo(100, -1)]);
    });
  });

  it('waits for a delay longer than a timer can hold instead of running at once', async () => {
    let runs = 0;
    const queue = new WorkQueue(async () => void runs++, options);
    queue.addAfter('k', 200 * 24 * 3_600_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(runs).toBe(0);
    await queue.stop();
  });

  it('stops taking work and cancels delayed retries', async () => {
    let runs = 0;
    const queue = new WorkQueue(
      async () => {
        runs++;
        throw new Error('fails');
      },
      { ...options, baseBackoffMs: 20 },
    );
    queue.add('k');
    await until(() => runs === 1);
    await queue.stop();
    queue.add('k');
    await new Promise((r) => setTimeout(r, 60));
    expect(runs).toBe(1);
  });
});
