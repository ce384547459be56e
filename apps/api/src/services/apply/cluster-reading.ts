// Reading a cluster's hosts and planning from what they hold. Every host is read in parallel, one
// round trip each; a realserver that cannot be reached is planned around (unreachable.ts), the
// director must answer.
import {
  type ClusterState,
  desiredHostStates,
  emptyHostState,
  type HostKey,
  type HostState,
  managedServices,
  partitionTable,
  realserverHostKey,
} from "@lvs-panel/lvs";
import { RemoteError } from "@lvs-panel/remote";
import { DomainError } from "../errors.ts";
import type { ClusterContext, HostHandle } from "./context.ts";
import { type HostReading, type ReadOptions, readHost } from "./read-state.ts";
import { isUnreachable, planAroundUnreachable, type UnreachableHost } from "./unreachable.ts";

export interface HostReadings {
  readings: Map<HostKey, HostReading>;
  /** Realservers that could not be reached, and why. */
  unreachable: Map<HostKey, UnreachableHost>;
}

/** Reads the given hosts (all by default) in parallel, one round trip each. */
export async function readHosts(
  ctx: ClusterContext,
  opts: ReadOptions & { only?: ReadonlySet<HostKey> } = {},
): Promise<HostReadings> {
  const handles = [
    ctx.director,
    ...(ctx.peer ? [ctx.peer] : []),
    ...ctx.realservers.values(),
  ].filter((h) => !opts.only || opts.only.has(h.key));
  const readings = new Map<HostKey, HostReading>();
  const unreachable = new Map<HostKey, UnreachableHost>();
  await Promise.all(
    handles.map(async (h) => {
      try {
        readings.set(h.key, await readHost(h.runner, h.role, ctx.engine, opts));
      } catch (err) {
        if (h.role === "realserver" && h.address !== null && isUnreachable(err)) {
          unreachable.set(h.key, { handle: { ...h, address: h.address }, error: err });
          return;
        }
        throw namingHost(err, h);
      }
    }),
  );
  return { readings, unreachable };
}

/**
 * The cluster's state from host readings (the director's must include its IPVS table). Hosts
 * in `assumed` were not read: they are taken to hold that state.
 */
export function assembleState(
  ctx: ClusterContext,
  readings: ReadonlyMap<HostKey, HostReading>,
  assumed: ReadonlyMap<HostKey, HostState> = new Map(),
) {
  const readErrors: string[] = [];
  const director = readings.get("director");
  if (!director) throw new Error("the director was not read");
  readErrors.push(...director.parseErrors.map((e) => `director: ${e}`));
  // Filled in a fixed order (not completion order): the plan, and so its hash, must not depend
  // on which host answered first.
  const realservers: Record<string, HostState> = {};
  for (const address of [...ctx.realservers.keys()].sort((a, b) => a.localeCompare(b))) {
    const key = realserverHostKey(address);
    const reading = readings.get(key);
    const assumedState = assumed.get(key);
    if (assumedState) realservers[address] = assumedState;
    if (!reading) continue;
    readErrors.push(...reading.parseErrors.map((e) => `${address}: ${e}`));
    realservers[address] = reading.state;
  }
  // Realservers with no SSH host are taken as already configured, so the plan has no steps it
  // could not run; the plan view warns about them instead.
  const desiredHosts = desiredHostStates(ctx.desired);
  for (const address of ctx.unmanaged) {
    const state = desiredHosts.realservers[address];
    if (state) realservers[address] = state;
  }
  // Only what the cluster owns is planned; the rest of the table is kept as it is.
  const table = partitionTable(director.listed ?? [], ctx.ownership);
  for (const u of director.unmanageable ?? []) {
    if (table.managed.has(u.key)) readErrors.push(`director: ${u.key}: ${u.reason}`);
  }
  const state: ClusterState = {
    services: managedServices(director.services ?? [], table),
    hosts: { director: director.state, realservers },
    ...(director.keepalived ? { keepalived: director.keepalived } : {}),
    ...(table.kept.length > 0 ? { kept: table.kept } : {}),
    ...(table.takenOver.length > 0 ? { takenOver: table.takenOver } : {}),
  };
  const second = readings.get("director2");
  if (ctx.peer && second) {
    // The pair's second director holds the same services: what the cluster owns on the first
    // is what it manages there too; the rest of its table is left alone.
    readErrors.push(...second.parseErrors.map((e) => `second director: ${e}`));
    const peerTable = partitionTable(second.listed ?? [], ctx.ownership);
    state.peer = {
      services: managedServices(second.services ?? [], peerTable),
      host: second.state,
      ...(second.keepalived ? { keepalived: second.keepalived } : {}),
      ...(peerTable.kept.length > 0 ? { kept: peerTable.kept } : {}),
    };
  }
  return { state, readErrors };
}

/**
 * Every host read, and the plan from what they hold: unreachable realservers are taken as
 * believed (see planAroundUnreachable). `assumed` is the state the plan starts from, with each
 * unreachable realserver at its desired state (the plan has no step on it); `assumedHosts` those
 * hosts' states, for the verification.
 */
export async function readAndPlan(ctx: ClusterContext, opts: ReadOptions & { drain?: boolean }) {
  const { readings, unreachable } = await asHostFailures(() => readHosts(ctx, opts));
  return planFromReadings(ctx, readings, unreachable, opts);
}

/** The plan from readings already made (readAndPlan's, or a preview's kept for its apply). */
export function planFromReadings(
  ctx: ClusterContext,
  readings: Map<HostKey, HostReading>,
  unreachable: Map<HostKey, UnreachableHost>,
  opts: { drain?: boolean | undefined },
) {
  const believedHosts = new Map(
    [...unreachable].map(([key, u]) => [key, ctx.believedState(u.handle.address)] as const),
  );
  const { state, readErrors } = assembleState(ctx, readings, believedHosts);
  const around = planAroundUnreachable(ctx, state, unreachable, { drain: opts.drain ?? false });
  const assumedHosts = new Map(
    [...unreachable].map(([key, u]) => [
      key,
      around.assumed.hosts.realservers[u.handle.address] ?? emptyHostState("realserver"),
    ]),
  );
  return { ...around, believed: state, readings, readErrors, unreachable, assumedHosts };
}

/**
 * A failed read before anything changed. SSH failures reach the error plugin as they are (it maps
 * them); anything else a host answered wrongly (a table that cannot be read) is the host's fault,
 * not a 500.
 */
export async function asHostFailures<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof DomainError || err instanceof RemoteError) throw err;
    throw new DomainError(
      "host_failed",
      "REMOTE",
      err instanceof Error ? err.message : String(err),
    );
  }
}

/** Says which host an error is about: the SSH layer knows only the address. */
export function namingHost(err: unknown, h: Pick<HostHandle, "hostName" | "role">): unknown {
  if (err instanceof Error && !err.message.startsWith(`${h.hostName} `)) {
    err.message = `${h.hostName} (${h.role}): ${err.message}`;
  }
  return err;
}
