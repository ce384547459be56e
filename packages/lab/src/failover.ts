// Measures a director failover as a client sees it, for VRRP pair tests on the lab's two
// directors (the root namespace and dir2). Everything time-critical runs inside the guest in one
// script: a probe making a fresh HTTP request every few tens of ms, long-lived downloads held
// open through the VIP, and `ip monitor` timing the VIP's arrival; the test only triggers the
// failover with a shell action and reads the results.
import { readFile } from "node:fs/promises";
import { quoteShellArg } from "@lvs-panel/lvs";
import { labExec, labRun } from "./lab.ts";
import {
  CLIENTS,
  type ClientName,
  DIRECTOR2_NAMESPACE,
  HTTP_PORT,
  REALSERVERS,
  VIPS,
} from "./topology.ts";

/** Where the tools and their outputs live on the director (in the root namespace's /run). */
export const FAILOVER_DIR = "/run/lvs-lab-failover";
/** The file each realserver serves for the long-lived downloads (1 MB). */
export const HOLD_PATH = "/lab-failover-big";
const HOLD_BYTES = 1_000_000;

export type DirectorSide = "director" | typeof DIRECTOR2_NAMESPACE;

export interface FailoverOptions {
  /**
   * Shell run on the director (root namespace) at the moment of failover. To act as dir2 (stop
   * its keepalived), wrap it in director2Shell: `ip netns exec dir2` reads the director's /run.
   */
  readonly action: string;
  /** The director expected to take the VIP over; its VIP arrival is timed. */
  readonly takeover: DirectorSide;
  /** Probed and held through; default the DR VIP. */
  readonly vip?: string;
  readonly client?: ClientName;
  /** Traffic before the action. */
  readonly beforeMs: number;
  /** Traffic after the action. */
  readonly afterMs: number;
  /** Long-lived downloads held open across the failover (0: none). */
  readonly holds?: number;
  /**
   * After beforeMs, if the takeover director runs a backup sync daemon, wait up to this long
   * (default 10 s) until it has an IPVS entry for every held connection: the master's sync
   * daemon flushes its buffer only every ~2 s, later on a busy host. 0: never wait.
   */
  readonly awaitSyncMs?: number;
  readonly probeIntervalMs?: number;
  readonly probeTimeoutMs?: number;
}

export interface HeldConnection {
  readonly port: number;
  readonly ok: boolean;
  readonly bytes: number;
  readonly error: string;
}

export interface FailoverReport {
  /** Guest clock (epoch ms) when the action started. */
  readonly actionAt: number;
  /** The VIP appeared on the takeover director this long after the action; undefined: never. */
  readonly takeoverMs: number | undefined;
  /**
   * How long after beforeMs the held connections took to appear on the takeover director;
   * undefined when it ran no backup sync daemon, or they never all appeared (see awaitSyncMs).
   */
  readonly syncWaitMs: number | undefined;
  /** The longest gap between two successful answers, in ms: what the client saw as outage. */
  readonly outageMs: number;
  readonly answers: number;
  readonly failures: number;
  /** Realservers that answered before and after the action. */
  readonly answeredBy: readonly string[];
  readonly held: readonly HeldConnection[];
  /** `ipvsadm -Lnc` on the takeover director just before the action (synced entries). */
  readonly takeoverConnections: string;
}

/**
 * Closes the realservers' ends of a client's connections to port 80. A held connection that broke
 * in a failover was reset on the client's side only: in DR the client's RST goes to the VIP, not
 * the realserver, so the realserver retransmits for ~15 min and its httpd child (which
 * `pgrep -f 'busybox httpd …'` also matches) lingers. ss -K ends them at once.
 */
function closeServerEnds(client: ClientName): string {
  const address = Object.values(CLIENTS).find((c) => c.namespace === client)?.address;
  if (address === undefined) throw new Error(`unknown client ${client}`);
  return REALSERVERS.map(
    (rs) =>
      `ip netns exec ${rs.name} ss -K -tn dst ${address} '( sport = :${HTTP_PORT} )' >/dev/null`,
  ).join("; ");
}

function inSide(side: DirectorSide, argv: string): string {
  return side === "director" ? argv : `ip netns exec ${DIRECTOR2_NAMESPACE} ${argv}`;
}

/** Uploads the probe and hold scripts and gives every realserver the file to download. */
export async function prepareFailoverTools(): Promise<void> {
  const probe = await readFile(new URL("./guest/probe.pl", import.meta.url), "utf8");
  const hold = await readFile(new URL("./guest/hold.pl", import.meta.url), "utf8");
  const first = `/srv/${REALSERVERS[0]?.name}${HOLD_PATH}`;
  const lines = [
    "set -e",
    `mkdir -p ${FAILOVER_DIR}`,
    `printf '%s' ${quoteShellArg(probe)} > ${FAILOVER_DIR}/probe.pl`,
    `printf '%s' ${quoteShellArg(hold)} > ${FAILOVER_DIR}/hold.pl`,
    `head -c ${HOLD_BYTES} /dev/zero > ${first}`,
    ...REALSERVERS.slice(1).map((rs) => `ln -f ${first} /srv/${rs.name}${HOLD_PATH}`),
  ];
  await labRun(lines.join("\n"));
}

export async function removeFailoverTools(): Promise<void> {
  // Stragglers of an interrupted run: only the pids this module recorded.
  await labExec(
    [
      `for f in ${FAILOVER_DIR}/*.pid; do test -e "$f" && kill "$(cat "$f")" 2>/dev/null; done`,
      closeServerEnds(CLIENTS.dr.namespace),
      closeServerEnds(CLIENTS.nat.namespace),
      `rm -rf ${FAILOVER_DIR} ${REALSERVERS.map((rs) => `/srv/${rs.name}${HOLD_PATH}`).join(" ")}`,
      "true",
    ].join("\n"),
  );
}

function section(output: string, name: string): string {
  const start = output.indexOf(`--- ${name}\n`);
  if (start < 0) return "";
  const from = start + name.length + 5;
  const end = output.indexOf("\n--- ", from - 1);
  return output.slice(from, end < 0 ? undefined : end + 1);
}

/** Runs traffic through the VIP, triggers the failover, and reports what the client saw. */
export async function runFailover(options: FailoverOptions): Promise<FailoverReport> {
  const vip = options.vip ?? VIPS.dr;
  const client = options.client ?? CLIENTS.dr.namespace;
  const holds = options.holds ?? 0;
  const interval = options.probeIntervalMs ?? 30;
  const timeout = options.probeTimeoutMs ?? 400;
  const awaitSync = holds > 0 ? (options.awaitSyncMs ?? 10_000) : 0;
  const numbers = [options.beforeMs, options.afterMs, holds, interval, timeout, awaitSync];
  for (const value of numbers) {
    if (!Number.isInteger(value) || value < 0) throw new Error(`bad failover option ${value}`);
  }
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  // The clients stop when the stop file appears; the limit only guards against a lost script.
  const limit = Math.ceil((options.beforeMs + awaitSync + options.afterMs) / 1000) + 60;
  const d = FAILOVER_DIR;
  const monitor =
    options.takeover === "director"
      ? "ip -ts monitor address"
      : `ip -n ${DIRECTOR2_NAMESPACE} -ts monitor address`;
  const takeoverTable = inSide(options.takeover, "ipvsadm -Lnc");
  const inClient = `ip netns exec ${quoteShellArg(client)} perl`;
  const waitForSync = [
    "t0=$(date +%s%3N)",
    `${inSide(options.takeover, "ipvsadm -L --daemon")} | grep -q 'backup sync daemon' &&`,
    "while :; do",
    "  if test -s hold.ports; then",
    `    t=$(${takeoverTable}); all=yes`,
    '    while read -r p; do case "$t" in *":$p "*) ;; *) all=no ;; esac; done < hold.ports',
    '    if test "$all" = yes; then echo "--- synced"; echo $(($(date +%s%3N) - t0)); break; fi',
    "  fi",
    `  test $(($(date +%s%3N) - t0)) -ge ${awaitSync} && break`,
    "  sleep 0.2",
    "done",
  ];
  const script = [
    `cd ${d} && rm -f stop probe.out hold.out hold.ports monitor.out takeover-conns.out action.out`,
    // -ts prints local time; UTC makes it comparable with date +%s%3N.
    `TZ=UTC ${monitor} > monitor.out 2>&1 & echo $! > monitor.pid`,
    `${inClient} ${d}/probe.pl ${quoteShellArg(vip)} ${d}/stop ${interval} ${timeout} ${limit} > probe.out 2>&1 & echo $! > probe.pid`,
    holds > 0
      ? `${inClient} ${d}/hold.pl ${quoteShellArg(vip)} ${HOLD_PATH} ${holds} ${d}/stop ${d}/hold.ports ${limit} > hold.out 2>&1 & echo $! > hold.pid`
      : ": > hold.out",
    `sleep ${seconds(options.beforeMs)}`,
    ...(awaitSync > 0 ? waitForSync : []),
    `${takeoverTable} > takeover-conns.out 2>&1`,
    'echo "--- action"; date +%s%3N',
    `{ ${options.action}\n} > action.out 2>&1 || echo "action exited $?" >> action.out`,
    `sleep ${seconds(options.afterMs)}`,
    "touch stop",
    'wait "$(cat probe.pid)"; test ! -e hold.pid || wait "$(cat hold.pid)"',
    ...(holds > 0 ? [closeServerEnds(client)] : []),
    'kill "$(cat monitor.pid)"; rm -f ./*.pid stop',
    'echo "--- probe"; cat probe.out; echo "--- hold"; cat hold.out',
    'echo "--- monitor"; cat monitor.out; echo "--- conns"; cat takeover-conns.out',
    'echo "--- action output"; cat action.out',
  ].join("\n");
  const output = await labRun(script);

  const actionAt = Number(section(output, "action").trim().split("\n")[0]);
  const escaped = vip.replaceAll(".", "\\.");
  const arrival = new RegExp(`^\\[(\\S+)\\] \\d+: \\S+\\s+inet ${escaped}/32 `);
  let takeoverMs: number | undefined;
  for (const line of section(output, "monitor").split("\n")) {
    const match = arrival.exec(line);
    if (!match?.[1]) continue;
    const at = Date.parse(`${match[1].slice(0, 23)}Z`);
    if (at >= actionAt - 50) {
      takeoverMs = at - actionAt;
      break;
    }
  }
  const probes = section(output, "probe")
    .split("\n")
    .map((line) => line.split(" "))
    .filter((fields) => fields.length >= 2);
  const oks = probes.filter((f) => f[1] === "ok");
  let outageMs = 0;
  for (let i = 1; i < oks.length; i++) {
    outageMs = Math.max(outageMs, Number(oks[i]?.[0]) - Number(oks[i - 1]?.[0]));
  }
  const held = section(output, "hold")
    .split("\n")
    .filter((line) => /^\d+ /.test(line))
    .map((line) => {
      const [port, verdict, bytes, ...error] = line.split(" ");
      return {
        port: Number(port),
        ok: verdict === "ok",
        bytes: Number(bytes),
        error: error.join(" "),
      };
    });
  const synced = section(output, "synced").trim();
  return {
    actionAt,
    takeoverMs,
    syncWaitMs: synced === "" ? undefined : Number(synced),
    outageMs,
    answers: oks.length,
    failures: probes.length - oks.length,
    answeredBy: [...new Set(oks.map((f) => f[2] ?? ""))].sort(),
    held,
    takeoverConnections: section(output, "conns"),
  };
}

/** The held connections the takeover director had an IPVS entry for before the failover. */
export function syncedHolds(report: FailoverReport, vip: string = VIPS.dr): HeldConnection[] {
  const ports = new Set<number>();
  for (const line of report.takeoverConnections.split("\n")) {
    const fields = line.trim().split(/\s+/);
    if (fields[0] === "TCP" && fields[4] === `${vip}:${HTTP_PORT}`) {
      ports.add(Number(fields[3]?.split(":")[1]));
    }
  }
  return report.held.filter((h) => ports.has(h.port));
}
