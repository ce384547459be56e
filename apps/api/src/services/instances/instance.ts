// This panel instance among others on one database (docs/decisions/0008-several-instances.md):
// one heartbeat renews the leases it holds (apply locks, the background lease), runs the tasks
// registered with `onBeat` (its applies' heartbeats, interrupting dead owners' applies), and keeps
// or takes the background lease, so the stats sampler and the drift check run on one instance.
import type { DatabaseProvider, Db } from "../../plugins/db.ts";
import { BACKGROUND_LEASE, releaseLease, renewLeases, takeLease } from "./leases.ts";

export interface PanelInstance {
  id: string;
  /** A lease or an apply heartbeat older than this is its dead holder's. */
  ttlMs: number;
  /** Several instances may share the database (PostgreSQL); SQLite has one process. */
  shared: boolean;
  /** Applies whose heartbeat is older than this belong to an instance that died. */
  staleBefore(): Date;
  /** Runs `task` on every heartbeat, after the leases are renewed. */
  onBeat(task: () => Promise<void>): void;
  /** This instance does the background work now. */
  isLeader(): boolean;
  /** Forgets what a previous run of this instance held (SQLite: what anyone held), then beats. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createInstance(deps: {
  db: Db;
  provider: DatabaseProvider;
  id: string;
  heartbeatMs: number;
  log?: (message: string) => void;
}): PanelInstance {
  const { db, id, heartbeatMs } = deps;
  const ttlMs = 3 * heartbeatMs;
  const tasks: (() => Promise<void>)[] = [];
  let leaderUntil = 0;
  let timer: NodeJS.Timeout | undefined;
  let beating: Promise<void> | undefined;
  let closed = false;

  async function beat() {
    const at = Date.now();
    try {
      const held = await renewLeases(db, id, ttlMs);
      const leader =
        held.has(BACKGROUND_LEASE) || (await takeLease(db, BACKGROUND_LEASE, id, ttlMs));
      // Stop a beat before the lease can expire, so two leaders never overlap (within clock skew).
      leaderUntil = leader ? at + ttlMs - heartbeatMs : 0;
    } catch (err) {
      leaderUntil = 0;
      deps.log?.(`instance ${id}: could not renew its leases: ${(err as Error).message}`);
    }
    for (const task of tasks) {
      await task().catch((err: unknown) =>
        deps.log?.(`instance ${id}: heartbeat: ${(err as Error).message}`),
      );
    }
  }

  function tick() {
    if (beating || closed) return;
    beating = beat().finally(() => {
      beating = undefined;
    });
  }

  return {
    id,
    ttlMs,
    shared: deps.provider === "postgresql",
    staleBefore: () => new Date(Date.now() - ttlMs),
    onBeat: (task) => void tasks.push(task),
    isLeader: () => Date.now() < leaderUntil,
    async start() {
      await db.lease.deleteMany({ where: deps.provider === "postgresql" ? { holder: id } : {} });
      tick();
      await beating;
      timer = setInterval(tick, heartbeatMs);
      timer.unref();
    },
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      await beating;
      // A clean stop hands the background work over at once rather than after the lease expires.
      if (leaderUntil > 0) await releaseLease(db, BACKGROUND_LEASE, id).catch(() => undefined);
      leaderUntil = 0;
    },
  };
}
