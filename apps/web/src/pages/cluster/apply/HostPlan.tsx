// One host in the plan preview: its steps by phase with the exact command, and the raw scripts.
import type { PlanHost } from "../../../api/types.ts";
import { Badge } from "../../../components/Badge.tsx";
import { Card } from "../../../components/Card.tsx";
import { CodeBlock } from "../../../components/CodeBlock.tsx";
import { ServerIcon } from "../../../components/icons.tsx";
import { pluralize } from "../../../lib/format.ts";
import { groupSteps, phaseLabel } from "./planSteps.ts";

export function HostHeading({
  hostName,
  role,
  address,
}: {
  hostName: string;
  role: "director" | "realserver";
  address?: string | null | undefined;
}) {
  return (
    <span className="flex flex-wrap items-center gap-2">
      <ServerIcon className="size-4 text-slate-400" />
      <span>{hostName}</span>
      <Badge tone={role === "director" ? "indigo" : "neutral"}>
        {role === "director" ? "Director" : "Realserver"}
      </Badge>
      {address ? (
        <span className="font-mono text-xs font-normal text-slate-500">for {address}</span>
      ) : null}
    </span>
  );
}

export function HostPlan({ host }: { host: PlanHost }) {
  const phases = groupSteps(host.steps);
  return (
    <Card
      label={`Host ${host.hostName}`}
      title={<HostHeading hostName={host.hostName} role={host.role} address={host.address} />}
      actions={
        <span className="text-xs text-slate-500">{pluralize(host.steps.length, "step")}</span>
      }
    >
      <div className="divide-y divide-slate-100">
        {phases.map((group) => (
          <div key={group.phase} className="px-5 py-4">
            <h4 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">
              {group.label}
              {group.purpose ? (
                <span className="ml-2 font-normal tracking-normal text-slate-400 normal-case">
                  {group.purpose}
                </span>
              ) : null}
            </h4>
            <ol className="mt-2 space-y-3">
              {group.commands.map((command) => (
                <li key={command.steps[0]?.id}>
                  <ul className="mb-1.5 space-y-0.5 text-sm text-slate-800">
                    {command.steps.map((step) => (
                      <li key={step.id} className="flex gap-2">
                        <span aria-hidden="true" className="text-slate-400">
                          •
                        </span>
                        {step.description}
                      </li>
                    ))}
                  </ul>
                  <CodeBlock code={command.command} />
                </li>
              ))}
            </ol>
          </div>
        ))}
      </div>
      <details className="group border-t border-slate-100 px-5 py-3">
        <summary className="cursor-pointer rounded text-sm font-medium text-indigo-700 hover:text-indigo-600 focus-visible:outline-2 focus-visible:outline-indigo-600">
          Show exact scripts
        </summary>
        <p className="mt-2 text-xs text-slate-500">
          What is sent over SSH, byte for byte: one script per round trip (a phase, or consecutive
          phases that only this host takes part in). The markers split the output back into per-step
          results; the last script of the changes and of the persisting also reads the host back for
          the verification.
        </p>
        <div className="mt-3 space-y-3">
          {host.scripts.map((s) => (
            <div key={s.phase}>
              <p className="mb-1 text-xs font-semibold text-slate-600">
                {(s.phases ?? [s.phase]).map(phaseLabel).join(" + ")}
              </p>
              <CodeBlock code={s.script} tone="light" />
            </div>
          ))}
        </div>
      </details>
    </Card>
  );
}
