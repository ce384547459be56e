// Everything an apply or a plan needs about a cluster: the desired spec, which host configures
// each realserver address, and runners for the director and those hosts.
import {
  type ClusterSpec,
  canonicalAddress,
  desiredHostStates,
  emptyHostState,
  type HostKey,
  type HostState,
  type Ownership,
  realserverHostKey,
} from "@lvs-panel/lvs";
import type { Runner, ShellSession, SshPool, SshTarget } from "@lvs-panel/remote";
import type { Db } from "../../plugins/db.ts";
import { clusterInclude, firstDirector, secondDirector, toClusterSpec } from "../cluster-dto.ts";
import { DomainError, notFound } from "../errors.ts";
import type { TargetResolver } from "../host-targets.ts";
import type { DirectorEngine } from "./engine/director-engine.ts";
import { ipvsadmEngine } from "./engine/ipvsadm-engine.ts";
import { keepalivedEngineAdopting } from "./engine/keepalived-engine.ts";
import { appliedDesiredOf, lastAppliedDesired } from "./last-applied.ts";
import { loadOwnership } from "./ownership.ts";

/** What an apply stores as `desired`: the spec and the realserver→host map it was applied with. */
export interface AppliedDesired {
  spec: ClusterSpec;
  realserverHosts: Record<string, string>;
  /** The directors' host ids, in order (a pair's second is "director2"). */
  directorHosts?: string[];
  /**
   * Realservers (by canonical address) that could not be reached, with the steps due on them
   * that the apply left for later. They run on the next apply that reaches the host.
   */
  pendingHosts?: Record<string, PendingHost>;
}

export interface PendingHost {
  hostId: string;
  hostName: string;
  /** Why the host could not be reached, the last time it was tried. */
  reason: string;
  /** When the first of these steps was left pending (ISO time). */
  since: string;
  /** What the host is believed to hold: its state before the pending steps. */
  believed: HostState;
  steps: { phase: string; description: string; command: string }[];
}

export interface HostHandle {
  /** How the plan names the host. */
  key: HostKey;
  role: "director" | "realserver";
  address: string | null;
  hostId: string;
  hostName: string;
  runner: Runner;
}

/** The pending steps recorded in an apply's stored `desired`. */
export function pendingHostsOf(desired: string): Record<string, PendingHost> {
  return appliedDesiredOf(desired).pendingHosts ?? {};
}

export interface ClusterContext {
  clusterId: string;
  /** What owns the director's IPVS table. */
  engine: DirectorEngine;
  clusterName: string;
  desired: ClusterSpec;
  director: HostHandle;
  /**
   * A pair's second director ("director2"): the desired one, or the one the last successful
   * apply left, which an apply without it takes out of the pair.
   */
  peer?: HostHandle;
  /** By canonical realserver address; only addresses with a configured host. */
  realservers: Map<string, HostHandle>;
  /** Realserver addresses with no host: the panel cannot configure them (warned in the plan). */
  unmanaged: string[];
  realserverHosts: Record<string, string>;
  /** What the cluster owns on the director's table; everything else there is left alone. */
  ownership: Ownership;
  /** Pending steps the last successful apply left on unreachable hosts, by address. */
  pendingHosts: Record<string, PendingHost>;
  /**
   * What a realserver that cannot be read is taken to hold: what the last successful apply left
   * on it (its pending steps not done), or nothing of ours if no apply ever reached it.
   */
  believedState(address: string): HostState;
  /** Ends the hosts' shells when the runners are sessions; nothing otherwise. */
  close(): Promise<void>;
}

/**
 * @param opts.sessions give each host one remote shell for all of its commands (an apply: read,
 *   change, persist in sequence), instead of one exec per command (a preview reads once).
 * @param opts.removeForeign the operator takes the director over: services no cluster owns are
 *   planned away with the rest.
 * @param opts.directorRunner the director's runner, when the caller keeps one (director-shells.ts);
 *   `close()` leaves it open.
 */
export async function loadClusterContext(
  db: Db,
  targets: TargetResolver,
  pool: SshPool,
  clusterId: string,
  opts: {
    sessions?: boolean;
    removeForeign?: boolean;
    directorRunner?: ((target: SshTarget) => Runner) | undefined;
  } = {},
): Promise<ClusterContext> {
  const cluster = await db.cluster.findUnique({
    where: { id: clusterId },
    include: clusterInclude,
  });
  if (!cluster) throw notFound("cluster");
  const firstRow = firstDirector(cluster);
  if (!firstRow) {
    throw new DomainError(
      "conflict",
      "NO_DIRECTOR",
      "set the cluster's director before planning or applying",
    );
  }
  const desired = toClusterSpec(cluster);

  // Realservers removed since the last successful apply still need their host cleaned up, so the
  // previous map is the base and the current one overrides it.
  const previous = await lastAppliedDesired(db, clusterId);
  const realserverHosts: Record<string, string> = { ...(previous.realserverHosts ?? {}) };
  const desiredAddresses = new Set<string>();
  for (const service of cluster.services) {
    for (const rs of service.realservers) {
      const address = canonicalAddress(rs.address);
      desiredAddresses.add(address);
      if (rs.hostId) realserverHosts[address] = rs.hostId;
    }
  }

  // One shell per host: handles that share a host (several realserver addresses on one
  // machine) share its shell, and so hold one of its channels, not one each.
  const sessions = new Map<string, ShellSession>();
  const runnerFor = (target: SshTarget): Runner => {
    if (!opts.sessions) return pool.runner(target);
    let session = sessions.get(target.id);
    if (!session) {
      session = pool.session(target);
      sessions.set(target.id, session);
    }
    return session;
  };
  const handle = async (
    key: HostKey,
    role: HostHandle["role"],
    address: string | null,
    hostId: string,
  ): Promise<HostHandle> => {
    const target = await targets.target(hostId);
    const host = await db.host.findUniqueOrThrow({ where: { id: hostId } });
    const runner =
      role === "director" && opts.directorRunner ? opts.directorRunner(target) : runnerFor(target);
    return { key, role, address, hostId, hostName: host.name, runner };
  };

  const director = await handle("director", "director", null, firstRow.hostId);
  const peerHostId = secondDirector(cluster)?.hostId ?? previous.directorHosts?.[1];
  const peerExists =
    peerHostId !== undefined &&
    peerHostId !== firstRow.hostId &&
    (await db.host.findUnique({ where: { id: peerHostId } })) !== null;
  const peer =
    peerExists && peerHostId ? await handle("director2", "director", null, peerHostId) : undefined;
  const realservers = new Map<string, HostHandle>();
  for (const [address, hostId] of Object.entries(realserverHosts)) {
    if (!(await db.host.findUnique({ where: { id: hostId } }))) continue; // host deleted since
    realservers.set(
      address,
      await handle(realserverHostKey(address), "realserver", address, hostId),
    );
  }
  const unmanaged = [...desiredAddresses].filter((a) => !realservers.has(a)).sort();
  const pendingHosts = previous.pendingHosts ?? {};
  let lastApplied: Record<string, HostState> | undefined;
  const believedState = (address: string): HostState => {
    const pending = pendingHosts[address];
    if (pending) return pending.believed;
    lastApplied ??= previous.spec ? desiredHostStates(previous.spec).realservers : {};
    return lastApplied[address] ?? emptyHostState("realserver");
  };
  return {
    clusterId,
    engine:
      desired.engine === "keepalived"
        ? keepalivedEngineAdopting(cluster.adoptedKeepalivedConf)
        : ipvsadmEngine,
    clusterName: cluster.name,
    desired,
    director,
    ...(peer ? { peer } : {}),
    realservers,
    unmanaged,
    realserverHosts,
    ownership: await loadOwnership(db, clusterId, firstRow.hostId, opts.removeForeign ?? false),
    pendingHosts,
    believedState,
    close: async () => {
      await Promise.all([...sessions.values()].map((s) => s.close()));
    },
  };
}
