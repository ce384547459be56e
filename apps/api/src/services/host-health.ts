// Is each host reachable over SSH? Probed in the background (a trivial `true` on the pooled
// connection, bounded by the pool's connect timeout), at most once per `minIntervalMs` per host
// and never twice at once, so asking for the overview never waits on a slow or dead host: callers
// read what is known and request a refresh. Hosts whose key nobody confirmed are never contacted.
// Each result belongs to a version of the host (its address, credentials, pinned key…, as the
// caller spells it): a host edited or re-trusted since is unknown again and probed at once, so a
// stale "unreachable" or "not trusted" never outlives the edit that fixed it.
import type { SshPool } from "@lvs-panel/remote";
import type { TargetResolver } from "./host-targets.ts";

export interface HostHealth {
  /** null: not checked yet. */
  reachable: boolean | null;
  checkedAt: string | null;
  error: string | null;
}

const UNKNOWN: HostHealth = { reachable: null, checkedAt: null, error: null };

/** A host as the caller knows it now; any change to `version` invalidates what was learnt. */
export interface HostVersion {
  id: string;
  version: string;
}

export function createHostHealth(deps: {
  targets: Pick<TargetResolver, "target">;
  pool: Pick<SshPool, "run">;
  minIntervalMs?: number;
  commandTimeoutMs?: number;
  now?: () => number;
}) {
  const minIntervalMs = deps.minIntervalMs ?? 15_000;
  const now = deps.now ?? Date.now;
  const known = new Map<string, { version: string; health: HostHealth }>();
  /** The latest probe started per host: for which version, and when. */
  const lastStarted = new Map<string, { version: string; at: number }>();
  /** Keyed by host and version: a probe of an older version may still be finishing. */
  const running = new Map<string, Promise<void>>();
  let closed = false;

  async function probe(hostId: string, version: string): Promise<void> {
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
    // A probe of a version edited away meanwhile says nothing about the host as it is now.
    if (!closed && lastStarted.get(hostId)?.version === version) {
      known.set(hostId, { version, health: result });
    }
  }

  return {
    /** What the last probe of this version of the host found (unknown for any other version). */
    get(host: HostVersion): HostHealth {
      const entry = known.get(host.id);
      return entry?.version === host.version ? entry.health : UNKNOWN;
    },

    /**
     * Starts probes for the hosts not checked within the interval, and at once for any whose
     * version changed; returns at once.
     */
    refresh(hosts: Iterable<HostVersion>): void {
      if (closed) return;
      for (const { id, version } of hosts) {
        const key = JSON.stringify([id, version]);
        if (running.has(key)) continue;
        const last = lastStarted.get(id);
        if (last?.version === version && now() - last.at < minIntervalMs) continue;
        if (last?.version !== version) known.delete(id);
        lastStarted.set(id, { version, at: now() });
        const p = probe(id, version).finally(() => running.delete(key));
        running.set(key, p);
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
