// Maps validation issues to the service and realserver they name (`services[1].realservers[0].port`),
// so the cards can flag them where they are.
import type { Issue, ValidationReport } from "../../api/types.ts";

export type Severity = "error" | "warning";
export interface LocatedIssue extends Issue {
  severity: Severity;
  service: number;
  realserver: number | null;
}

const PATH = /^services\[(\d+)\](?:\.realservers\[(\d+)\])?/;

export function locateIssues(report: ValidationReport | undefined): LocatedIssue[] {
  if (!report) return [];
  const located: LocatedIssue[] = [];
  const add = (issue: Issue, severity: Severity) => {
    const match = PATH.exec(issue.field);
    if (!match) return;
    located.push({
      ...issue,
      severity,
      service: Number(match[1]),
      realserver: match[2] === undefined ? null : Number(match[2]),
    });
  };
  for (const issue of report.errors) add(issue, "error");
  for (const issue of report.warnings) add(issue, "warning");
  return located;
}
