// The health of a cluster as keepalived sees it: is keepalived running on the director, and is
// each realserver passing its checks, read from the director's table (realserverVerdicts in
// @lvs-panel/lvs, docs/decisions/0004-health-state-source.md). The same verdicts come from the
// GET route (its own read: the table and keepalived's pid, one round trip) and from every live
// tick (the table the tick read anyway); one tracker per API process remembers since when each
// state holds, so both say the same `since`.
import type {
  ClusterHealth,
  DirectorHealth,
  RealserverHealth,
  VrrpState,
} from "@lvs-panel/contract";
import {
  parseIpvsadmList,
  parseVrrpData,
  type RealserverVerdict,
  realserverVerdicts,
  renderKeepalivedPidRead,
  renderVrrpStateRead,
  type ServiceSpec,
  servicesFromListing,
  vrrpInstanceName,
} from "@lvs-panel/lvs";
import type { SshPool } from "@lvs-panel/remote";
import type { Db } from "../../plugins/db.ts";
import { renderReadScript, splitReadOutput } from "../apply/read-script.ts";
import {
  type ClusterRow,
  clusterInclude,
  engineOf,
  firstDirector,
  haOf,
  toClusterSpec,
} from "../cluster-dto.ts";
import { existingCluster } from "../clusters/existing.ts";
import type { TargetResolver } from "../host-targets.ts";

/** keepalived's pid when it runs, by builtins only (no process on the director). */
export const KEEPALIVED_PID_READ = { id: "keepalived-pid", shell: renderKeepalivedPidRead() };
const READ_SCRIPT = renderReadScript([
  { id: "list", argv: ["ipvsadm", "-Ln"] },
  KEEPALIVED_PID_READ,
]);
/** With ha: the VRRP state too (keepalived's data dump), on each director. */
const READ_SCRIPT_HA = renderReadScript([
  { id: "list", argv: ["ipvsadm", "-Ln"] },
  KEEPALIVED_PID_READ,
  { id: "vrrp", shell: renderVrrpStateRead() },
]);

export interface DirectorObservation {
  /** Which director (host id); absent: the first. */
  hostId?: string;
  /** `ipvsadm -Ln` output; null when the director could not be read. */
  list: string | null;
  /** The KEEPALIVED_PID_READ output. */
  pidText: string | null;
  /** keepalived's data dump (clusters with ha); absent: not read. */
  vrrpText?: string | null;
  error?: string;
}

export function createClusterHealth(deps: {
  db: Db;
  targets: Pick<TargetResolver, "target">;
  pool: Pick<SshPool, "run">;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  /** Per cluster, per realserver id or "director:<hostId>": the state and since when. */
  const seen = new Map<string, Map<string, { state: string; since: string | null }>>();
  const latest = new Map<string, ClusterHealth>();

  /** The time `state` began, as far as this process saw; null if it held at the first look. */
  function since(clusterId: string, key: string, state: string, at: string): string | null {
    let cluster = seen.get(clusterId);
    if (!cluster) {
      cluster = new Map();
      seen.set(clusterId, cluster);
    }
    const before = cluster.get(key);
    if (before?.state === state) return before.since;
    const entry = { state, since: before ? at : null };
    cluster.set(key, entry);
    return entry.since;
  }

  function directorHealth(
    row: ClusterRow,
    hostId: string,
    seenNow: DirectorObservation,
    at: string,
  ): DirectorHealth {
    const pid = Number.parseInt(seenNow.pidText?.trim() ?? "", 10);
    const running = Number.isInteger(pid) && pid > 0;
    const state = seenNow.list === null ? "unreachable" : running ? "running" : "stopped";
    const ha = haOf(row);
    return {
      hostId,
      state,
      since: since(row.id, `director:${hostId}`, state, at),
      pid: running ? pid : null,
      ...(seenNow.error ? { lastError: seenNow.error } : {}),
      ...(ha && seenNow.vrrpText !== undefined
        ? { vrrp: vrrpOf(seenNow, running, vrrpInstanceName(ha), at) }
        : {}),
    };
  }

  function evaluate(row: ClusterRow, observed: DirectorObservation[]): ClusterHealth {
    const at = now().toISOString();
    const engine = engineOf(row);
    const first = firstDirector(row);
    const byHost = new Map(observed.map((o) => [o.hostId ?? first?.hostId ?? "", o]));
    const previous = latest.get(row.id)?.directors ?? [];
    // Directors this reading did not reach keep what the last one said of them, and so does a
    // VRRP state this reading did not ask for (a live tick's or sample's): the live view goes
    // on reading the MASTER, and /metrics reports the state with when it was read.
    const directors: DirectorHealth[] = row.directors.flatMap((d) => {
      const seenNow = byHost.get(d.hostId);
      const before = previous.find((p) => p.hostId === d.hostId);
      if (!seenNow) return before ? [before] : [];
      const health = directorHealth(row, d.hostId, seenNow, at);
      const keptVrrp = seenNow.vrrpText === undefined && haOf(row) ? before?.vrrp : undefined;
      return [keptVrrp ? { ...health, vrrp: keptVrrp } : health];
    });
    // The realservers are judged from the table of the director that carries the VIPs.
    const master = directors.find((d) => d.vrrp?.state === "MASTER");
    const seenNow = (master ? byHost.get(master.hostId) : undefined) ??
      observed.find((o) => o.list !== null) ??
      observed[0] ?? { list: null, pidText: null, error: "no director" };
    const pid = Number.parseInt(seenNow.pidText?.trim() ?? "", 10);
    const running = Number.isInteger(pid) && pid > 0;
    const spec = toClusterSpec({ ...row, engine: "keepalived" });
    const table: ServiceSpec[] | null =
      seenNow.list === null
        ? null
        : servicesFromListing(parseIpvsadmList(seenNow.list).services).services;
    const verdicts: RealserverVerdict[][] =
      table === null
        ? spec.services.map((s) =>
            s.realservers.map(() => ({
              state: "unknown" as const,
              reason: `the director could not be read${seenNow.error ? `: ${seenNow.error}` : ""}`,
              liveWeight: null,
            })),
          )
        : engine !== "keepalived"
          ? spec.services.map((s) =>
              s.realservers.map(() => ({
                state: "unknown" as const,
                reason: "the cluster is on the ipvsadm engine: nothing checks its realservers",
                liveWeight: null,
              })),
            )
          : realserverVerdicts(spec.services, table, running);
    const realservers: RealserverHealth[] = row.services.flatMap((s, i) =>
      s.realservers.map((rs, j) => {
        const v = verdicts[i]?.[j] ?? { state: "unknown" as const, liveWeight: null };
        return {
          id: rs.id,
          serviceId: s.id,
          address: rs.address,
          port: rs.port,
          state: v.state,
          since: since(row.id, rs.id, v.state, at),
          ...(v.reason ? { lastError: v.reason } : {}),
          liveWeight: v.liveWeight,
        };
      }),
    );
    const health = { engine, at, directors, realservers };
    latest.set(row.id, health);
    return health;
  }

  /** One director read (one round trip); a failure is an observation too. */
  async function observe(
    hostId: string,
    script: string,
    ha: boolean,
  ): Promise<DirectorObservation> {
    try {
      const target = await deps.targets.target(hostId);
      const result = await deps.pool.run(target, { script }, { timeoutMs: 10_000 });
      const out = splitReadOutput(result.stdout);
      return {
        hostId,
        list: out.get("list") ?? null,
        pidText: out.get("keepalived-pid") ?? null,
        ...(ha ? { vrrpText: out.get("vrrp") ?? null } : {}),
        ...(out.get("list") == null ? { error: "ipvsadm -Ln failed on the director" } : {}),
      };
    } catch (err) {
      return {
        hostId,
        list: null,
        pidText: null,
        ...(ha ? { vrrpText: null } : {}),
        error: err instanceof Error ? err.message : String(err),
      };
    }
  }

  return {
    /** Reads the directors now (one round trip each, in parallel) and judges every realserver. */
    async read(clusterId: string): Promise<ClusterHealth> {
      const row = await existingCluster(deps.db, clusterId);
      if (row.directors.length === 0) {
        return evaluate(row, [{ list: null, pidText: null, error: "no director" }]);
      }
      const ha = haOf(row) !== null;
      const observed = await Promise.all(
        row.directors.map((d) => observe(d.hostId, ha ? READ_SCRIPT_HA : READ_SCRIPT, ha)),
      );
      return evaluate(row, observed);
    },
    /** The verdicts from a read made for something else (a live tick). */
    async fromObservation(clusterId: string, observed: DirectorObservation) {
      const row = await deps.db.cluster.findUnique({
        where: { id: clusterId },
        include: clusterInclude,
      });
      return row ? evaluate(row, [observed]) : undefined;
    },
    /** The last verdicts judged for the cluster, without reading anything. */
    lastKnown(clusterId: string): ClusterHealth | undefined {
      return latest.get(clusterId);
    },
  };
}

export type ClusterHealthService = ReturnType<typeof createClusterHealth>;

/** A director's VRRP state from its observation. */
function vrrpOf(
  seenNow: DirectorObservation,
  running: boolean,
  instance: string,
  readAt: string,
): VrrpState {
  const none = { since: null, priority: null, effectivePriority: null, readAt };
  if (seenNow.list === null) {
    return { state: "UNKNOWN", ...none, error: seenNow.error ?? "the director could not be read" };
  }
  if (!running) return { state: "STOPPED", ...none };
  const parsed = seenNow.vrrpText ? parseVrrpData(seenNow.vrrpText, instance) : null;
  if (!parsed) {
    return {
      state: "UNKNOWN",
      ...none,
      error: `keepalived runs without the VRRP instance ${instance} (not applied yet?)`,
    };
  }
  return { ...parsed, readAt };
}
