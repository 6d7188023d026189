/** Polls `check` until it returns a truthy value or the deadline passes; never a fixed sleep. */
export const waitFor = async <T>(
  check: () => T | Promise<T>,
  { timeout = 5000, interval = 20, message = 'condition' }: { timeout?: number; interval?: number; message?: string } = {},
): Promise<Exclude<T, false | null | undefined | 0 | ''>> => {
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as Exclude<T, false | null | undefined | 0 | ''>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${message}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
};
