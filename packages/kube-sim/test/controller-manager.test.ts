import { describe, expect, it } from 'vitest';
import { ControllerManager, type ControllerContext } from '../src/controllers/manager.ts';

describe('the controller manager', () => {
  it('sleeps until a far deadline instead of waking at once (timers over 24.8 days fire immediately)', async () => {
    let runs = 0;
    const store = {
      subscribe: () => () => undefined,
      entries: () => [
        { typeKey: 'postgresql.cnpg.io/v1/scheduledbackups', object: { metadata: { name: 'yearly' } } },
      ],
    };
    const ctx = { api: { store } } as unknown as ControllerContext;
    const manager = new ControllerManager(ctx, 0);
    manager.register({
      name: 'far',
      keysFor: () => ['yearly'],
      reconcile: () => {
        runs++;
        // The next run of a yearly schedule: months away.
        return { requeueAfterMs: 200 * 24 * 3_600_000 };
      },
    });
    manager.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    manager.stop();
    expect(runs).toBe(1);
  });
});
