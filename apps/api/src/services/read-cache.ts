// Memory for hot reads, invalidated by writes. Every write bumps a generation number; an entry is
// served only if nothing was written since its reader started, and only while younger than
// `maxAgeMs`, which bounds staleness should a write ever reach the database without a bump.
export class ReadCache<V> {
  #generation = 0;
  readonly #entries = new Map<string, { generation: number; storedAt: number; value: V }>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Read before computing a value; pass it to `set` so a write in between discards the result. */
  get generation(): number {
    return this.#generation;
  }

  invalidate(): void {
    this.#generation++;
    this.#entries.clear();
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.generation !== this.#generation || this.now() - entry.storedAt > this.maxAgeMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Keep `value`, computed by a reader that started at `generation`, unless a write came since. */
  set(key: string, generation: number, value: V): void {
    if (generation !== this.#generation) return;
    // Keys are URLs and token hashes; a flood of distinct ones must not grow memory without bound.
    if (this.#entries.size >= this.maxEntries && !this.#entries.has(key)) this.#entries.clear();
    this.#entries.set(key, { generation, storedAt: this.now(), value });
  }
}
