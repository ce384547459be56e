// Validation findings as the API words them: errors red, warnings amber, code and field below.
import type { Issue } from "../api/types.ts";
import { AlertIcon, XCircleIcon } from "./icons.tsx";

export function IssueList({
  errors = [],
  warnings = [],
}: {
  errors?: Issue[];
  warnings?: Issue[];
}) {
  return (
    <ul className="space-y-2">
      {errors.map((issue) => (
        <IssueItem
          key={`e-${issue.code}-${issue.field}-${issue.message}`}
          issue={issue}
          severity="error"
        />
      ))}
      {warnings.map((issue) => (
        <IssueItem
          key={`w-${issue.code}-${issue.field}-${issue.message}`}
          issue={issue}
          severity="warning"
        />
      ))}
    </ul>
  );
}

function IssueItem({ issue, severity }: { issue: Issue; severity: "error" | "warning" }) {
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
          {issue.message}
        </p>
        <p className={`mt-0.5 font-mono text-xs ${isError ? "text-red-600" : "text-amber-700"}`}>
          {issue.code}
          {issue.field ? ` · ${issue.field}` : ""}
        </p>
      </div>
    </li>
  );
}
