// Proves the lab without the panel: raw ipvsadm on the director, real HTTP traffic from the client
// namespaces, for NAT and for DR. Each check resets IPVS and the namespaces it touches, before
// and after, so it can run on a lab the panel has used.
import { argvToShell } from "@lvs-panel/lvs";
import { type Log, labExec, labRun, sshRealserver } from "./lab.ts";
import {
  CLIENTS,
  DIP,
  DIRECTOR2_NAMESPACE,
  HTTP_PORT,
  LAN_INTERFACE,
  REALSERVERS,
  VIPS,
  WAN_INTERFACE,
} from "./topology.ts";

export interface TrafficReport {
  readonly mode: "nat" | "dr";
  /** Response bodies in order; each is the name of the realserver that answered. */
  readonly bodies: readonly string[];
  readonly perRealserver: Readonly<Record<string, number>>;
  /** New entries for the VIP in `ipvsadm -Lnc` after the requests (one per TCP connection). */
  readonly connectionEntries: number;
  readonly connectionTable: string;
  readonly save: string;
}

function script(...commands: (readonly string[])[]): string {
  return ["set -e", ...commands.map((argv) => argvToShell(argv))].join("\n");
}

/** Runs argv in a namespace on the director. */
function inNs(ns: string, argv: readonly string[]): string[] {
  return ["ip", "netns", "exec", ns, ...argv];
}

/**
 * Undoes everything either check sets up; every step tolerates "already gone". The second
 * director's table and VIPs go too: a VIP left on dir2 would answer ARP for the director's. And
 * the clients forget their neighbours: after a VIP has lived on dir2 (a pair test), a client's
 * cache still points at dir2's MAC, and a VIP added on the director by hand sends no gratuitous
 * ARP to correct it, so for several seconds its requests would go to dir2.
 */
export async function resetLvs(): Promise<void> {
  // One process per step is what costs under TCG: ipvsadm, a builtin write, one ip -batch.
  const director2 = [
    "ipvsadm -C",
    "echo 0 > /proc/sys/net/ipv4/ip_forward",
    "ip -force -batch - 2>/dev/null <<'EOF'",
    `addr del ${VIPS.nat}/32 dev ${WAN_INTERFACE}`,
    `addr del ${VIPS.dr}/32 dev ${LAN_INTERFACE}`,
    "EOF",
    "true",
  ].join("\n");
  const lines = [
    "ipvsadm -C 2>/dev/null || true",
    argvToShell(["sysctl", "-qw", "net.ipv4.ip_forward=0"]),
    `${argvToShell(["ip", "addr", "del", `${VIPS.nat}/32`, "dev", WAN_INTERFACE])} 2>/dev/null || true`,
    `${argvToShell(["ip", "addr", "del", `${VIPS.dr}/32`, "dev", LAN_INTERFACE])} 2>/dev/null || true`,
    `${argvToShell(inNs(DIRECTOR2_NAMESPACE, ["sh", "-c", director2]))} 2>/dev/null || true`,
    ...Object.values(CLIENTS).map(
      (client) => `${argvToShell(["ip", "-n", client.namespace, "neigh", "flush", "all"])} || true`,
    ),
  ];
  for (const rs of REALSERVERS) {
    lines.push(
      `${argvToShell(inNs(rs.name, ["ip", "route", "del", "default"]))} 2>/dev/null || true`,
    );
    lines.push(
      `${argvToShell(inNs(rs.name, ["ip", "addr", "del", `${VIPS.dr}/32`, "dev", "lo"]))} 2>/dev/null || true`,
    );
    for (const conf of ["all", "lo"]) {
      lines.push(
        argvToShell(
          inNs(rs.name, [
            "sysctl",
            "-qw",
            `net.ipv4.conf.${conf}.arp_ignore=0`,
            `net.ipv4.conf.${conf}.arp_announce=0`,
          ]),
        ),
      );
    }
  }
  await labRun(lines.join("\n"));
}

/**
 * Unloads the IPVS modules if nothing holds them (no services, no sync daemon), which forgets
 * every namespace's connection entries; the next ipvsadm or keepalived loads them again. After
 * many connections (a failover test) `ipvsadm -C` is not enough: entries live on for up to 15 min
 * (ESTABLISHED; FIN_WAIT 2 min), and a dest added again to the same VIP:port comes back from the
 * kernel's trash with their ActiveConn/InActConn counters, which then change under any test that
 * compares `ipvsadm -Ln` (--thresholds) outputs. True if the modules were unloaded.
 */
export async function unloadIpvs(): Promise<boolean> {
  const result = await labExec(
    "modprobe -r $(lsmod | awk '/^ip_vs_/ {print $1}') ip_vs 2>&1 && ! grep -q '^ip_vs ' /proc/modules",
  );
  return result.code === 0;
}

/** `proto source virtual` of each `ipvsadm -Lnc` entry for the VIP: identifies a connection. */
function connectionKeys(table: string, vip: string): Set<string> {
  const keys = new Set<string>();
  for (const line of table.split("\n")) {
    const fields = line.trim().split(/\s+/);
    if (fields[4] === `${vip}:${HTTP_PORT}`) keys.add(`${fields[0]} ${fields[3]} ${fields[4]}`);
  }
  return keys;
}

async function sendRequests(mode: "nat" | "dr", count: number): Promise<TrafficReport> {
  // count is the one value written into the loop below, so it must be a plain integer.
  if (!Number.isInteger(count) || count < 1 || count > 1000)
    throw new Error(`bad request count ${count}`);
  const client = mode === "nat" ? CLIENTS.nat.namespace : CLIENTS.dr.namespace;
  const vip = VIPS[mode];
  // Entries from earlier runs live on for minutes after their service is gone; count only new ones.
  const before = connectionKeys(await labRun("ipvsadm -Lnc"), vip);
  // One SSH exec for all requests: each exec costs a round trip through the emulated guest.
  const curl = argvToShell([
    "ip",
    "netns",
    "exec",
    client,
    "curl",
    "-s",
    "-m",
    "3",
    `http://${vip}:${HTTP_PORT}/`,
  ]);
  const output = await labRun(
    `i=0; while [ "$i" -lt ${count} ]; do body=$(${curl}) || body="error(curl exit $?)"; echo "$body"; i=$((i + 1)); done`,
  );
  const bodies = output.split("\n").filter((line) => line !== "");
  const perRealserver: Record<string, number> = {};
  for (const body of bodies) perRealserver[body] = (perRealserver[body] ?? 0) + 1;
  const connectionTable = await labRun("ipvsadm -Lnc");
  const after = connectionKeys(connectionTable, vip);
  const connectionEntries = [...after].filter((key) => !before.has(key)).length;
  const save = await labRun("ipvsadm-save -n");
  return { mode, bodies, perRealserver, connectionEntries, connectionTable, save };
}

/** NAT: VIP on wan0, forwarding on, realservers' default route via the DIP, `-m`. */
export async function checkNat(requests = 6): Promise<TrafficReport> {
  await resetLvs();
  const service = ["-t", `${VIPS.nat}:${HTTP_PORT}`];
  await labRun(
    script(
      ["sysctl", "-qw", "net.ipv4.ip_forward=1"],
      ["ip", "addr", "add", `${VIPS.nat}/32`, "dev", WAN_INTERFACE],
      ["ipvsadm", "-A", ...service, "-s", "rr"],
      ...REALSERVERS.map((rs) => [
        "ipvsadm",
        "-a",
        ...service,
        "-r",
        `${rs.address}:${HTTP_PORT}`,
        "-m",
      ]),
      ...REALSERVERS.map((rs) => inNs(rs.name, ["ip", "route", "replace", "default", "via", DIP])),
    ),
  );
  try {
    return await sendRequests("nat", requests);
  } finally {
    await resetLvs();
  }
}

/** DR: VIP/32 on lan0; realservers ignore ARP for it and hold it on lo; `-g`. */
export async function checkDr(requests = 6): Promise<TrafficReport> {
  await resetLvs();
  const service = ["-t", `${VIPS.dr}:${HTTP_PORT}`];
  const realserverSetup = REALSERVERS.flatMap((rs) => [
    // ARP settings before the VIP appears, or the realservers would answer ARP for it.
    inNs(rs.name, [
      "sysctl",
      "-qw",
      "net.ipv4.conf.all.arp_ignore=1",
      "net.ipv4.conf.all.arp_announce=2",
      "net.ipv4.conf.lo.arp_ignore=1",
      "net.ipv4.conf.lo.arp_announce=2",
    ]),
    inNs(rs.name, ["ip", "addr", "add", `${VIPS.dr}/32`, "dev", "lo"]),
  ]);
  await labRun(
    script(
      ...realserverSetup,
      ["ip", "addr", "add", `${VIPS.dr}/32`, "dev", LAN_INTERFACE],
      ["ipvsadm", "-A", ...service, "-s", "rr"],
      ...REALSERVERS.map((rs) => [
        "ipvsadm",
        "-a",
        ...service,
        "-r",
        `${rs.address}:${HTTP_PORT}`,
        "-g",
      ]),
    ),
  );
  try {
    return await sendRequests("dr", requests);
  } finally {
    await resetLvs();
  }
}

/** Each realserver's own sshd, reached through the director as the panel will reach it. */
export async function checkRealserverSsh(): Promise<Record<string, string>> {
  const seen: Record<string, string> = {};
  for (const rs of REALSERVERS) {
    const conn = await sshRealserver(rs.name);
    try {
      const result = await conn.exec("ip -o -4 addr show dev eth0");
      const address = /inet ([0-9.]+)\//.exec(result.stdout)?.[1] ?? `?? ${result.stderr.trim()}`;
      seen[rs.name] = address;
    } finally {
      conn.close();
    }
  }
  return seen;
}

export interface SelftestReport {
  readonly ok: boolean;
  readonly kernel: string;
  readonly ipvsadmVersion: string;
  readonly schedulersLoaded: string;
  readonly realserverSsh: Record<string, string>;
  readonly nat: TrafficReport;
  readonly dr: TrafficReport;
}

function spreadOk(report: TrafficReport, requests: number): boolean {
  return (
    report.bodies.length === requests &&
    REALSERVERS.every((rs) => (report.perRealserver[rs.name] ?? 0) >= 1) &&
    report.bodies.every((body) => REALSERVERS.some((rs) => rs.name === body)) &&
    report.connectionEntries >= requests
  );
}

export async function runSelftest(log: Log, requests = 6): Promise<SelftestReport> {
  const kernel = (await labRun("uname -r")).trim();
  const ipvsadmVersion = (await labRun("modprobe ip_vs && ipvsadm --version")).trim();
  // Schedulers are separate modules that the kernel loads on demand when a service names one.
  const schedulersLoaded = (
    await labRun(
      "modprobe ip_vs_wrr && modprobe ip_vs_sh && lsmod | awk '/^ip_vs/ {print $1}' | sort | xargs",
    )
  ).trim();
  log(`kernel ${kernel}; ${ipvsadmVersion}; modules: ${schedulersLoaded}`);
  const realserverSsh = await checkRealserverSsh();
  log(`realserver sshds via the director: ${JSON.stringify(realserverSsh)}`);
  const nat = await checkNat(requests);
  log(
    `NAT ${VIPS.nat}: ${JSON.stringify(nat.perRealserver)}, ${nat.connectionEntries} conn entries`,
  );
  const dr = await checkDr(requests);
  log(`DR ${VIPS.dr}: ${JSON.stringify(dr.perRealserver)}, ${dr.connectionEntries} conn entries`);
  const sshOk = REALSERVERS.every((rs) => realserverSsh[rs.name] === rs.address);
  const ok = sshOk && spreadOk(nat, requests) && spreadOk(dr, requests);
  const leftover = await labExec("ipvsadm -Ln | grep -c '^TCP' || true");
  if (leftover.stdout.trim() !== "0") log(`warning: IPVS table not empty after cleanup`);
  return { ok, kernel, ipvsadmVersion, schedulersLoaded, realserverSsh, nat, dr };
}
