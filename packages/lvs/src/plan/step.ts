// A plan step: one change on one host, as data. `argv` is run as is (no shell); `script` is shell
// text built only through argvToShell/quoteShellArg. `op` says what the step changes so the plan
// can be simulated and summarised without reading shell text.
import type { HostAddress, PolicyRule, TableRoute } from "../host/state.ts";

/** "director2": the second director of a VRRP pair (ClusterSpec.peer). */
export type StepHost = "director" | "director2" | { realserver: string };

export type DirectorHost = "director" | "director2";

export function isDirectorHost(host: StepHost): host is DirectorHost {
  return host === "director" || host === "director2";
}

export type StepOp =
  | { kind: "ipvsadm" }
  | { kind: "sysctl"; key: string; value: string }
  | { kind: "address"; action: "add" | "remove"; address: HostAddress }
  | { kind: "rule"; action: "add" | "remove"; rule: PolicyRule }
  | { kind: "route"; action: "add" | "remove"; route: TableRoute }
  | { kind: "file"; action: "write"; path: string; content: string }
  | { kind: "file"; action: "remove"; path: string }
  /** keepalived checks this configuration, then takes it (start, or reload: same process). */
  | { kind: "keepalived"; action: "start" | "reload"; config: string }
  | { kind: "keepalived"; action: "stop" }
  /** Waits on the host (a drain's connections); changes nothing. */
  | { kind: "wait" };

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
  if (host === "director2") return "second director";
  return host === "director" ? "director" : `realserver ${host.realserver}`;
}

/**
 * How plans, views, events and the apply name a host: "director" or "rs:<address>". Built and
 * taken apart only here.
 */
export type HostKey = DirectorHost | `rs:${string}`;

export function hostKey(host: StepHost): HostKey {
  return isDirectorHost(host) ? host : `rs:${host.realserver}`;
}

export function realserverHostKey(address: string): HostKey {
  return `rs:${address}`;
}

/** The realserver address a key names; null for a director. */
export function realserverOfKey(key: HostKey): string | null {
  return key.startsWith("rs:") ? key.slice(3) : null;
}

/** The host a step runs on, as a key. */
export function stepHostKey(step: Pick<Step, "host">): HostKey {
  return hostKey(step.host);
}
