// An apply as it runs and after: the outcome in a live region, the stages, per host the steps
// with their output, and the full event log. Used in the plan dialog and on the apply page.
import { toolErrorHints } from "@lvs-panel/lvs";
import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useEffect, useRef } from "react";
import { invalidateAfterApply, useApplyEvents, useApplyQuery } from "../../../api/applies.ts";
import type { ApplyStatus } from "../../../api/types.ts";
import { ErrorState } from "../../../components/ErrorState.tsx";
import { AlertIcon, CheckCircleIcon, XCircleIcon } from "../../../components/icons.tsx";
import { Spinner } from "../../../components/Spinner.tsx";
import { capitalize, formatDateTime, formatDuration } from "../../../lib/format.ts";
import { ApplyEventLog } from "./ApplyEventLog.tsx";
import { type ApplyProgress, applyProgress } from "./applyProgress.ts";
import { HostProgressCard } from "./HostProgressCard.tsx";
import { phaseLabel } from "./planSteps.ts";
import { StageStrip } from "./StageStrip.tsx";
import { ToolHints } from "./ToolHints.tsx";

export function ApplyProgressView({ applyId, clusterId }: { applyId: string; clusterId: string }) {
  const queryClient = useQueryClient();
  const query = useApplyQuery(applyId);
  const storedStatus = query.data?.status;
  const live = useApplyEvents(applyId, storedStatus === undefined || storedStatus === "running");
  const progress = query.data ? applyProgress(query.data, live) : null;
  const status = progress?.status;

  // Once an apply seen running ends, what the cluster page shows about it is out of date.
  const sawRunning = useRef(false);
  useEffect(() => {
    if (status === "running") sawRunning.current = true;
    else if (status && sawRunning.current) {
      sawRunning.current = false;
      void invalidateAfterApply(queryClient, clusterId);
    }
  }, [status, queryClient, clusterId]);

  if (query.isError && !query.data) {
    return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  }
  if (!progress || !query.data) {
    return (
      <Outcome tone="running" statusText="Apply starting…">
        Connecting to the hosts…
      </Outcome>
    );
  }
  const { startedAt, finishedAt, user } = query.data;
  return (
    <div className="space-y-5">
      <OutcomeBanner progress={progress} />
      <div className="flex flex-wrap items-center justify-between gap-3">
        <StageStrip stages={progress.stages} />
        <p className="text-xs text-slate-500">
          Started {formatDateTime(startedAt)}
          {user ? ` by ${user}` : ""}
          {finishedAt
            ? ` · took ${formatDuration(new Date(finishedAt).getTime() - new Date(startedAt).getTime())}`
            : ""}
        </p>
      </div>
      {progress.hosts.length > 0 ? (
        <section aria-label="Hosts" className="space-y-3">
          {progress.hosts.map((host) => (
            <HostProgressCard key={host.key} host={host} running={progress.status === "running"} />
          ))}
        </section>
      ) : null}
      <ApplyEventLog events={progress.events} />
    </div>
  );
}

type Tone = "running" | "ok" | "warning" | "error";

const toneOf: Record<ApplyStatus, Tone> = {
  running: "running",
  succeeded: "ok",
  rolled_back: "warning",
  failed: "error",
  interrupted: "warning",
};

function OutcomeBanner({ progress }: { progress: ApplyProgress }) {
  const { status, failure, rollback } = progress;
  const tone: Tone = status === "running" && rollback === "running" ? "warning" : toneOf[status];
  return (
    <Outcome tone={tone} statusText={progress.statusText}>
      {status === "running"
        ? rollback === "running"
          ? "A step failed; every host the apply touched is being restored to its snapshot."
          : "Changes are applied phase by phase; any failure restores every host it touched."
        : status === "succeeded"
          ? "Every host matches the cluster, and the change is persisted to survive a reboot."
          : status === "rolled_back"
            ? "Failed and rolled back — the hosts are as they were."
            : status === "interrupted"
              ? "The panel stopped while applying. Hosts may be partly changed: plan again to see what differs."
              : rollback === "failed"
                ? "The rollback itself failed: hosts may be partly changed. Check them, then plan again to see what differs."
                : "Nothing could be done, so no host was changed."}
      {failure && status !== "succeeded" ? <FailureDetail failure={failure} /> : null}
    </Outcome>
  );
}

function FailureDetail({ failure }: { failure: NonNullable<ApplyProgress["failure"]> }) {
  const stage = STAGE_LABEL[failure.stage] ?? failure.stage;
  const where = [
    failure.hostName,
    failure.phase ? phaseLabel(failure.phase) : null,
    `${stage} stage`,
  ]
    .filter(Boolean)
    .join(" · ");
  const raw = `${failure.message}\n${failure.output ?? ""}`;
  const hinted = toolErrorHints(raw).length > 0 ? raw : null;
  return (
    <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
      <dt className="font-medium">Where</dt>
      <dd>{where}</dd>
      <dt className="font-medium">Error</dt>
      <dd className="break-words">{capitalize(failure.message)}</dd>
      {failure.output ? (
        <>
          <dt className="font-medium">Output</dt>
          <dd className="min-w-0">
            <pre className="max-h-48 overflow-auto rounded-md bg-white/70 px-3 py-2 font-mono text-xs whitespace-pre-wrap ring-1 ring-current/15 ring-inset">
              {failure.output}
            </pre>
          </dd>
        </>
      ) : null}
      {hinted ? (
        <>
          <dt className="font-medium">Why</dt>
          <dd className="min-w-0">
            <ToolHints output={hinted} />
          </dd>
        </>
      ) : null}
    </dl>
  );
}

const STAGE_LABEL: Record<string, string> = {
  preflight: "Preflight",
  snapshot: "Snapshot",
  apply: "Apply",
  verify: "Verify",
  persist: "Persist",
  rollback: "Rollback",
};

const toneClass: Record<Tone, string> = {
  running: "border-indigo-200 bg-indigo-50 text-indigo-900",
  ok: "border-emerald-200 bg-emerald-50 text-emerald-900",
  warning: "border-amber-200 bg-amber-50 text-amber-900",
  error: "border-red-200 bg-red-50 text-red-900",
};

function Outcome({
  tone,
  statusText,
  children,
}: {
  tone: Tone;
  statusText: string;
  children: ReactNode;
}) {
  const icon =
    tone === "running" ? (
      <Spinner className="size-5 text-indigo-500" />
    ) : tone === "ok" ? (
      <CheckCircleIcon className="size-5 text-emerald-600" />
    ) : tone === "warning" ? (
      <AlertIcon className="size-5 text-amber-500" />
    ) : (
      <XCircleIcon className="size-5 text-red-500" />
    );
  return (
    <div className={`flex gap-3 rounded-lg border px-4 py-3 ${toneClass[tone]}`}>
      <div className="mt-0.5 shrink-0">{icon}</div>
      <div className="min-w-0 flex-1">
        <p role="status" className="text-sm font-semibold">
          {statusText}
        </p>
        <div className="mt-0.5 text-sm opacity-90">{children}</div>
      </div>
    </div>
  );
}
