// An apply's outcome as a coloured label.
import type { ApplyStatus } from "../../../api/types.ts";
import { Badge } from "../../../components/Badge.tsx";

const LOOK: Record<ApplyStatus, { tone: "indigo" | "green" | "amber" | "red"; label: string }> = {
  running: { tone: "indigo", label: "Running" },
  succeeded: { tone: "green", label: "Succeeded" },
  rolled_back: { tone: "amber", label: "Rolled back" },
  failed: { tone: "red", label: "Failed" },
  interrupted: { tone: "amber", label: "Interrupted" },
};

export function ApplyStatusBadge({ status }: { status: ApplyStatus }) {
  const look = LOOK[status] ?? { tone: "neutral" as const, label: status };
  return <Badge tone={look.tone}>{look.label}</Badge>;
}
