// A counting semaphore: at most `limit` tasks run at once, the rest wait in arrival order.

export interface Limiter {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Waits for a slot and holds it until the returned release is called (once is enough). */
  acquire(): Promise<() => void>;
  readonly active: number;
}

export function createLimiter(limit: number): Limiter {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError("limit must be an integer >= 1");
  let active = 0;
  const waiting: Array<() => void> = [];
  const acquire = async () => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      active--;
      const next = waiting.shift();
      if (next) next();
    };
  };
  return {
    get active() {
      return active;
    },
    acquire,
    async run<T>(task: () => Promise<T>): Promise<T> {
      const release = await acquire();
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}

export type Settled<I, T> =
  | { item: I; ok: true; value: T }
  | { item: I; ok: false; error: unknown };

/** Runs `task` for every item with at most `concurrency` in flight; one failure stops nothing. */
export async function settleBounded<I, T>(
  items: readonly I[],
  concurrency: number,
  task: (item: I) => Promise<T>,
): Promise<Settled<I, T>[]> {
  const limiter = createLimiter(concurrency);
  return Promise.all(
    items.map((item) =>
      limiter.run(async (): Promise<Settled<I, T>> => {
        try {
          return { item, ok: true, value: await task(item) };
        } catch (error) {
          return { item, ok: false, error };
        }
      }),
    ),
  );
}
