// A realserver the panel could not reach: why, what waits for it (run by the next apply that
// reaches it) and, in a plan, what the change would need from it (which blocks the apply).
import { Badge } from "../../../components/Badge.tsx";
import { Card } from "../../../components/Card.tsx";
import { AlertIcon } from "../../../components/icons.tsx";
import { formatRelative, pluralize } from "../../../lib/format.ts";

interface StepLine {
  description: string;
  command: string;
}

function StepList({ steps, label }: { steps: StepLine[]; label: string }) {
  return (
    <ul aria-label={label} className="mt-1.5 space-y-1.5">
      {steps.map((s) => (
        <li key={`${s.description}|${s.command}`} className="text-sm text-slate-800">
          <span>{s.description}</span>
          <code
            className="mt-0.5 block truncate font-mono text-xs text-slate-500"
            title={s.command}
          >
            {s.command}
          </code>
        </li>
      ))}
    </ul>
  );
}

export function UnreachableHostCard({
  hostName,
  address,
  reason,
  pending,
  needed = [],
  since,
}: {
  hostName: string;
  address: string;
  reason: string;
  pending: StepLine[];
  needed?: StepLine[];
  since?: string | null | undefined;
}) {
  return (
    <Card
      label={`Unreachable host ${hostName}`}
      title={
        <span className="flex flex-wrap items-center gap-2">
          <AlertIcon className="size-4 text-amber-500" />
          <span>{hostName}</span>
          <Badge tone={needed.length > 0 ? "red" : "amber"}>Unreachable</Badge>
          <span className="font-mono text-xs font-normal text-slate-500">for {address}</span>
        </span>
      }
    >
      <div className="space-y-3 px-5 py-4">
        <p className="text-sm text-slate-600">
          <span className="font-medium text-slate-700">Could not connect: </span>
          <span className="break-words">{reason}</span>
        </p>
        {needed.length > 0 ? (
          <div className="rounded-lg border border-red-200 bg-red-50 px-3 py-2">
            <p className="text-sm font-medium text-red-800">
              This change needs it: {pluralize(needed.length, "step")} must run on {hostName} before
              the director sends it traffic. Bring it back, or leave it out of the change.
            </p>
            <StepList steps={needed} label={`Steps needed on ${hostName}`} />
          </div>
        ) : null}
        {pending.length > 0 ? (
          <div>
            <p className="text-sm text-slate-700">
              {pluralize(pending.length, "step")} due on it can wait: they run by themselves on the
              next apply that reaches {hostName}
              {since ? ` (pending since ${formatRelative(since)})` : ""}.
            </p>
            <StepList steps={pending} label={`Steps pending on ${hostName}`} />
          </div>
        ) : needed.length === 0 ? (
          <p className="text-sm text-slate-700">
            Nothing in this change needs it: only the director is changed.
          </p>
        ) : null}
      </div>
    </Card>
  );
}
