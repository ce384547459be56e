// Memory for hot reads, invalidated by writes. Every write bumps a generation number; an entry is
// served only if nothing was written since its reader started, and only while younger than
// `maxAgeMs`, which bounds staleness should a write ever reach the database without a bump.
export class ReadCache<V> {
  #generation = 0;
  readonly #entries = new Map<string, { generation: number; storedAt: number; value: V }>();

  #weight = 0;

  constructor(
    private readonly maxAgeMs: number,
    private readonly maxEntries: number,
    private readonly opts: {
      /** Bound on the summed weight of the entries (e.g. bytes), with `weigh`. */
      maxWeight?: number;
      weigh?: (value: V) => number;
      now?: () => number;
    } = {},
  ) {}

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private weigh(value: V): number {
    return this.opts.weigh?.(value) ?? 0;
  }

  /** Read before computing a value; pass it to `set` so a write in between discards the result. */
  get generation(): number {
    return this.#generation;
  }

  invalidate(): void {
    this.#generation++;
    this.#entries.clear();
    this.#weight = 0;
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.generation !== this.#generation || this.now() - entry.storedAt > this.maxAgeMs) {
      this.#delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Keep `value`, computed by a reader that started at `generation`, unless a write came since. */
  set(key: string, generation: number, value: V): void {
    if (generation !== this.#generation) return;
    this.#delete(key);
    const weight = this.weigh(value);
    const maxWeight = this.opts.maxWeight ?? Number.POSITIVE_INFINITY;
    if (weight > maxWeight) return;
    if (this.#entries.size >= this.maxEntries || this.#weight + weight > maxWeight) {
      this.#sweep();
    }
    // Still full of live entries: start over rather than grow (entries are cheap to recompute).
    if (this.#entries.size >= this.maxEntries || this.#weight + weight > maxWeight) {
      this.#entries.clear();
      this.#weight = 0;
    }
    this.#entries.set(key, { generation, storedAt: this.now(), value });
    this.#weight += weight;
  }

  /** Number of entries and their summed weight (for tests and diagnostics). */
  get size(): { entries: number; weight: number } {
    return { entries: this.#entries.size, weight: this.#weight };
  }

  #delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#weight -= this.weigh(entry.value);
  }

  /** Drops expired entries. */
  #sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.#entries) {
      if (now - entry.storedAt > this.maxAgeMs) this.#delete(key);
    }
  }
}
