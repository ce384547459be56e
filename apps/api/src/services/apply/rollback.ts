// Restores every host an apply touched to its snapshot. A host that cannot be read is left out
// (kept at its snapshot in the rollback's view, so nothing is planned for it) rather than stopping
// the restore of the others; the rollback runs wave by wave like an apply and stops after a failed
// wave. The outcome names every host that is not back to its snapshot.
import {
  type ClusterState,
  type HostKey,
  type HostState,
  ownershipKey,
  realserverOfKey,
  stepHostKey,
} from "@lvs-panel/lvs";
import type { ApplyStatus, EmitApplyEvent } from "./apply-events.ts";
import type { ClusterContext } from "./context.ts";
import { hostHandle } from "./plan-view.ts";
import { type HostReading, readHost } from "./read-state.ts";
import { runWaves } from "./run-waves.ts";
import { executionWaves } from "./waves.ts";

export async function rollback(
  ctx: ClusterContext,
  snapshot: ClusterState,
  touched: ReadonlySet<HostKey>,
  emit: EmitApplyEvent,
  opts: {
    timeoutMs: number;
    /**
     * Restore the director's table and files only (a small change changes nothing else): its
     * addresses and settings stay as they are now, whatever the snapshot says of them.
     */
    tableAndFilesOnly?: boolean;
  },
): Promise<Exclude<ApplyStatus, "running" | "succeeded" | "interrupted">> {
  emit({
    stage: "rollback",
    status: "running",
    message: `restoring ${touched.size} host(s) to the snapshot`,
  });
  // The VIPs of the plan being undone: one put on an interface before its service was created
  // is named by neither the snapshot nor the half-applied table.
  const options = { manageAddresses: ctx.desired.services.map((s) => s.vip) };
  // The services the apply could have changed: what its snapshot managed and what it wanted.
  // The rest of the director's table (services the plan kept, foreign ones) is left alone.
  const touchable = new Set([...snapshot.services, ...ctx.desired.services].map(ownershipKey));
  const restore = (readings: ReadonlyMap<HostKey, HostReading>) => {
    const current = overSnapshot(snapshot, readings, touchable);
    const target = opts.tableAndFilesOnly ? tableAndFilesOf(snapshot, current) : snapshot;
    return ctx.engine.restore(current, target, options);
  };
  const notRestored = new Map<HostKey | "*", string>();
  const readEach = async (keys: Iterable<HostKey>) => {
    const readings = new Map<HostKey, HostReading>();
    await Promise.all(
      [...keys].map(async (key) => {
        const h = hostHandle(ctx, key);
        if (!h) return;
        try {
          readings.set(key, await readHost(h.runner, h.role, ctx.engine));
        } catch (err) {
          notRestored.set(key, `${h.hostName}: cannot be read (${(err as Error).message})`);
        }
      }),
    );
    return readings;
  };
  try {
    const readings = await readEach(touched);
    const back = restore(readings);
    const waves = executionWaves(back).map((w) => ({ ...w, readBack: false }));
    const { failed } = await runWaves(ctx, waves, emit, new Set(), {
      stage: "rollback",
      returnFailures: true,
      timeoutMs: opts.timeoutMs,
    });
    for (const [key, message] of failed) notRestored.set(key, message);
    const reached = [...readings.keys()].filter((k) => !failed.has(k));
    const after = await readEach(reached);
    const left = restore(after).steps;
    for (const step of left) {
      const key = stepHostKey(step);
      if (notRestored.has(key)) continue;
      const name = hostHandle(ctx, key)?.hostName ?? key;
      notRestored.set(key, `${name}: still differs (${step.description})`);
    }
  } catch (err) {
    notRestored.set("*", (err as Error).message);
  }
  if (notRestored.size === 0) {
    emit({
      stage: "rollback",
      status: "ok",
      message: "every touched host is back to its snapshot",
    });
    return "rolled_back";
  }
  const restored = [...touched].filter((k) => !notRestored.has(k) && !notRestored.has("*"));
  const names = restored.map((k) => hostHandle(ctx, k)?.hostName ?? k);
  emit({
    stage: "rollback",
    status: "failed",
    message: `rollback incomplete: ${[...notRestored.values()].join("; ")}${
      names.length > 0 ? `; restored: ${names.join(", ")}` : ""
    }`,
  });
  return "failed";
}

/**
 * The snapshot with the hosts that were read replaced by what they are now: the rollback's view
 * of the cluster. Hosts not read (untouched, or unreachable) keep their snapshot, so the
 * rollback plans nothing for them.
 */
function overSnapshot(
  snapshot: ClusterState,
  readings: ReadonlyMap<HostKey, HostReading>,
  touchable: ReadonlySet<string>,
): ClusterState {
  const director = readings.get("director");
  const realservers: Record<string, HostState> = { ...snapshot.hosts.realservers };
  for (const [key, reading] of readings) {
    const address = realserverOfKey(key);
    if (address !== null) realservers[address] = reading.state;
  }
  const keepalived = director ? director.keepalived : snapshot.keepalived;
  const second = readings.get("director2");
  const peerKeepalived = second ? second.keepalived : snapshot.peer?.keepalived;
  const peer = second
    ? {
        services: (second.services ?? []).filter((s) => touchable.has(ownershipKey(s))),
        host: second.state,
        ...(peerKeepalived ? { keepalived: peerKeepalived } : {}),
      }
    : snapshot.peer;
  return {
    services: director
      ? (director.services ?? []).filter((s) => touchable.has(ownershipKey(s)))
      : snapshot.services,
    hosts: { director: director ? director.state : snapshot.hosts.director, realservers },
    ...(keepalived ? { keepalived } : {}),
    ...(peer ? { peer } : {}),
  };
}

/** The snapshot's table and director files, over every other part of the hosts as they are now. */
function tableAndFilesOf(snapshot: ClusterState, current: ClusterState): ClusterState {
  const before = snapshot.hosts.director;
  const now = current.hosts.director;
  return {
    ...snapshot,
    hosts: {
      director: before && now ? { ...now, files: before.files } : before,
      realservers: current.hosts.realservers,
    },
  };
}
