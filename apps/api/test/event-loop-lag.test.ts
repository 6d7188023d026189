import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../src/testing/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ cluster: false });
});
afterAll(() => stack?.close());

const lagP99 = async () => {
  const text = await (await fetch(`${stack.url}/metrics`)).text();
  const line = /^uncloud_nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(text);
  if (!line) throw new Error('no uncloud_nodejs_eventloop_lag_p99_seconds in /metrics');
  return Number(line[1]);
};

describe('the event-loop lag figure', () => {
  it('reports in /metrics the p99 of how long the loop was held since the last scrape', async () => {
    await lagP99(); // Starts a fresh window.
    // Hold the loop for 150 ms at a time, a few times over.
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          const until = performance.now() + 150;
          while (performance.now() < until);
          resolve();
        }, 20),
      );
    }
    expect(await lagP99()).toBeGreaterThanOrEqual(0.1);
  });
});
