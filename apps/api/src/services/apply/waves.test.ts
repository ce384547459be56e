// Waves: phases merge into one round trip only when no other host could observe the boundary.
import {
  type ClusterSpec,
  type ClusterState,
  desiredHostStates,
  planCluster,
  type ServiceSpec,
} from "@lvs-panel/lvs";
import { describe, expect, it } from "vitest";
import { ipvsadmEngine } from "./engine/ipvsadm-engine.ts";
import { readBackOptions, usesThresholds } from "./plan-view.ts";
import { hostReadScript } from "./read-state.ts";
import { executionWaves } from "./waves.ts";

const director = { dip: "10.10.0.1", interface: "eth1", vipInterface: "eth0" };
const service = (forwarding: "nat" | "dr"): ServiceSpec => ({
  protocol: "tcp",
  vip: forwarding === "dr" ? "10.10.0.200" : "192.168.77.100",
  port: 80,
  scheduler: "rr",
  forwarding,
  realservers: ["10.10.0.11", "10.10.0.12"].map((address) => ({
    address,
    port: 80,
    weight: 1,
    enabled: true,
  })),
});
const empty: ClusterSpec = { director, services: [] };
const summary = (plan: ReturnType<typeof planCluster>) =>
  executionWaves(plan).map((w) => ({
    stage: w.stage,
    phases: w.phases,
    hosts: [...w.hosts.keys()].sort(),
    readBack: w.readBack,
  }));

describe("executionWaves", () => {
  it("runs a director-only change in one round trip, then persists in one more", () => {
    const desired: ClusterSpec = { director, services: [service("nat")] };
    // The realservers are already set up (or not managed): only the director changes.
    const current: ClusterState = {
      services: [],
      hosts: {
        director: desiredHostStates(empty).director,
        realservers: desiredHostStates(desired).realservers,
      },
    };
    const plan = planCluster(current, desired);
    const phases = plan.phases.filter((p) => p.steps.length > 0).map((p) => p.phase);
    expect(phases).toEqual(["prepare", "director-apply", "persist"]);
    expect(summary(plan)).toEqual([
      {
        stage: "apply",
        phases: ["prepare", "director-apply"],
        hosts: ["director"],
        readBack: true,
      },
      { stage: "persist", phases: ["persist"], hosts: ["director"], readBack: true },
    ]);
  });

  it("keeps the realservers' preparation before the director sends them traffic", () => {
    const plan = planCluster(empty, { director, services: [service("dr")] }, {});
    const waves = summary(plan);
    const prepare = waves.find((w) => w.phases.includes("prepare"));
    const apply = waves.find((w) => w.phases.includes("director-apply"));
    expect(prepare?.hosts).toEqual(["director", "rs:10.10.0.11", "rs:10.10.0.12"]);
    expect(apply?.phases).toEqual(["director-apply"]);
    expect(waves.indexOf(prepare as never)).toBeLessThan(waves.indexOf(apply as never));
    expect(waves.filter((w) => w.readBack).map((w) => w.stage)).toEqual(["apply", "persist"]);
    // Every step of the plan runs exactly once, in its own phase.
    const ran = executionWaves(plan).flatMap((w) =>
      [...w.hosts.values()].flatMap((runs) =>
        runs.flatMap((r) => r.steps.map((s) => `${r.phase}:${s.id}`)),
      ),
    );
    expect(ran.sort()).toEqual(
      plan.phases.flatMap((p) => p.steps.map((s) => `${p.phase}:${s.id}`)).sort(),
    );
  });

  it("has nothing to run for an empty plan", () => {
    expect(executionWaves(planCluster(empty, empty))).toEqual([]);
  });
});

describe("read-backs", () => {
  const withThresholds: ClusterSpec = {
    director,
    services: [
      {
        ...service("dr"),
        realservers: [
          { address: "10.10.0.11", port: 80, weight: 1, enabled: true, upperThreshold: 100 },
        ],
      },
    ],
  };
  const plan = planCluster(empty, { director, services: [service("nat")] });
  const [applyWave] = executionWaves(plan).filter((w) => w.readBack && w.stage === "apply");

  it("read thresholds only when the hosts or the desired state use them", () => {
    const nat: ClusterSpec = { director, services: [service("nat")] };
    expect(usesThresholds(empty, nat)).toBe(false);
    expect(usesThresholds(empty, withThresholds)).toBe(true);
    expect(usesThresholds(withThresholds, empty)).toBe(true);
    if (!applyWave) throw new Error("no read-back wave");
    const script = (readThresholds: boolean) =>
      hostReadScript("director", ipvsadmEngine, readBackOptions(applyWave, readThresholds));
    expect(script(false)).toContain("ipvsadm -S -n");
    expect(script(false)).not.toContain("--thresholds");
    expect(script(true)).toContain("--thresholds");
  });
});
