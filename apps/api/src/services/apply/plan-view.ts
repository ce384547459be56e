// The plan as the operator previews it (PlanView in @lvs-panel/contract): per host, each step with
// the exact shell text that will run, and the per-phase scripts themselves (what is sent over
// SSH, byte for byte).
import { createHash } from "node:crypto";
import type { PlanHostView, PlanView, UnreachableHostView } from "@lvs-panel/contract";
import {
  canonicalAddress,
  type HostKey,
  type Plan,
  planTitle,
  realserverOfKey,
  type ServiceSpec,
} from "@lvs-panel/lvs";
import { type HostBatch, renderHostBatchInRuns } from "./batch.ts";
import type { ClusterContext, HostHandle } from "./context.ts";
import type { DirectorEngine } from "./engine/director-engine.ts";
import { renderReadScript } from "./read-script.ts";
import { hostReadScript, type ReadOptions } from "./read-state.ts";
import { type SmallChange, touchedServiceReads } from "./small-change.ts";
import { unreachableRefusal, unreachableWarning } from "./unreachable.ts";
import { executionWaves, type Wave } from "./waves.ts";

export function hostHandle(ctx: ClusterContext, key: HostKey): HostHandle | undefined {
  if (key === "director2") return ctx.peer;
  const address = realserverOfKey(key);
  return address === null ? ctx.director : ctx.realservers.get(address);
}

/**
 * The script a host runs for a wave: its steps, then, on a stage's last wave, the read-back the
 * verification uses (read-only): after the runtime changes all but the persisted files, after
 * persisting only those (each stage changes only its part; every process costs on a slow host).
 * After a small change's runtime steps, only the services it touched (small-change.ts).
 */
export function waveScript(
  batch: HostBatch,
  role: HostHandle["role"],
  engine: DirectorEngine,
  wave: Wave,
  readThresholds: boolean,
  small?: SmallChange | null,
): string {
  if (!wave.readBack) return batch.script;
  if (small && wave.stage === "apply" && role === "director") {
    return `${batch.script}${renderReadScript(touchedServiceReads(small))}`;
  }
  return `${batch.script}${hostReadScript(role, engine, readBackOptions(wave, readThresholds))}`;
}

export function readBackOptions(wave: Wave, readThresholds: boolean): ReadOptions {
  return wave.stage === "persist"
    ? { ipvs: false, files: "hashes" }
    : { files: "skip", thresholds: readThresholds };
}

/** Whether a read-back must read thresholds: the hosts or the desired state use them. */
export function usesThresholds(...sides: { services: readonly ServiceSpec[] }[]): boolean {
  return sides.some((side) =>
    side.services.some((s) =>
      s.realservers.some((r) => (r.upperThreshold ?? 0) > 0 || (r.lowerThreshold ?? 0) > 0),
    ),
  );
}

export function planHash(plan: Plan, unreachable: readonly UnreachableHostView[] = []): string {
  const material: unknown[] = plan.steps.map((s) => [s.id, s.argv ?? null, s.script ?? null]);
  // A host that was reachable at the preview and is not at the apply changes what happens.
  for (const h of unreachable) material.push([h.key, h.pending.map((s) => s.id)]);
  return createHash("sha256").update(JSON.stringify(material)).digest("hex").slice(0, 16);
}

export function toPlanView(
  ctx: ClusterContext,
  plan: Plan,
  readErrors: string[],
  readThresholds: boolean,
  unreachable: readonly UnreachableHostView[] = [],
  small: SmallChange | null = null,
): PlanView {
  const hosts = new Map<HostKey, PlanHostView>();
  const view = (key: HostKey): PlanHostView | undefined => {
    let h = hosts.get(key);
    if (h) return h;
    const handle = hostHandle(ctx, key);
    if (!handle) return undefined;
    h = {
      key,
      role: handle.role,
      address: handle.address,
      hostId: handle.hostId,
      hostName: handle.hostName,
      steps: [],
      scripts: [],
    };
    hosts.set(key, h);
    return h;
  };
  for (const wave of executionWaves(plan)) {
    for (const [key, runs] of wave.hosts) {
      const h = view(key);
      if (!h) continue;
      const batch = renderHostBatchInRuns(runs.map((r) => r.steps));
      // A batch's command (one ipvsadm -R or ip -batch for many steps) is given once, on its
      // first step; the others carry "" ("same command as above"). Repeating a 2,000-line
      // heredoc on each of its 2,000 steps would make the preview hundreds of megabytes.
      const commandOf = new Map<string, string>();
      for (const g of batch.groups) {
        for (const [i, id] of g.stepIds.entries()) commandOf.set(id, i === 0 ? g.command : "");
      }
      for (const { phase, steps } of runs) {
        for (const s of steps) {
          h.steps.push({
            id: s.id,
            phase,
            description: s.description,
            command: commandOf.get(s.id) ?? "",
          });
        }
      }
      const phases = runs.map((r) => r.phase);
      h.scripts.push({
        phase: phases[0] ?? wave.phases[0] ?? "prepare",
        phases,
        script: waveScript(batch, h.role, ctx.engine, wave, readThresholds, small),
      });
    }
  }
  // A realserver with no host linked is the validation's warning (in plan.warnings), worded as
  // the cluster page says it; only one linked to a host that is gone is this view's to say.
  const linked = new Set(
    ctx.desired.services.flatMap((s) =>
      s.realservers.flatMap((r) => (r.hostId ? [canonicalAddress(r.address)] : [])),
    ),
  );
  const warnings = [
    ...plan.warnings,
    ...ctx.unmanaged
      .filter((address) => linked.has(address))
      .map((address) => ({
        code: "REALSERVER_NOT_MANAGED",
        field: "realservers",
        message: `realserver ${address} is linked to an SSH host that no longer exists: the panel configures nothing on it until it is linked to another`,
      })),
    ...unreachable
      .filter((h) => h.needed.length === 0)
      .map((h) => ({ code: "HOST_UNREACHABLE", field: "hosts", message: unreachableWarning(h) })),
  ];
  const errors = [
    ...plan.errors,
    ...unreachable
      .filter((h) => h.needed.length > 0)
      .map((h) => ({ code: "HOST_UNREACHABLE", field: "hosts", message: unreachableRefusal(h) })),
  ];
  return {
    clusterId: ctx.clusterId,
    hash: planHash(plan, unreachable),
    empty: plan.steps.length === 0 && unreachable.every((h) => h.needed.length === 0),
    summary: { ...plan.summary, title: planTitle(plan.summary) },
    warnings,
    errors,
    hosts: [...hosts.values()].sort((a, b) =>
      a.key === "director" ? -1 : b.key === "director" ? 1 : a.key.localeCompare(b.key),
    ),
    readErrors,
    unreachable: [...unreachable],
  };
}

export type { PlanView };
