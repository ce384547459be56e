// The readings behind recent previews of small changes (small-change.ts), by cluster and plan
// hash, for a few minutes: an apply of such a previewed plan starts from that reading and checks
// the director's generation (generation.ts) instead of reading every host again. Kept only in
// memory: after a restart an apply reads the hosts, as any apply without a preview does.
import type { HostKey } from "@lvs-panel/lvs";
import type { DirectorGeneration } from "./generation.ts";
import type { HostReading } from "./read-state.ts";

export interface CachedPreview {
  clusterId: string;
  /** The plan hash the preview showed. */
  hash: string;
  directorHostId: string;
  /** Every host as the preview read it; the director's with its generation. */
  readings: ReadonlyMap<HostKey, HostReading>;
  generation: DirectorGeneration;
  /** The options the plan was made with: an apply with others plans something else. */
  drain: boolean;
  removeForeign: boolean;
  at: number;
}

export class PreviewCache {
  #entries: CachedPreview[] = [];

  /**
   * @param ttlMs how long a preview's reading may stand in for the apply's (the generation check
   *   still vouches for the director's table and files; the rest is as old as the preview).
   * @param max entries kept in all (one director reading each), the oldest dropped first.
   */
  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly max = 16,
  ) {}

  put(entry: CachedPreview): void {
    this.#entries = this.#entries.filter(
      (e) => !(e.clusterId === entry.clusterId && e.hash === entry.hash),
    );
    this.#entries.push(entry);
    if (this.#entries.length > this.max) this.#entries.splice(0, this.#entries.length - this.max);
  }

  get(
    clusterId: string,
    hash: string,
    opts: { drain: boolean; removeForeign: boolean },
    now = Date.now(),
  ): CachedPreview | undefined {
    this.#entries = this.#entries.filter((e) => now - e.at < this.ttlMs);
    return this.#entries.find(
      (e) =>
        e.clusterId === clusterId &&
        e.hash === hash &&
        e.drain === opts.drain &&
        e.removeForeign === opts.removeForeign,
    );
  }

  /** After anything changed on the director (an apply, a stale check), its readings are old. */
  forgetDirector(directorHostId: string): void {
    this.#entries = this.#entries.filter((e) => e.directorHostId !== directorHostId);
  }
}
