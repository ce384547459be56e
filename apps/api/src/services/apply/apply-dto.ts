// An apply as the API returns it: its outcome, the plan's steps per host with how each went, and
// the events. A running apply's events come from memory, a finished one's from its stored log.
import type { ApplyStepStatus } from "@lvs-panel/contract";
import { planTitle } from "@lvs-panel/lvs";
import type { ApplyEvent, ApplyStatus } from "./apply-events.ts";
import type { PlanView } from "./plan-view.ts";

export interface ApplyRow {
  id: string;
  clusterId: string;
  status: string;
  plan: string;
  log: string;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  user: { username: string } | null;
}

export function toApplyDto(row: ApplyRow, liveEvents: ApplyEvent[] | undefined) {
  const plan = JSON.parse(row.plan) as PlanView;
  const events: ApplyEvent[] =
    row.status === "running" && liveEvents ? liveEvents : (JSON.parse(row.log) as ApplyEvent[]);
  const stepStatus = new Map<string, { status: ApplyStepStatus; output: string }>();
  for (const e of events) {
    // Step events say ok, failed or (in flight) running; "info" never carries steps.
    const status: ApplyStepStatus = e.status === "info" ? "ok" : e.status;
    for (const id of e.stepIds ?? []) {
      const key = `${e.stage === "rollback" ? "rollback:" : ""}${e.host}|${id}`;
      stepStatus.set(key, { status, output: e.output ?? "" });
    }
  }
  return {
    id: row.id,
    clusterId: row.clusterId,
    status: row.status as ApplyStatus,
    user: row.user?.username ?? null,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    error: row.error,
    // Applies stored before plans had titles are named from their summary now.
    summary: { ...plan.summary, title: plan.summary.title ?? planTitle(plan.summary) },
    hosts: plan.hosts.map((h) => ({
      key: h.key,
      hostName: h.hostName,
      role: h.role,
      steps: h.steps.map((s) => ({
        ...s,
        status:
          stepStatus.get(`${h.key}|${s.id}`)?.status ??
          ((row.status === "running" ? "pending" : "not-run") as ApplyStepStatus),
        output: stepStatus.get(`${h.key}|${s.id}`)?.output ?? "",
      })),
    })),
    events,
  };
}
