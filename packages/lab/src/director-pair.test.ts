// Two directors on the lab's real kernel: the root namespace and dir2, each running keepalived
// with a hand-written VRRP config (one instance on lan0, VIPs on lan0 and wan0, a DR virtual
// server and the IPVS sync daemon). The client keeps asking through the VIP while the master is
// stopped, comes back, or is cut off; the outage it sees is measured and printed, and so is the
// share of long-lived connections that survive, with the sync daemon and without.
import { quoteShellArg } from "@lvs-panel/lvs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DirectorSide,
  type FailoverReport,
  prepareFailoverTools,
  removeFailoverTools,
  runFailover,
  syncedHolds,
} from "./failover.ts";
import {
  disconnectLab,
  ensureLab,
  execInDirector2,
  type LabInfo,
  labExec,
  labRun,
  labStatus,
  sshDirector2,
  stopLab,
} from "./lab.ts";
import { resetLvs, unloadIpvs } from "./selftest.ts";
import {
  DIRECTOR_HOSTNAME,
  DIRECTOR2_HOSTNAME,
  DIRECTOR2_NAMESPACE,
  HTTP_PORT,
  LAN_INTERFACE,
  REALSERVERS,
  VIPS,
  WAN_INTERFACE,
} from "./topology.ts";

const enabled = process.env.LVS_PANEL_LAB !== "0" && process.env.LVS_PANEL_E2E_LAB !== "0";

const ADVERT_MS = 1000;
const VRID = 51;
/** The realservers' gateway for NAT pairs: a floating address on the inside. */
const GATEWAY = "10.10.0.254";
const FLOATING = [
  `${VIPS.dr}/32 dev ${LAN_INTERFACE}`,
  `${VIPS.nat}/32 dev ${WAN_INTERFACE}`,
  `${GATEWAY}/24 dev ${LAN_INTERFACE}`,
];
/** The same path on both directors: dir2's /run is its own, so the pid files do not collide. */
const RUN = "/run/lvs-lab-pair";
const PIDS = `-p ${RUN}/keepalived.pid -c ${RUN}/checkers.pid -r ${RUN}/vrrp.pid`;
const HOLDS = 6;
/** How long the held connections may take to reach the backup (sync buffers flush every ~2 s). */
const SYNC_WAIT_MS = 20_000;

/** VRRP's skew time for a priority: how much sooner a higher-priority backup takes over. */
const skewMs = (priority: number) => ((256 - priority) / 256) * ADVERT_MS;

interface Node {
  readonly priority: number;
  readonly state: "MASTER" | "BACKUP";
  readonly sync: boolean;
}

/** The hand-written pair config; the panel's renderer for pairs will produce the same shape. */
function pairConf(side: DirectorSide, node: Node): string {
  const realservers = REALSERVERS.flatMap((rs) => [
    `  real_server ${rs.address} ${HTTP_PORT} {`,
    "  }",
  ]);
  return [
    "global_defs {",
    `  router_id ${side === "director" ? DIRECTOR_HOSTNAME : DIRECTOR2_HOSTNAME}`,
    ...(node.sync ? [`  lvs_sync_daemon ${LAN_INTERFACE} VI_1 id ${VRID}`] : []),
    "}",
    "vrrp_instance VI_1 {",
    `  state ${node.state}`,
    `  interface ${LAN_INTERFACE}`,
    `  virtual_router_id ${VRID}`,
    `  priority ${node.priority}`,
    `  advert_int ${ADVERT_MS / 1000}`,
    `  track_interface {`,
    `    ${WAN_INTERFACE}`,
    "  }",
    "  virtual_ipaddress {",
    ...FLOATING.map((address) => `    ${address}`),
    "  }",
    "}",
    `virtual_server ${VIPS.dr} ${HTTP_PORT} {`,
    "  lvs_sched rr",
    "  lvs_method DR",
    "  protocol TCP",
    ...realservers,
    "}",
    "",
  ].join("\n");
}

function on(side: DirectorSide, script: string) {
  return side === "director" ? labExec(script) : execInDirector2(script);
}

async function runOn(side: DirectorSide, script: string): Promise<string> {
  const result = await on(side, script);
  if (result.code !== 0) {
    throw new Error(`${side}: exited ${result.code}: ${result.stderr}${result.stdout}\n${script}`);
  }
  return result.stdout;
}

/**
 * keepalived in the foreground (-n) with its log on the console (-l), backgrounded: the guest has
 * no syslog, and the log is what explains a failure. Pid files as given, in the side's own /run.
 */
async function startKeepalived(side: DirectorSide, node: Node): Promise<void> {
  await runOn(
    side,
    [
      `mkdir -p ${RUN}`,
      `printf '%s' ${quoteShellArg(pairConf(side, node))} > ${RUN}/keepalived.conf`,
      `setsid keepalived -n -l -D -f ${RUN}/keepalived.conf ${PIDS} > ${RUN}/keepalived.log 2>&1 < /dev/null &`,
    ].join("\n"),
  );
}

/** The shell that stops a side's keepalived (SIGTERM) and, if `wait`, waits until it is gone. */
function stopScript(wait: boolean): string {
  const kill = `p=$(cat ${RUN}/keepalived.pid 2>/dev/null) && kill "$p" 2>/dev/null`;
  if (!wait) return kill;
  return `${kill}; i=0; while test -n "$p" && kill -0 "$p" 2>/dev/null && test $i -lt 100; do sleep 0.1; i=$((i + 1)); done; true`;
}

async function stopKeepalived(side: DirectorSide): Promise<void> {
  await runOn(side, stopScript(true));
}

/** Which of the pair's floating addresses a side holds. */
async function floatingOn(side: DirectorSide): Promise<string[]> {
  const out = await runOn(side, "ip -o -4 addr show");
  const wanted = [VIPS.dr, VIPS.nat, GATEWAY];
  return wanted.filter((address) =>
    new RegExp(`inet ${address.replaceAll(".", "\\.")}/`).test(out),
  );
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const all = [VIPS.dr, VIPS.nat, GATEWAY];
const holdsAll = (side: DirectorSide) => async () => (await floatingOn(side)).length === all.length;

/** The VRRP state keepalived reports in its data dump (SIGUSR1 → /tmp/keepalived.data). */
async function vrrpState(side: DirectorSide): Promise<string> {
  const out = await runOn(
    side,
    `rm -f /tmp/keepalived.data; kill -USR1 "$(cat ${RUN}/keepalived.pid)"; i=0; while ! grep -q 'State = ' /tmp/keepalived.data 2>/dev/null && test $i -lt 50; do sleep 0.1; i=$((i + 1)); done; sed -n '/VRRP Instance = VI_1/,/State = /p' /tmp/keepalived.data`,
  );
  return /State = (\S+)/.exec(out)?.[1] ?? `?? ${out}`;
}

/** One line for the log; `synced` only when the new master was running before the action. */
function summary(name: string, report: FailoverReport, synced = true): string {
  const survived = report.held.filter((h) => h.ok).length;
  return [
    `${name}: outage ${report.outageMs} ms as the client saw it`,
    `(${report.failures} of ${report.failures + report.answers} requests failed),`,
    `VIP on the new master ${report.takeoverMs ?? "never"} ms after the action;`,
    `held connections:`,
    synced
      ? `${syncedHolds(report).length}/${report.held.length} synced to the new master beforehand${report.syncWaitMs === undefined ? "" : ` (after ${report.syncWaitMs} ms)`},`
      : "",
    `${survived}/${report.held.length} survived`,
    report.held.some((h) => !h.ok)
      ? `(${[...new Set(report.held.filter((h) => !h.ok).map((h) => h.error))].join(", ")})`
      : "",
  ]
    .filter((part) => part !== "")
    .join(" ");
}

describe.skipIf(!enabled)("two directors with keepalived (VRRP) on the lab kernel", () => {
  let wasUp = false;
  let lab: LabInfo;
  const findings: string[] = [];

  async function cleanUp(): Promise<void> {
    await Promise.all(
      (["director", DIRECTOR2_NAMESPACE] as const).map((side) => on(side, stopScript(true))),
    );
    const deletes = FLOATING.map((address) => `addr del ${address}`).join("\n");
    const perSide = [
      `printf '%s\\n' ${quoteShellArg(deletes)} | ip -force -batch - 2>/dev/null`,
      "ipvsadm --stop-daemon master 2>/dev/null; ipvsadm --stop-daemon backup 2>/dev/null",
      `rm -rf ${RUN} /tmp/keepalived.data /tmp/keepalived_check.data /tmp/keepalived_parent.data`,
      "true",
    ].join("\n");
    await labExec(
      `ip -n ${DIRECTOR2_NAMESPACE} link set ${LAN_INTERFACE} up; ip -n ${DIRECTOR2_NAMESPACE} link set ${WAN_INTERFACE} up; true`,
    );
    await on("director", perSide);
    await on(DIRECTOR2_NAMESPACE, perSide);
    await removeFailoverTools();
    // Both IPVS tables, the VIPs, and the realservers' DR settings.
    await resetLvs();
    // And the hundreds of connection entries the probes left in both namespaces.
    if (!(await unloadIpvs())) console.warn("could not unload ip_vs: connection entries remain");
  }

  beforeAll(async () => {
    wasUp = (await labStatus()) !== undefined;
    lab = await ensureLab();
    await cleanUp();
    await prepareFailoverTools();
    // DR realservers: ARP restrictions before the VIP goes on lo.
    await labRun(
      REALSERVERS.map(
        (rs) =>
          `ip netns exec ${rs.name} sh -c 'sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 net.ipv4.conf.lo.arp_ignore=1 net.ipv4.conf.lo.arp_announce=2 && ip addr add ${VIPS.dr}/32 dev lo'`,
      ).join(" && "),
    );
  }, 20 * 60_000);

  afterAll(async () => {
    if (!enabled) return;
    if (findings.length > 0) console.log(`director pair findings:\n  ${findings.join("\n  ")}`);
    await cleanUp().catch((error: unknown) => console.error("cleanup failed", error));
    if (wasUp) await disconnectLab();
    else await stopLab();
  });

  it("dir2 is a second director: own sshd via the director, hostname, IPVS table, /run, /tmp", async () => {
    expect(lab.director2).toMatchObject({
      name: "dir2",
      address: "10.10.0.2",
      sshPort: 22,
      username: "root",
      jump: "director",
      dip: "10.10.0.2",
      wanAddress: "192.168.77.3",
      lanInterface: "lan0",
      wanInterface: "wan0",
    });
    expect(lab.director2.hostKeyFingerprint).not.toBe(lab.director.hostKeyFingerprint);
    const conn = await sshDirector2();
    try {
      const { stdout } = await conn.exec(
        "hostname; ip -o -4 addr show dev lan0; ip -o -4 addr show dev wan0; ipvsadm -A -t 10.99.0.2:1 -s rr && ipvsadm -Ln; test -e /run/lab-ready || echo private-run; echo dir2 > /tmp/lab-pair-probe",
      );
      const lines = stdout.split("\n");
      expect(lines[0]).toBe(DIRECTOR2_HOSTNAME);
      expect(stdout).toContain("inet 10.10.0.2/24");
      expect(stdout).toContain("inet 192.168.77.3/24");
      expect(stdout).toContain("TCP  10.99.0.2:1 rr");
      expect(stdout).toContain("private-run");
      // The director's table does not have dir2's service, nor its /tmp file; and the reverse.
      const root = await labRun(
        "hostname; ipvsadm -Ln; test -e /tmp/lab-pair-probe && echo shared-tmp; ipvsadm -A -t 10.99.0.1:1 -s rr; true",
      );
      expect(root.split("\n")[0]).toBe(DIRECTOR_HOSTNAME);
      expect(root).not.toContain("10.99.0.2:1");
      expect(root).not.toContain("shared-tmp");
      const back = await conn.exec(
        "ipvsadm -Ln; ipvsadm -D -t 10.99.0.2:1; rm /tmp/lab-pair-probe",
      );
      expect(back.stdout).not.toContain("10.99.0.1:1");
    } finally {
      conn.close();
      await labExec("ipvsadm -D -t 10.99.0.1:1");
    }
  });

  it("the director (priority 150) becomes MASTER with the VIPs; dir2 (100) is BACKUP with none", async () => {
    await startKeepalived("director", { priority: 150, state: "MASTER", sync: true });
    await startKeepalived(DIRECTOR2_NAMESPACE, { priority: 100, state: "BACKUP", sync: true });
    await waitFor("the director to hold the VIPs", holdsAll("director"));
    // Two adverts later dir2 still has nothing: it hears the master.
    await new Promise((r) => setTimeout(r, 2 * ADVERT_MS));
    expect(await floatingOn(DIRECTOR2_NAMESPACE)).toEqual([]);
    expect(await vrrpState("director")).toBe("MASTER");
    expect(await vrrpState(DIRECTOR2_NAMESPACE)).toBe("BACKUP");
    // Each builds its own IPVS table from the same virtual_server; the sync daemon's role
    // follows the VRRP state.
    for (const side of ["director", DIRECTOR2_NAMESPACE] as const) {
      const table = await runOn(side, "ipvsadm -Ln; ipvsadm -L --daemon");
      expect(table).toContain(`TCP  ${VIPS.dr}:${HTTP_PORT} rr`);
      for (const rs of REALSERVERS)
        expect(table).toMatch(new RegExp(`-> ${rs.address}:80\\s+Route`));
      expect(table).toContain(
        `${side === "director" ? "master" : "backup"} sync daemon (mcast=${LAN_INTERFACE}, syncid=${VRID}`,
      );
    }
  });

  it("SIGTERM on the master: dir2 takes the VIPs over, the client keeps getting answers, synced connections survive", async () => {
    const report = await runFailover({
      action: stopScript(false),
      takeover: DIRECTOR2_NAMESPACE,
      beforeMs: 2000,
      afterMs: 5000,
      holds: HOLDS,
      awaitSyncMs: SYNC_WAIT_MS,
    });
    findings.push(summary("graceful stop (SIGTERM), sync on", report));
    // A stopping master sends priority 0: the backup takes over after its skew time, well
    // within 3 × advert_int + skew.
    expect(report.takeoverMs).toBeDefined();
    expect(report.takeoverMs).toBeLessThan(3 * ADVERT_MS + skewMs(100));
    expect(await floatingOn(DIRECTOR2_NAMESPACE)).toEqual(all);
    expect(await floatingOn("director")).toEqual([]);
    expect(report.outageMs).toBeLessThan(3 * ADVERT_MS);
    expect(report.answeredBy).toEqual(REALSERVERS.map((rs) => rs.name));
    // The sync daemon had replicated every held connection to dir2 before the stop.
    expect(syncedHolds(report)).toHaveLength(HOLDS);
    expect(report.held.filter((h) => h.ok)).toHaveLength(HOLDS);
  });

  it("the director comes back and preempts dir2", async () => {
    const report = await runFailover({
      action: `setsid keepalived -n -l -D -f ${RUN}/keepalived.conf ${PIDS} > ${RUN}/keepalived.log 2>&1 < /dev/null &`,
      takeover: "director",
      beforeMs: 2000,
      afterMs: 5000,
      holds: HOLDS,
    });
    // Its backup sync daemon ran only for the ~3 × advert + skew before it preempted: it learnt
    // just the held connections the master re-synced meanwhile (every 50 packets by default).
    findings.push(summary("preemption by the returning director, sync on", report, false));
    expect(report.takeoverMs).toBeDefined();
    expect(await floatingOn("director")).toEqual(all);
    expect(await floatingOn(DIRECTOR2_NAMESPACE)).toEqual([]);
    expect(await vrrpState(DIRECTOR2_NAMESPACE)).toBe("BACKUP");
    expect(report.outageMs).toBeLessThan(3 * ADVERT_MS);
  });

  it("a hard cut of dir2 as master (its links down): the director takes over within 3 × advert + skew", async () => {
    // dir2 master, the director its backup at priority 50.
    await stopKeepalived("director");
    await waitFor("dir2 to hold the VIPs", holdsAll(DIRECTOR2_NAMESPACE));
    await startKeepalived("director", { priority: 50, state: "BACKUP", sync: true });
    await new Promise((r) => setTimeout(r, 2 * ADVERT_MS));
    expect(await vrrpState("director")).toBe("BACKUP");
    expect(await floatingOn("director")).toEqual([]);
    try {
      const report = await runFailover({
        // Never the director's lan0: it is the bridge every machine hangs off.
        action: `ip -n ${DIRECTOR2_NAMESPACE} link set ${LAN_INTERFACE} down; ip -n ${DIRECTOR2_NAMESPACE} link set ${WAN_INTERFACE} down`,
        takeover: "director",
        beforeMs: 2000,
        afterMs: 8000,
        holds: HOLDS,
        awaitSyncMs: SYNC_WAIT_MS,
      });
      findings.push(summary("hard cut of the master's links, sync on", report));
      expect(report.takeoverMs).toBeDefined();
      // Up to one advert interval may already have passed since the last advert; 1 s of slack
      // for the emulated guest.
      expect(report.takeoverMs).toBeLessThan(3 * ADVERT_MS + skewMs(50) + 1000);
      expect(await floatingOn("director")).toEqual(all);
      expect(report.outageMs).toBeLessThan(3 * ADVERT_MS + skewMs(50) + 2000);
      expect(syncedHolds(report)).toHaveLength(HOLDS);
    } finally {
      await labRun(
        `ip -n ${DIRECTOR2_NAMESPACE} link set ${LAN_INTERFACE} up && ip -n ${DIRECTOR2_NAMESPACE} link set ${WAN_INTERFACE} up`,
      );
    }
  });

  it("without the sync daemon, held connections die with the failover", async () => {
    await Promise.all(
      (["director", DIRECTOR2_NAMESPACE] as const).map((side) => stopKeepalived(side)),
    );
    await startKeepalived("director", { priority: 150, state: "MASTER", sync: false });
    await startKeepalived(DIRECTOR2_NAMESPACE, { priority: 100, state: "BACKUP", sync: false });
    await waitFor("the director to hold the VIPs", holdsAll("director"));
    await waitFor(
      "dir2 to let go of the VIPs",
      async () => (await floatingOn(DIRECTOR2_NAMESPACE)).length === 0,
    );
    const report = await runFailover({
      action: stopScript(false),
      takeover: DIRECTOR2_NAMESPACE,
      beforeMs: 4000,
      afterMs: 5000,
      holds: HOLDS,
    });
    findings.push(summary("graceful stop (SIGTERM), sync off", report));
    expect(report.takeoverMs).toBeDefined();
    expect(syncedHolds(report)).toHaveLength(0);
    // dir2 has no entry for them: the next packet is the VIP's own, and its TCP resets it.
    expect(report.held.filter((h) => h.ok)).toHaveLength(0);
  });
});
