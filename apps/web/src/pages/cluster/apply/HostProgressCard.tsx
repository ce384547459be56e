// One host during or after an apply: its steps by phase with status and output, then what the
// rollback ran on it, if anything.
import type { ApplyStep, ApplyStepStatus } from "../../../api/types.ts";
import { Card } from "../../../components/Card.tsx";
import { CodeBlock } from "../../../components/CodeBlock.tsx";
import type { HostProgress } from "./applyProgress.ts";
import { HostHeading } from "./HostPlan.tsx";
import { groupSteps, phaseLabel } from "./planSteps.ts";
import { StageIcon } from "./StageStrip.tsx";
import { ToolHints } from "./ToolHints.tsx";

const statusWord: Record<ApplyStepStatus, string> = {
  pending: "pending",
  running: "running",
  ok: "done",
  failed: "failed",
  "not-run": "not run",
};

function groupStatus(steps: ApplyStep[]): ApplyStepStatus {
  const order: ApplyStepStatus[] = ["failed", "running", "pending", "not-run", "ok"];
  return order.find((s) => steps.some((step) => step.status === s)) ?? "pending";
}

function hostSummary(host: HostProgress): string {
  const total = host.steps.length;
  const done = host.steps.filter((s) => s.status === "ok").length;
  const failed = host.steps.filter((s) => s.status === "failed").length;
  return failed > 0 ? `Failed · ${done} of ${total} done` : `${done} of ${total} done`;
}

export function HostProgressCard({ host, running }: { host: HostProgress; running: boolean }) {
  const phases = groupSteps(host.steps);
  return (
    <Card
      label={`Host ${host.hostName}`}
      title={<HostHeading hostName={host.hostName} role={host.role} />}
      actions={<span className="text-xs text-slate-500">{hostSummary(host)}</span>}
    >
      <div className="divide-y divide-slate-100">
        {phases.map((group) => (
          <div key={group.phase} className="px-5 py-3">
            <h4 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">
              {group.label}
            </h4>
            <ol className="mt-2 space-y-2">
              {group.commands.map((command) => {
                const status = groupStatus(command.steps);
                const output = command.steps.find((s) => s.output)?.output ?? "";
                return (
                  <li key={command.steps[0]?.id} className="flex gap-2.5">
                    <span className="mt-0.5 shrink-0">
                      <StageIcon state={status === "pending" ? "pending" : status} />
                    </span>
                    <div className="min-w-0 flex-1">
                      <ul className="text-sm text-slate-800">
                        {command.steps.map((step) => (
                          <li key={step.id}>{step.description}</li>
                        ))}
                      </ul>
                      <p className="sr-only">Status: {statusWord[status]}</p>
                      <details className="mt-1" open={status === "failed"}>
                        <summary className="cursor-pointer text-xs font-medium text-slate-500 hover:text-slate-800">
                          {output ? "Command and output" : "Command"}
                          <span
                            className={`ml-2 font-normal ${status === "failed" ? "text-red-600" : "text-slate-400"}`}
                          >
                            {statusWord[status]}
                          </span>
                        </summary>
                        <div className="mt-1.5 space-y-1.5">
                          <CodeBlock code={command.command} />
                          {output ? <CodeBlock code={output} tone="light" /> : null}
                          {status === "failed" && output ? <ToolHints output={output} /> : null}
                        </div>
                      </details>
                    </div>
                  </li>
                );
              })}
            </ol>
          </div>
        ))}
        {host.rollback.length > 0 ? (
          <div className="bg-amber-50/50 px-5 py-3">
            <h4 className="text-xs font-semibold tracking-wide text-amber-800 uppercase">
              Rollback
            </h4>
            <ol className="mt-2 space-y-2">
              {host.rollback.map((e) => (
                <li key={e.seq} className="flex gap-2.5">
                  <span className="mt-0.5 shrink-0">
                    <StageIcon state={e.status === "failed" ? "failed" : "ok"} />
                  </span>
                  <div className="min-w-0 flex-1 space-y-1.5">
                    <p className="text-sm text-slate-800">
                      {e.phase ? phaseLabel(e.phase) : "Restore"}
                      <span className={e.status === "failed" ? "text-red-600" : "text-slate-400"}>
                        {" "}
                        · {e.message}
                      </span>
                    </p>
                    {e.command ? <CodeBlock code={e.command} /> : null}
                    {e.output ? <CodeBlock code={e.output} tone="light" /> : null}
                    {e.status === "failed" && e.output ? <ToolHints output={e.output} /> : null}
                  </div>
                </li>
              ))}
            </ol>
          </div>
        ) : null}
        {host.steps.length === 0 && !running ? (
          <p className="px-5 py-3 text-sm text-slate-500">No steps on this host.</p>
        ) : null}
      </div>
    </Card>
  );
}
