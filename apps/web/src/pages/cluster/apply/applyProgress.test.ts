import { describe, expect, it } from "vitest";
import type { Apply, ApplyEvent } from "../../../api/types.ts";
import { applyProgress, mergeEvents } from "./applyProgress.ts";

let seq = 0;
function ev(e: Omit<ApplyEvent, "seq" | "at">): ApplyEvent {
  seq += 1;
  return { seq, at: "2025-01-01T10:00:00.000Z", ...e };
}

function apply(status: Apply["status"], events: ApplyEvent[], error: string | null = null): Apply {
  return {
    id: "a1",
    clusterId: "c1",
    status,
    user: "admin",
    startedAt: "2025-01-01T10:00:00.000Z",
    finishedAt: status === "running" ? null : "2025-01-01T10:00:05.000Z",
    error,
    summary: {
      servicesAdded: [],
      servicesChanged: [],
      servicesRemoved: [],
      forwardingSwitches: [],
      lines: [],
    },
    hosts: [
      {
        key: "director",
        hostName: "lvs-1",
        role: "director",
        steps: [
          {
            id: "vip",
            phase: "prepare",
            description: "Add VIP",
            command: "ip addr add",
            status: status === "running" ? "pending" : "not-run",
            output: "",
          },
          {
            id: "svc",
            phase: "director-apply",
            description: "Add service",
            command: "ipvsadm -R",
            status: status === "running" ? "pending" : "not-run",
            output: "",
          },
        ],
      },
    ],
    events,
  };
}

const preflight = () =>
  ev({
    stage: "preflight",
    status: "ok",
    host: "director",
    hostName: "lvs-1",
    message: "reachable",
  });
const snapshot = () => ev({ stage: "snapshot", status: "ok", message: "recorded" });

describe("applyProgress", () => {
  it("marks the running phase's steps running and later ones pending", () => {
    seq = 0;
    const events = [
      preflight(),
      snapshot(),
      ev({
        stage: "apply",
        status: "running",
        host: "director",
        hostName: "lvs-1",
        phase: "prepare",
        message: "1 step(s)",
      }),
    ];
    const p = applyProgress(apply("running", events));
    expect(p.statusText).toBe("Apply running…");
    expect(p.hosts[0]?.steps.map((s) => s.status)).toEqual(["running", "pending"]);
    expect(p.stages.map((s) => [s.stage, s.state])).toEqual([
      ["preflight", "ok"],
      ["snapshot", "ok"],
      ["apply", "running"],
      ["verify", "pending"],
      ["persist", "pending"],
    ]);
  });

  it("takes the final status from a live done event before the poll catches up", () => {
    seq = 0;
    const stored = [preflight(), snapshot()];
    const live = [
      ev({
        stage: "apply",
        status: "ok",
        host: "director",
        hostName: "lvs-1",
        phase: "prepare",
        stepIds: ["vip"],
        message: "done",
        output: "",
      }),
      ev({
        stage: "apply",
        status: "ok",
        host: "director",
        hostName: "lvs-1",
        phase: "director-apply",
        stepIds: ["svc"],
        message: "done",
      }),
      ev({ stage: "verify", status: "ok", message: "running state matches" }),
      ev({ stage: "verify", status: "ok", message: "persisted" }),
      ev({ stage: "done", status: "ok", message: "succeeded", outcome: "succeeded" }),
    ];
    const p = applyProgress(apply("running", stored), live);
    expect(p.status).toBe("succeeded");
    expect(p.statusText).toBe("Apply succeeded");
    expect(p.hosts[0]?.steps.map((s) => s.status)).toEqual(["ok", "ok"]);
    expect(p.stages.find((s) => s.stage === "persist")?.state).toBe("skipped");
    expect(p.failure).toBeNull();
  });

  it("says where a rolled-back apply failed and what the rollback ran", () => {
    seq = 0;
    const events = [
      preflight(),
      snapshot(),
      ev({
        stage: "apply",
        status: "ok",
        host: "director",
        hostName: "lvs-1",
        phase: "prepare",
        stepIds: ["vip"],
        message: "done",
      }),
      ev({
        stage: "apply",
        status: "failed",
        host: "director",
        hostName: "lvs-1",
        phase: "director-apply",
        stepIds: ["svc"],
        command: "ipvsadm -R",
        message: "failed (exit 1)",
        output: "Memory allocation problem",
      }),
      ev({
        stage: "apply",
        status: "failed",
        message: "lvs-1 (director-apply): ipvsadm -R: Memory allocation problem",
      }),
      ev({ stage: "rollback", status: "running", message: "restoring 1 host(s)" }),
      ev({
        stage: "rollback",
        status: "ok",
        host: "director",
        hostName: "lvs-1",
        phase: "cleanup",
        stepIds: ["x"],
        command: "ip addr del",
        message: "done",
      }),
      ev({
        stage: "rollback",
        status: "ok",
        message: "every touched host is back to its snapshot",
      }),
      ev({ stage: "done", status: "failed", message: "rolled_back", outcome: "rolled_back" }),
    ];
    const p = applyProgress(
      apply("rolled_back", events, "lvs-1 (director-apply): ipvsadm -R: Memory allocation problem"),
    );
    expect(p.statusText).toBe("Apply failed — rolled back");
    expect(p.failure).toMatchObject({
      stage: "apply",
      hostName: "lvs-1",
      phase: "director-apply",
      output: "Memory allocation problem",
    });
    expect(p.hosts[0]?.steps.map((s) => s.status)).toEqual(["ok", "failed"]);
    expect(p.hosts[0]?.rollback.map((e) => e.command)).toEqual(["ip addr del"]);
    expect(p.stages.at(-1)).toEqual({ stage: "rollback", label: "Rollback", state: "ok" });
  });

  it("puts a read-back mismatch on the verify stage", () => {
    seq = 0;
    const events = [
      preflight(),
      snapshot(),
      ev({
        stage: "apply",
        status: "ok",
        host: "director",
        hostName: "lvs-1",
        phase: "prepare",
        stepIds: ["vip"],
        message: "done",
      }),
      ev({
        stage: "verify",
        status: "failed",
        message: "read-back differs from the desired state: Add VIP",
        outcome: "failed",
      }),
      ev({ stage: "done", status: "failed", message: "failed", outcome: "failed" }),
    ];
    const p = applyProgress(
      apply("failed", events, "read-back differs from the desired state: Add VIP"),
    );
    expect(p.failure?.stage).toBe("verify");
    expect(p.stages.find((s) => s.stage === "verify")?.state).toBe("failed");
    expect(p.stages.find((s) => s.stage === "apply")?.state).toBe("ok");
  });

  it("tells a preflight failure apart: nothing was changed", () => {
    seq = 0;
    const events = [
      ev({
        stage: "preflight",
        status: "failed",
        host: "director",
        hostName: "lvs-1",
        message: "preflight on lvs-1 failed: ipvsadm is not installed",
      }),
      ev({
        stage: "apply",
        status: "failed",
        message: "preflight on lvs-1 failed: ipvsadm is not installed",
      }),
      ev({ stage: "done", status: "failed", message: "failed", outcome: "failed" }),
    ];
    const p = applyProgress(
      apply("failed", events, "preflight on lvs-1 failed: ipvsadm is not installed"),
    );
    expect(p.statusText).toBe("Apply failed — no host was changed");
    expect(p.stages[0]?.state).toBe("failed");
    expect(p.stages[2]?.state).toBe("pending");
    expect(p.hosts[0]?.steps.map((s) => s.status)).toEqual(["not-run", "not-run"]);
  });

  it("merges stored and live events by sequence number", () => {
    seq = 0;
    const a = preflight();
    const b = snapshot();
    expect(mergeEvents([a], [a, b]).map((e) => e.seq)).toEqual([1, 2]);
  });
});
