// VRRP state from keepalived's data dump (SIGUSR1 → `$TMPDIR/keepalived.data`, written by its VRRP
// process; shared/docs/keepalived.md §3). The format is not promised to stay stable, so only the
// few lines the panel needs are read, each by its label, and anything unrecognised is "UNKNOWN".

import { KEEPALIVED_PID_FILE } from "../host/state.ts";
import { quoteShellArg } from "../render/shell-quote.ts";

export const VRRP_STATES = ["MASTER", "BACKUP", "FAULT", "INIT"] as const;
export type VrrpStateName = (typeof VRRP_STATES)[number];

export interface VrrpInstanceState {
  state: VrrpStateName | "UNKNOWN";
  /** When it entered the state (ISO), from "Last transition"; null if not given. */
  since: string | null;
  priority: number | null;
  effectivePriority: number | null;
}

/**
 * Asks the running keepalived for its data dump and prints it: nothing when keepalived is not
 * running. The dump is written asynchronously after the signal (nothing says when it is done), so
 * the script waits for the file to appear, up to 2 s, and a moment more for it to be complete.
 */
export function renderVrrpStateRead(pidFile: string = KEEPALIVED_PID_FILE): string {
  const pid = quoteShellArg(pidFile);
  return [
    `pid=; test -e ${pid} && read -r pid < ${pid}`,
    'if test -n "$pid" && kill -0 "$pid" 2>/dev/null; then',
    // Shell text, not a template: keepalived writes the dump under $TMPDIR, else /tmp.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion
    '  f="${TMPDIR:-/tmp}/keepalived.data"',
    '  rm -f "$f"; kill -USR1 "$pid"',
    '  i=0; while test "$i" -lt 40 && ! test -s "$f"; do sleep 0.05; i=$((i+1)); done',
    '  sleep 0.1; cat "$f" 2>/dev/null',
    "fi",
    "true",
  ].join("\n");
}

/** The named instance's state in a keepalived.data dump; null when the instance is not in it. */
export function parseVrrpData(text: string, instance: string): VrrpInstanceState | null {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.trim() === `VRRP Instance = ${instance}`);
  if (start < 0) return null;
  const out: VrrpInstanceState = {
    state: "UNKNOWN",
    since: null,
    priority: null,
    effectivePriority: null,
  };
  for (const line of lines.slice(start + 1)) {
    const t = line.trim();
    // The instance's block is indented under it; the next instance (one space) or section
    // ("------< Interfaces >------", whose "State = UP, RUNNING" is a link's) ends it.
    if (t !== "" && !/^\s{2,}/.test(line)) break;
    const [label, ...rest] = t.split(" = ");
    const value = rest.join(" = ").trim();
    if (label === "State" && out.state === "UNKNOWN") {
      out.state = (VRRP_STATES as readonly string[]).includes(value)
        ? (value as VrrpStateName)
        : "UNKNOWN";
    } else if (label === "Last transition") {
      const seconds = Number.parseFloat(value.split(" ")[0] ?? "");
      out.since =
        Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : null;
    } else if (label === "Priority") {
      out.priority = wholeOrNull(value);
    } else if (label === "Effective priority") {
      out.effectivePriority = wholeOrNull(value);
    }
  }
  return out;
}

function wholeOrNull(text: string): number | null {
  const n = Number.parseInt(text, 10);
  return Number.isInteger(n) ? n : null;
}
