// The director-side script that hands keepalived a new configuration: written next to the live
// file, checked by keepalived itself (`-t -e`), and only then moved into place and taken up. A
// configuration keepalived refuses never replaces the running one; its words end up in the apply.
// Config changes are a reload (SIGHUP to the running process: same pid, and keepalived diffs its
// old configuration against the new one, so untouched services keep their connections), never a
// restart, which would drop and re-add every service (shared/docs/keepalived.md §2.1).
import { KEEPALIVED_CONF_FILE, KEEPALIVED_PID_FILE } from "../host/state.ts";
import { quoteShellArg } from "./shell-quote.ts";

/** Where keepalived's files are: the real ones on a director; a test points them elsewhere. */
export interface KeepalivedPaths {
  conf: string;
  pid: string;
}
const DIRECTOR_PATHS: KeepalivedPaths = { conf: KEEPALIVED_CONF_FILE, pid: KEEPALIVED_PID_FILE };

/**
 * `keepalived -t` lines that are not problems, as extended regular expressions (grep -E): the
 * quorum keepalived lowers by itself when every realserver of a service is at weight 0 (drained),
 * which no config can avoid (`quorum 0` is refused). keepalivedCheckVerdict says the same in
 * TypeScript; the two are tested against each other.
 */
export const BENIGN_CHECK_PATTERNS = [
  "^Warning - quorum 1 for .+ exceeds total weight of real servers 0, reducing quorum to 0$",
  "^Virtual server .+: hysteresis 0 >= quorum 0; setting hysteresis to [0-9]+$",
];

const pidFile = quoteShellArg(KEEPALIVED_PID_FILE);
const conf = quoteShellArg(KEEPALIVED_CONF_FILE);

/**
 * Sets `$pid` to the running keepalived's process id, or to nothing: builtins only (`read`,
 * `kill -0`, `test`), so on a director without keepalived it costs no process.
 */
const READ_LIVE_PID = `pid=; test -e ${pidFile} && read -r pid < ${pidFile}; if test -n "$pid" && kill -0 "$pid" 2>/dev/null; then :; else pid=; fi`;

/** Prints the running keepalived's pid, or nothing (for the health verdicts of every tick). */
export function renderKeepalivedPidRead(): string {
  return `${READ_LIVE_PID}\ntest -n "$pid" && echo "$pid"\ntrue`;
}

/** Writes `config` beside the live file and has keepalived check it; a refusal exits 1. */
function checkedCandidate(config: string, paths: KeepalivedPaths, suffix: string): string[] {
  const benign = BENIGN_CHECK_PATTERNS.map((p) => `-e ${quoteShellArg(p)}`).join(" ");
  const candidate = quoteShellArg(`${paths.conf}.${suffix}`);
  const dir = paths.conf.slice(0, paths.conf.lastIndexOf("/")) || "/";
  return [
    `mkdir -p ${quoteShellArg(dir)}`,
    `printf '%s' ${quoteShellArg(config)} > ${candidate}`,
    // Exit 0 is clean; 5 is "would run with changes", acceptable only for the benign lines.
    `out=$(keepalived -t -e -f ${candidate} 2>&1); rc=$?`,
    `bad=$(printf '%s\\n' "$out" | grep -v -E ${benign} | grep -v -E '^[[:space:]]*$')`,
    'if test "$rc" -ne 0 && { test "$rc" -ne 5 || test -n "$bad"; }; then',
    `  rm -f ${candidate}`,
    `  printf 'keepalived refused the new configuration (keepalived -t exited %s); the running one is unchanged:\\n%s\\n' "$rc" "$out" >&2`,
    "  exit 1",
    "fi",
  ];
}

/**
 * Only checks `config` on the director (a pair's directors are both checked before either
 * configuration is replaced); the candidate is removed again.
 */
export function renderKeepalivedCheck(
  config: string,
  paths: KeepalivedPaths = DIRECTOR_PATHS,
): string {
  return [
    ...checkedCandidate(config, paths, "lvs-panel-check"),
    `rm -f ${quoteShellArg(`${paths.conf}.lvs-panel-check`)}`,
  ].join("\n");
}

/** Checks `config` on the director, then reloads the running keepalived with it, or starts one. */
export function renderKeepalivedLoad(
  config: string,
  paths: KeepalivedPaths = DIRECTOR_PATHS,
): string {
  const conf = quoteShellArg(paths.conf);
  const candidate = quoteShellArg(`${paths.conf}.lvs-panel-candidate`);
  const pidFile = quoteShellArg(paths.pid);
  return [
    ...checkedCandidate(config, paths, "lvs-panel-candidate"),
    `mv -f ${candidate} ${conf}`,
    `pid=$(cat ${pidFile} 2>/dev/null)`,
    'if test -n "$pid" && kill -0 "$pid" 2>/dev/null; then',
    '  kill -HUP "$pid"',
    // Debian's unit (Type=notify, ExecReload = kill -HUP) when systemd runs the host.
    "elif test -d /run/systemd/system && systemctl cat keepalived.service >/dev/null 2>&1; then",
    "  systemctl enable keepalived.service >/dev/null 2>&1; systemctl restart keepalived.service",
    "else",
    // Without systemd (containers, the lab): daemonized, with the pid file reloads go through.
    // --dont-release-ipvs: if keepalived stops, the table stays as it was instead of vanishing.
    `  keepalived --dont-release-ipvs -f ${conf} -p ${pidFile}`,
    "fi",
  ].join("\n");
}

/**
 * Stops keepalived without letting it empty the table, and waits (up to 5 s) until it is gone.
 * Started by the panel it has --dont-release-ipvs, so SIGTERM leaves the table. Debian's unit
 * starts it without: a clean stop would delete every service (and its connections) before ipvsadm
 * takes over, so its processes get SIGKILL, which leaves the kernel's table exactly as it was,
 * and the unit is disabled so a boot does not start it again.
 */
export function renderKeepalivedStop(): string {
  return [
    READ_LIVE_PID,
    'if test -n "$pid"; then',
    "  if test -d /run/systemd/system && systemctl is-active --quiet keepalived.service; then",
    "    systemctl kill --signal=SIGKILL keepalived.service; systemctl disable keepalived.service >/dev/null 2>&1",
    "  else",
    '    kill "$pid"',
    "  fi",
    '  for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done',
    "  systemctl reset-failed keepalived.service >/dev/null 2>&1",
    "fi",
    "true",
  ].join("\n");
}

/** The read that tells the keepalived engine what runs: `pid=<n|>` then the live config. */
export function renderKeepalivedStatusRead(): string {
  // Builtins only until a configuration is there to print.
  return [READ_LIVE_PID, 'echo "pid=$pid"', `test -e ${conf} && cat ${conf}`, "true"].join("\n");
}

/**
 * Parses renderKeepalivedStatusRead's output. `text` is the configuration whoever wrote it (an
 * import reads the operator's); `conf` only the panel's.
 */
export function parseKeepalivedStatus(text: string | null | undefined): {
  pid: number | null;
  conf: string | null;
  foreignConf: boolean;
  text: string | null;
} {
  if (!text) return { pid: null, conf: null, foreignConf: false, text: null };
  const newline = text.indexOf("\n");
  const first = newline < 0 ? text : text.slice(0, newline);
  const rest = newline < 0 ? "" : text.slice(newline + 1);
  const m = /^pid=(\d*)$/.exec(first.trim());
  const pid = m?.[1] ? Number(m[1]) : null;
  if (rest === "") return { pid, conf: null, foreignConf: false, text: null };
  const ours = isPanelKeepalivedConf(rest);
  return { pid, conf: ours ? rest : null, foreignConf: !ours, text: rest };
}

/** Whether a keepalived.conf is one the panel wrote (renderKeepalivedConf's header). */
export function isPanelKeepalivedConf(text: string): boolean {
  return text.startsWith("# Generated by lvs-panel");
}
