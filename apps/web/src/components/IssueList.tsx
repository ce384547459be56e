// Validation findings in plain words: errors red, warnings amber, each with where it is as the
// page names it ("Service TCP 10.10.0.200:80 › realservers"), never the domain's code or path.
import type { Issue } from "../api/types.ts";
import { capitalize } from "../lib/format.ts";
import { AlertIcon, XCircleIcon } from "./icons.tsx";

export function IssueList({
  errors = [],
  warnings = [],
  describeField,
}: {
  errors?: Issue[];
  warnings?: Issue[];
  /** Where a finding's field is, for people; nothing is shown for it when absent or null. */
  describeField?: ((field: string) => string | null) | undefined;
}) {
  return (
    <ul className="space-y-2">
      {errors.map((issue) => (
        <IssueItem
          key={`e-${issue.code}-${issue.field}-${issue.message}`}
          issue={issue}
          place={describeField?.(issue.field) ?? null}
          severity="error"
        />
      ))}
      {warnings.map((issue) => (
        <IssueItem
          key={`w-${issue.code}-${issue.field}-${issue.message}`}
          issue={issue}
          place={describeField?.(issue.field) ?? null}
          severity="warning"
        />
      ))}
    </ul>
  );
}

function IssueItem({
  issue,
  place,
  severity,
}: {
  issue: Issue;
  place: string | null;
  severity: "error" | "warning";
}) {
  const isError = severity === "error";
  return (
    <li
      className={`flex gap-3 rounded-lg border px-3 py-2.5 text-sm ${
        isError
          ? "border-red-200 bg-red-50 text-red-800"
          : "border-amber-200 bg-amber-50 text-amber-900"
      }`}
    >
      {isError ? (
        <XCircleIcon className="mt-0.5 size-4 shrink-0 text-red-500" />
      ) : (
        <AlertIcon className="mt-0.5 size-4 shrink-0 text-amber-500" />
      )}
      <div className="min-w-0">
        <p>
          <span className="sr-only">{isError ? "Error: " : "Warning: "}</span>
          {capitalize(issue.message)}
        </p>
        {place ? (
          <p className={`mt-0.5 text-xs ${isError ? "text-red-700" : "text-amber-700"}`}>{place}</p>
        ) : null}
      </div>
    </li>
  );
}
