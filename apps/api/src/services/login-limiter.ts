// Login throttling: after 5 failed attempts for one username from one address within 15 minutes,
// that pair is locked out for 15 minutes; 50 failures from one address lock the address. In
// memory: a restart forgets, which only ever helps a legitimate user.

const WINDOW_MS = 15 * 60_000;
const MAX_PER_USER = 5;
const MAX_PER_ADDRESS = 50;

interface Bucket {
  failures: number[];
  lockedUntil: number;
}

export function createLoginLimiter(now: () => number = Date.now) {
  const buckets = new Map<string, Bucket>();
  const bucket = (key: string) => {
    let b = buckets.get(key);
    if (!b) {
      b = { failures: [], lockedUntil: 0 };
      buckets.set(key, b);
    }
    return b;
  };
  const keys = (username: string, address: string) => [`u:${address}|${username}`, `a:${address}`];

  return {
    /** Milliseconds until the caller may try again, or 0. */
    retryAfter(username: string, address: string): number {
      const t = now();
      return Math.max(
        0,
        ...keys(username, address).map((k) => (buckets.get(k)?.lockedUntil ?? 0) - t),
      );
    },
    fail(username: string, address: string): void {
      const t = now();
      const [userKey, addressKey] = keys(username, address) as [string, string];
      for (const [key, max] of [
        [userKey, MAX_PER_USER],
        [addressKey, MAX_PER_ADDRESS],
      ] as const) {
        const b = bucket(key);
        b.failures = b.failures.filter((f) => t - f < WINDOW_MS);
        b.failures.push(t);
        if (b.failures.length >= max) {
          b.lockedUntil = t + WINDOW_MS;
          b.failures = [];
        }
      }
      if (buckets.size > 10_000) {
        for (const [k, b] of buckets)
          if (b.lockedUntil < t && b.failures.length === 0) buckets.delete(k);
      }
    },
    succeed(username: string, address: string): void {
      buckets.delete(keys(username, address)[0] as string);
    },
  };
}

export type LoginLimiter = ReturnType<typeof createLoginLimiter>;
