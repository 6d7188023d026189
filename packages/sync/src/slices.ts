// Long synchronous work cut into slices: a step function yields between units of work, and the
// runner gives the event loop back (setImmediate) whenever a slice has run for its budget, so that
// requests, timers and I/O wait at most that long behind it.

/** Steps of a piece of work: yields between units, returns the result. */
export type Steps<T> = Generator<void, T, void>;

/** Budget of one slice: below the 20 ms an API request may wait behind background work. */
export const SLICE_MS = 5;

/** Lets the event loop run what waits (I/O, timers) before going on. */
export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs the steps to the end in one go (for callers that need the result synchronously). */
export const runAtOnce = <T>(steps: Steps<T>): T => {
  let next = steps.next();
  while (!next.done) next = steps.next();
  return next.value;
};

/** Runs the steps, handing the loop back whenever a slice has taken `sliceMs`. */
export const runInSlices = async <T>(steps: Steps<T>, sliceMs = SLICE_MS): Promise<T> => {
  let sliceStarted = performance.now();
  let next = steps.next();
  while (!next.done) {
    if (performance.now() - sliceStarted >= sliceMs) {
      await yieldToLoop();
      sliceStarted = performance.now();
    }
    next = steps.next();
  }
  return next.value;
};

/** Calls `each` on the items in chunks of `size`, handing the loop back between chunks over budget. */
export const inChunks = async <T>(
  items: readonly T[],
  size: number,
  each: (chunk: T[]) => void,
  sliceMs = SLICE_MS,
): Promise<void> => {
  function* steps(): Steps<void> {
    for (let i = 0; i < items.length; i += size) {
      each(items.slice(i, i + size));
      yield;
    }
  }
  await runInSlices(steps(), sliceMs);
};
