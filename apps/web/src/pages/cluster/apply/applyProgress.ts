// Reads an apply's state from its record plus the live events that arrived since the last poll:
// per-step status, the stages with where it stands or where it failed, and one status sentence.
import type {
  Apply,
  ApplyEvent,
  ApplyHost,
  ApplyStage,
  ApplyStatus,
  ApplyStep,
  ApplyStepStatus,
} from "../../../api/types.ts";

export type StageState = "pending" | "running" | "ok" | "failed" | "skipped";

export interface StageProgress {
  stage: ApplyStage;
  label: string;
  state: StageState;
}

export interface HostProgress extends Omit<ApplyHost, "steps"> {
  steps: ApplyStep[];
  /** Commands the rollback ran on this host, with their result. */
  rollback: ApplyEvent[];
}

export interface FailurePoint {
  message: string;
  stage: ApplyStage;
  hostName?: string | undefined;
  phase?: string | undefined;
  command?: string | undefined;
  output?: string | undefined;
}

export interface ApplyProgress {
  status: ApplyStatus;
  events: ApplyEvent[];
  stages: StageProgress[];
  hosts: HostProgress[];
  failure: FailurePoint | null;
  /** Whether any host was changed and then put back (or the rollback failed). */
  rollback: "none" | "running" | "ok" | "failed";
  statusText: string;
}

const FLOW: { stage: ApplyStage; label: string }[] = [
  { stage: "preflight", label: "Preflight" },
  { stage: "snapshot", label: "Snapshot" },
  { stage: "apply", label: "Apply" },
  { stage: "verify", label: "Verify" },
  { stage: "persist", label: "Persist" },
];

/**
 * The event that says why an apply failed, emitted before the rollback: it carries
 * `outcome: "failed"` and, as its stage, the stage that failed. (Logs stored before events had an
 * outcome marked it as an "apply" failure with no host and no step.)
 */
function isFailureSummary(e: ApplyEvent): boolean {
  if (e.stage === "done" || e.status !== "failed") return false;
  return e.outcome === "failed" || (e.stage === "apply" && !e.host && !e.stepIds);
}

export function mergeEvents(stored: readonly ApplyEvent[], live: readonly ApplyEvent[]) {
  const bySeq = new Map<number, ApplyEvent>();
  for (const e of stored) bySeq.set(e.seq, e);
  for (const e of live) bySeq.set(e.seq, e);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** The stage in progress after these (flow) events. */
function activeStage(flow: readonly ApplyEvent[]): ApplyStage {
  const last = flow.at(-1);
  if (!last) return "preflight";
  if (last.stage === "snapshot") return "apply";
  if (last.stage === "verify") return "persist";
  return last.stage;
}

export function applyProgress(apply: Apply, live: readonly ApplyEvent[] = []): ApplyProgress {
  const events = mergeEvents(apply.events, live);
  const done = events.find((e) => e.stage === "done");
  const status: ApplyStatus =
    apply.status === "running" && done?.outcome ? done.outcome : apply.status;
  const running = status === "running";

  const summaryIndex = events.findIndex(isFailureSummary);
  const flowBefore = (end: number) =>
    events
      .slice(0, end < 0 ? events.length : end)
      .filter((e) => e.stage !== "rollback" && e.stage !== "done" && !isFailureSummary(e));
  const flow = flowBefore(-1);
  const summary = summaryIndex >= 0 ? events[summaryIndex] : undefined;

  // Where it failed: a step or host that said so, else the stage that was running at the time.
  const failedEvent = flow.find((e) => e.status === "failed");
  let failure: FailurePoint | null = null;
  if (failedEvent || summary || apply.error) {
    const message = summary?.message ?? apply.error ?? failedEvent?.message ?? "";
    const stage: ApplyStage = failedEvent
      ? failedEvent.stage
      : summary?.outcome
        ? summary.stage
        : activeStage(flowBefore(summaryIndex));
    failure = {
      message,
      stage,
      hostName: failedEvent?.hostName,
      phase: failedEvent?.phase,
      command: failedEvent?.command,
      output: failedEvent?.output,
    };
  }

  const active = activeStage(flow);
  const activeIndex = FLOW.findIndex((f) => f.stage === active);
  const stages: StageProgress[] = FLOW.map(({ stage, label }, index) => {
    const own = flow.filter((e) => e.stage === stage);
    let state: StageState;
    if (failure?.stage === stage) state = "failed";
    else if (running && !failure && stage === active) state = "running";
    else if (own.length > 0) state = "ok";
    else if (index < activeIndex || status === "succeeded") state = "skipped";
    else state = "pending";
    return { stage, label, state };
  });

  const rollbackEvents = events.filter((e) => e.stage === "rollback");
  const rollback: ApplyProgress["rollback"] =
    rollbackEvents.length === 0
      ? "none"
      : rollbackEvents.some((e) => e.status === "failed")
        ? "failed"
        : status === "rolled_back" || rollbackEvents.some((e) => e.status === "ok" && !e.host)
          ? "ok"
          : "running";
  if (rollback !== "none") {
    const state: StageState =
      rollback === "failed" ? "failed" : rollback === "ok" ? "ok" : "running";
    stages.push({ stage: "rollback", label: "Rollback", state });
  }

  // Step results, keyed like the API does: host key and step id (rollback steps apart).
  const results = new Map<string, ApplyEvent>();
  const startedPhases = new Set<string>();
  for (const e of flow) {
    if (!e.host) continue;
    if (e.status === "running" && e.phase) startedPhases.add(`${e.host}|${e.phase}`);
    for (const id of e.stepIds ?? []) results.set(`${e.host}|${id}`, e);
  }
  const hosts: HostProgress[] = apply.hosts.map((host) => ({
    ...host,
    steps: host.steps.map((step) => {
      const result = results.get(`${host.key}|${step.id}`);
      let stepStatus: ApplyStepStatus;
      if (result) stepStatus = result.status === "ok" ? "ok" : "failed";
      else if (!running || failure) stepStatus = running ? "not-run" : step.status;
      else if (startedPhases.has(`${host.key}|${step.phase}`)) stepStatus = "running";
      else stepStatus = "pending";
      if (stepStatus === "pending" && !running) stepStatus = "not-run";
      return { ...step, status: stepStatus, output: result?.output ?? step.output };
    }),
    rollback: rollbackEvents.filter((e) => e.host === host.key && e.stepIds),
  }));

  return {
    status,
    events,
    stages,
    hosts,
    failure,
    rollback,
    statusText: statusSentence(status, rollback),
  };
}

function statusSentence(status: ApplyStatus, rollback: ApplyProgress["rollback"]): string {
  switch (status) {
    case "running":
      return rollback === "running" ? "Apply failed — rolling back…" : "Apply running…";
    case "succeeded":
      return "Apply succeeded";
    case "rolled_back":
      return "Apply failed — rolled back";
    case "failed":
      return rollback === "failed"
        ? "Apply failed — rollback failed"
        : "Apply failed — no host was changed";
    case "interrupted":
      return "Apply interrupted";
  }
}
