// The words the cluster page uses for keepalived's verdicts and settings: a realserver's state and
// how long it has held, keepalived's state on the director, a service's check in one phrase.
import type { DirectorHealth, Engine, HealthCheck, RealserverHealth } from "../../api/types.ts";

export const ENGINE_LABELS: Record<Engine, string> = {
  ipvsadm: "ipvsadm (the panel pushes the table)",
  keepalived: "keepalived (health-checked)",
};

/** The hint under the engine select of a cluster: an engine change is a change like any other. */
export const ENGINE_HINT =
  "Takes effect at the next apply; switching hands keepalived the table as it is, without dropping connections.";

/** The hint under the engine select of a new cluster. */
export const NEW_CLUSTER_ENGINE_HINT =
  "keepalived checks the realservers and takes dead ones out of rotation; with ipvsadm every enabled realserver gets traffic. It can be switched later, at an apply, without dropping connections.";

const REALSERVER_STATES: Record<RealserverHealth["state"], string> = {
  up: "Up",
  down: "Down",
  unknown: "Unknown",
};

export function realserverStateLabel(state: RealserverHealth["state"]): string {
  return REALSERVER_STATES[state];
}

/**
 * How long a state has held at the time of the reading: "for 12 s", "for 5 min", "for 3 h",
 * "for 2 d"; null when the panel does not know (the state held at its first look). Measured on
 * the server's clock (`at` is the reading's time), so a skewed browser clock does not matter.
 */
export function formatHeldFor(since: string | null, at: string): string | null {
  if (since === null) return null;
  const start = Date.parse(since);
  const end = Date.parse(at);
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  const seconds = Math.max(0, Math.round((end - start) / 1000));
  if (seconds < 60) return `for ${seconds} s`;
  if (seconds < 3600) return `for ${Math.floor(seconds / 60)} min`;
  if (seconds < 86_400) return `for ${Math.floor(seconds / 3600)} h`;
  return `for ${Math.floor(seconds / 86_400)} d`;
}

const exact = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/** The tooltip of a "for …": the exact time the state began. */
export function sinceTitle(since: string | null): string {
  if (since === null) return "Already so when the panel first looked";
  const date = new Date(since);
  return Number.isNaN(date.getTime()) ? `Since ${since}` : `Since ${exact.format(date)}`;
}

/** "Running (pid 812)", "Stopped", "Unreachable". */
export function directorStateLabel(director: Pick<DirectorHealth, "state" | "pid">): string {
  switch (director.state) {
    case "running":
      return director.pid === null ? "Running" : `Running (pid ${director.pid})`;
    case "stopped":
      return "Stopped";
    case "unreachable":
      return "Unreachable";
  }
}

/** "TCP connect every 5 s", "HTTP GET /health expecting 200 every 5 s", "None". */
export function describeHealthCheck(check: HealthCheck): string {
  if (check.type === "none") return "None";
  const port = check.port === undefined ? "" : ` to port ${check.port}`;
  const every = `every ${check.intervalSeconds} s`;
  if (check.type === "tcp") return `TCP connect${port} ${every}`;
  const status = check.expectStatus === undefined ? "" : ` expecting ${check.expectStatus}`;
  return `${check.type.toUpperCase()} GET ${check.path ?? "/"}${port}${status} ${every}`;
}
