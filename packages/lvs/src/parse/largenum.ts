// ipvsadm's print_largenum: without --exact, a counter below 10^8 is printed as is in a 9-wide
// column; larger ones are divided by 1000 per step and suffixed K (<10^9), M (<10^11),
// G (<10^14), T (beyond) so they fit. The suffixed value is truncated, so it is a lower bound.

const MULTIPLIERS: Record<string, number> = { K: 1e3, M: 1e6, G: 1e9, T: 1e12 };

export interface LargeNumber {
  value: number;
  /** True when ipvsadm shortened the number with a K/M/G/T suffix (value is a lower bound). */
  approximate: boolean;
}

/** Parse one counter cell like `1234`, `123456K`, `99M`; null when it is not a counter. */
export function parseLargeNumber(text: string): LargeNumber | null {
  const last = text.at(-1);
  const multiplier = last !== undefined ? MULTIPLIERS[last] : undefined;
  const digits = multiplier ? text.slice(0, -1) : text;
  if (!/^\d+$/.test(digits)) return null;
  const n = Number(digits);
  return multiplier
    ? { value: n * multiplier, approximate: true }
    : { value: n, approximate: false };
}

/** Format like ipvsadm does (the 9-wide column included), for tests and round trips. */
export function formatLargeNumber(n: number, exact = false): string {
  if (exact) {
    const s = String(n);
    return s.padStart(s.length <= 8 ? 9 : s.length + 1);
  }
  if (n < 1e8) return String(n).padStart(9);
  if (n < 1e9) return `${String(Math.floor(n / 1e3)).padStart(8)}K`;
  if (n < 1e11) return `${String(Math.floor(n / 1e6)).padStart(8)}M`;
  if (n < 1e14) return `${String(Math.floor(n / 1e9)).padStart(8)}G`;
  return `${String(Math.floor(n / 1e12)).padStart(8)}T`;
}
