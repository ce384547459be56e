// A failed plan or apply request, said plainly, with the way forward as a button or link, and
// what a recognised tool error in it means.
import { Link } from "react-router";
import { Button } from "../../../components/Button.tsx";
import { AlertIcon, RefreshIcon, XCircleIcon } from "../../../components/icons.tsx";
import { capitalize } from "../../../lib/format.ts";
import { describeFailure } from "./planFailure.ts";
import { ToolHints } from "./ToolHints.tsx";

export function FailurePanel({
  error,
  onRetry,
  retrying = false,
}: {
  error: unknown;
  onRetry?: () => void;
  retrying?: boolean;
}) {
  const advice = describeFailure(error);
  const warning = advice.next === "replan";
  return (
    <div
      role="alert"
      className={`flex gap-3 rounded-lg border px-4 py-3 text-sm ${
        warning
          ? "border-amber-200 bg-amber-50 text-amber-900"
          : "border-red-200 bg-red-50 text-red-800"
      }`}
    >
      {warning ? (
        <AlertIcon className="mt-0.5 size-5 shrink-0 text-amber-500" />
      ) : (
        <XCircleIcon className="mt-0.5 size-5 shrink-0 text-red-500" />
      )}
      <div className="min-w-0 flex-1">
        <p className="font-semibold">{advice.title}</p>
        {advice.message ? <p className="mt-1 break-words">{capitalize(advice.message)}</p> : null}
        <ToolHints output={advice.message} className="mt-2" />
        <p className={`mt-1 ${warning ? "text-amber-800" : "text-red-700"}`}>{advice.hint}</p>
        <div className="mt-3 flex flex-wrap gap-2">
          {advice.next === "hosts" ? (
            <Link
              to="/hosts"
              className="inline-flex h-8 items-center rounded-md bg-white px-2.5 text-sm font-medium text-slate-700 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
            >
              Go to Hosts
            </Link>
          ) : null}
          {onRetry && advice.next !== "director" && advice.next !== "none" ? (
            <Button size="sm" icon={<RefreshIcon />} pending={retrying} onClick={onRetry}>
              {advice.next === "replan" ? "Re-plan" : "Try again"}
            </Button>
          ) : null}
        </div>
      </div>
    </div>
  );
}
