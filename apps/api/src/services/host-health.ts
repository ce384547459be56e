// Is each host reachable over SSH? Probed in the background (a trivial `true` on the pooled
// connection, bounded by the pool's connect timeout), at most once per `minIntervalMs` per host
// and never twice at once, so asking for the overview never waits on a slow or dead host: callers
// read what is known and request a refresh. Hosts whose key nobody confirmed are never contacted.
import type { SshPool } from "@lvs-panel/remote";
import type { TargetResolver } from "./host-targets.ts";

export interface HostHealth {
  /** null: not checked yet. */
  reachable: boolean | null;
  checkedAt: string | null;
  error: string | null;
}

const UNKNOWN: HostHealth = { reachable: null, checkedAt: null, error: null };

export function createHostHealth(deps: {
  targets: Pick<TargetResolver, "target">;
  pool: Pick<SshPool, "run">;
  minIntervalMs?: number;
  commandTimeoutMs?: number;
  now?: () => number;
}) {
  const minIntervalMs = deps.minIntervalMs ?? 15_000;
  const now = deps.now ?? Date.now;
  const known = new Map<string, HostHealth>();
  const lastStarted = new Map<string, number>();
  const running = new Map<string, Promise<void>>();
  let closed = false;

  async function probe(hostId: string): Promise<void> {
    let result: HostHealth;
    try {
      // Refuses (without connecting) a host or jump host whose key is not trusted, or one with
      // no key or password set; the message says which and what to do.
      const target = await deps.targets.target(hostId);
      const out = await deps.pool.run(
        target,
        { argv: ["true"] },
        { timeoutMs: deps.commandTimeoutMs ?? 10_000 },
      );
      result =
        out.code === 0
          ? { reachable: true, checkedAt: new Date(now()).toISOString(), error: null }
          : {
              reachable: false,
              checkedAt: new Date(now()).toISOString(),
              error: `\`true\` exited with ${out.code ?? out.signal}`,
            };
    } catch (err) {
      result = {
        reachable: false,
        checkedAt: new Date(now()).toISOString(),
        error: err instanceof Error ? err.message : String(err),
      };
    }
    if (!closed) known.set(hostId, result);
  }

  return {
    get(hostId: string): HostHealth {
      return known.get(hostId) ?? UNKNOWN;
    },

    /** Starts probes for the hosts not checked within the interval; returns at once. */
    refresh(hostIds: Iterable<string>): void {
      if (closed) return;
      for (const hostId of hostIds) {
        if (running.has(hostId)) continue;
        const last = lastStarted.get(hostId);
        if (last !== undefined && now() - last < minIntervalMs) continue;
        lastStarted.set(hostId, now());
        const p = probe(hostId).finally(() => running.delete(hostId));
        running.set(hostId, p);
      }
    },

    /** Waits for the probes under way (tests, and shutdown before the pool closes). */
    async settled(): Promise<void> {
      await Promise.all([...running.values()]);
    },

    async close(): Promise<void> {
      closed = true;
      await Promise.all([...running.values()]);
    },
  };
}

export type HostHealthService = ReturnType<typeof createHostHealth>;
