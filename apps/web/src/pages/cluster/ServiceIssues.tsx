// How validation issues show on a service card: their counts in its header, and a marker on the
// row of the realserver they name.
import { Badge } from "../../components/Badge.tsx";
import { AlertIcon, XCircleIcon } from "../../components/icons.tsx";
import { pluralize } from "../../lib/format.ts";
import type { LocatedIssue } from "./issuePaths.ts";

export function IssueBadges({ issues }: { issues: LocatedIssue[] }) {
  const errors = issues.filter((issue) => issue.severity === "error").length;
  const warnings = issues.length - errors;
  return (
    <>
      {errors > 0 ? <Badge tone="red">{pluralize(errors, "error")}</Badge> : null}
      {warnings > 0 ? <Badge tone="amber">{pluralize(warnings, "warning")}</Badge> : null}
    </>
  );
}

/** A marker on a realserver row; the message is in its accessible name and tooltip. */
export function IssueMarker({ issues }: { issues: LocatedIssue[] }) {
  if (issues.length === 0) return null;
  const isError = issues.some((issue) => issue.severity === "error");
  const text = issues.map((issue) => issue.message).join("; ");
  const Icon = isError ? XCircleIcon : AlertIcon;
  return (
    <span role="img" aria-label={text} title={text} className="inline-flex align-[-2px]">
      <Icon className={`size-4 ${isError ? "text-red-500" : "text-amber-500"}`} />
    </span>
  );
}
