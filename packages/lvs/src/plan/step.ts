// A plan step: one change on one host, as data. `argv` is run as is (no shell); `script` is shell
// text built only through argvToShell/quoteShellArg. `op` says what the step changes so the plan
// can be simulated and summarised without reading shell text.
import type { HostAddress, PolicyRule, TableRoute } from "../host/state.ts";

export type StepHost = "director" | { realserver: string };

export type StepOp =
  | { kind: "ipvsadm" }
  | { kind: "sysctl"; key: string; value: string }
  | { kind: "address"; action: "add" | "remove"; address: HostAddress }
  | { kind: "rule"; action: "add" | "remove"; rule: PolicyRule }
  | { kind: "route"; action: "add" | "remove"; route: TableRoute }
  | { kind: "file"; action: "write"; path: string; content: string }
  | { kind: "file"; action: "remove"; path: string };

export interface Step {
  /** Unique within a plan and stable across plans for the same change. */
  id: string;
  host: StepHost;
  description: string;
  argv?: string[];
  script?: string;
  op: StepOp;
}

export function hostLabel(host: StepHost): string {
  return host === "director" ? "director" : `realserver ${host.realserver}`;
}

export function hostId(host: StepHost): string {
  return host === "director" ? "director" : `rs:${host.realserver}`;
}
