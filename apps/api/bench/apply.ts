// Apply at scale on the lab's real IPVS kernel: 100 services × 20 realservers on one director,
// through the panel's own apply (API + SSH pool + batching), against
//   (a) one SSH exec per ipvsadm command over one reused connection, and
//   (b) the floor: one `ssh host true` (a fresh connection) plus one ipvsadm-restore of the table.
// Reports SSH round trips and wall time. Targets: ≥ 20× faster than (a), within 1.5× of (b).
// The panel's time runs from the POST to the end of the apply's event stream, as the UI sees it.
// Floor and panel alternate BENCH_RUNS times (default 3; medians are reported, and every run's
// ratio, since timing under qemu TCG swings by tens of percent from run to run).
//   node --import tsx apps/api/bench/apply.ts   (root; boots the lab if it is down)
//   BENCH_VERBOSE=1 prints each run's round trips and events; BENCH_PER_COMMAND_SAMPLE=N times
//   only N of (a)'s commands and scales up.
//   BENCH_ENGINE=keepalived runs the panel's apply on the keepalived engine: each run starts
//   keepalived over the table (the switch), and the "one weight changed" apply is a checked
//   reload. BENCH_CHECK=tcp gives every service the default TCP check (default: none, so 2000
//   checks of addresses that do not exist do not load the emulated director during the runs).

import path from "node:path";
import { disconnectLab, ensureLab, labRun } from "@lvs-panel/lab";
import {
  type ClusterSpec,
  MANAGED_FILES,
  planCluster,
  quoteShellArg,
  renderIpvsadmRestore,
} from "@lvs-panel/lvs";
import {
  type Command,
  type CommandResult,
  type RunOptions,
  SshPool,
  type SshTarget,
} from "@lvs-panel/remote";
import { startBenchApp } from "./bench-app.ts";

const SERVICES = Number(process.env.BENCH_SERVICES ?? 100);
const REALSERVERS = Number(process.env.BENCH_REALSERVERS ?? 20);
const ENGINE = process.env.BENCH_ENGINE === "keepalived" ? "keepalived" : "ipvsadm";
const CHECK = process.env.BENCH_CHECK === "tcp" ? "tcp" : "none";
const verbose = (line: string) => {
  if (process.env.BENCH_VERBOSE) console.log(line);
};
const _repoRoot = path.resolve(import.meta.dirname, "../../..");
const lab = await ensureLab((l) => console.log(`[lab] ${l}`));
// Every run starts from a director the panel never touched: empty table, no VIPs, forwarding
// off, none of the files it persists.
// The emulated machine then gets a moment to finish that work before a timed run starts.
const reset = async () => {
  await labRun(
    // A keepalived the panel started has --dont-release-ipvs: stopping it leaves the table.
    `p=$(cat /run/keepalived.pid 2>/dev/null) && kill "$p" 2>/dev/null; for i in $(seq 50); do pgrep -x keepalived >/dev/null || break; sleep 0.1; done; rm -f /etc/keepalived/keepalived.conf; ipvsadm -C; ip -o -4 addr show dev wan0 | awk '$4 ~ /^10\\.77\\./ {print "addr del " $4 " dev wan0"}' | ip -batch -; sysctl -qw net.ipv4.ip_forward=0; rm -f ${MANAGED_FILES.map((f) => quoteShellArg(f)).join(" ")}; true`,
  );
  await new Promise((r) => setTimeout(r, 1000));
};

const target: SshTarget = {
  id: "bench-director",
  address: "127.0.0.1",
  port: lab.sshPort,
  username: "root",
  auth: { type: "key", privateKey: lab.privateKey },
  hostKeyFingerprint: lab.director.hostKeyFingerprint,
};
const vip = (s: number) => `10.77.${Math.floor(s / 250)}.${(s % 250) + 1}`;
const spec: ClusterSpec = {
  director: {
    dip: lab.director.dip,
    interface: lab.director.lanInterface,
    vipInterface: lab.director.wanInterface,
  },
  services: Array.from({ length: SERVICES }, (_, s) => ({
    protocol: "tcp" as const,
    vip: vip(s),
    port: 80,
    scheduler: "wlc" as const,
    forwarding: "nat" as const,
    realservers: Array.from({ length: REALSERVERS }, (_, r) => ({
      address: `10.10.${1 + Math.floor(r / 250)}.${(r % 250) + 1}`,
      port: 8080,
      weight: 1 + (r % 5),
      enabled: true,
    })),
  })),
};
const ipvsadmCommands = planCluster({ director: spec.director, services: [] }, spec).steps.filter(
  (s) => s.op.kind === "ipvsadm",
);

// (b) the floor: a fresh connection running `true`, then one ipvsadm-restore of the whole table.
async function floorOnce(): Promise<number> {
  await reset();
  const floorPool = new SshPool();
  const t0 = performance.now();
  await floorPool.run(target, { argv: ["true"] });
  const connectMs = performance.now() - t0;
  await floorPool.run(target, { argv: ["ipvsadm-restore"] }, { stdin: renderIpvsadmRestore(spec) });
  const ms = performance.now() - t0;
  verbose(
    `floor: connect + true ${connectMs.toFixed(0)} ms, ipvsadm-restore ${(ms - connectMs).toFixed(0)} ms`,
  );
  await floorPool.closeAll();
  return ms;
}

// The panel's apply, through the API, counting every SSH command it sends.
const bench = await startBenchApp("apply");
const { app } = bench;
// Every command the panel sends is one round trip, as its own exec or on an apply's shell.
let roundTrips = 0;
const roundTripLog: string[] = [];
const counted =
  (run: (c: Command, o?: RunOptions) => Promise<CommandResult>, how: string) =>
  async (c: Command, o?: RunOptions) => {
    roundTrips++;
    const n = roundTrips;
    const started = performance.now();
    const result = await run(c, o);
    const kb = (("script" in c ? c.script.length : 0) / 1024).toFixed(0);
    roundTripLog.push(
      `  round trip ${n} (${how}): ${(performance.now() - started).toFixed(0)} ms (${kb} KiB sent, ${(result.stdout.length / 1024).toFixed(0)} KiB back)`,
    );
    return result;
  };
const run = app.ssh.run.bind(app.ssh);
app.ssh.run = (t: SshTarget, c: Command, o?: RunOptions) =>
  counted((c2, o2) => run(t, c2, o2), "exec")(c, o);
const session = app.ssh.session.bind(app.ssh);
app.ssh.session = (t: SshTarget) => {
  const s = session(t);
  return { ...s, run: counted(s.run.bind(s), "shell") };
};
const cookie = await bench.signIn();
const host = await app.db.host.create({
  data: {
    name: "lab-director",
    address: "127.0.0.1",
    port: lab.sshPort,
    username: "root",
    authType: "key",
  },
});
await app.inject({
  method: "PATCH",
  url: `/api/hosts/${host.id}`,
  headers: { cookie },
  payload: { auth: { type: "key", privateKey: lab.privateKey } },
});
await app.db.host.update({
  where: { id: host.id },
  data: { hostKeySha256: lab.director.hostKeyFingerprint },
});
const cluster = await app.db.cluster.create({ data: { name: "bench", engine: ENGINE } });
await app.db.director.create({
  data: {
    clusterId: cluster.id,
    hostId: host.id,
    dip: lab.director.dip,
    interface: lab.director.lanInterface,
    vipInterface: lab.director.wanInterface,
  },
});
for (const s of spec.services) {
  await app.db.virtualService.create({
    data: {
      clusterId: cluster.id,
      protocol: s.protocol,
      vip: s.vip,
      port: s.port,
      scheduler: s.scheduler,
      forwarding: s.forwarding,
      healthCheck: JSON.stringify({
        type: CHECK,
        intervalSeconds: 5,
        timeoutSeconds: 3,
        retries: 2,
      }),
      realservers: {
        create: s.realservers.map((r) => ({ address: r.address, port: r.port, weight: r.weight })),
      },
    },
  });
}
// Each run starts from a reset director and no open connection, like the floor.
async function panelOnce(): Promise<{ ms: number; status: string; roundTrips: number }> {
  await reset();
  return timedApply();
}

/** One apply through the API, timed from the POST to the end of its event stream. */
async function timedApply(): Promise<{ ms: number; status: string; roundTrips: number }> {
  await app.ssh.closeAll();
  roundTrips = 0;
  roundTripLog.length = 0;
  const t1 = performance.now();
  const started = await app.inject({
    method: "POST",
    url: `/api/clusters/${cluster.id}/apply`,
    headers: { cookie },
    payload: {},
  });
  const { applyId } = started.json();
  // Follows the apply as the UI does, on its event stream, which ends when the apply does
  // (polling the full record every few ms would compete with the apply for the event loop).
  await app.inject({ method: "GET", url: `/api/applies/${applyId}/events`, headers: { cookie } });
  const ms = performance.now() - t1;
  const detail = (
    await app.inject({ method: "GET", url: `/api/applies/${applyId}`, headers: { cookie } })
  ).json();
  const status: string = detail.status;
  let previous = t1;
  const origin = Date.now() - performance.now();
  for (const e of detail.events as {
    at: string;
    stage: string;
    status: string;
    phase?: string;
    message: string;
  }[]) {
    const at = Date.parse(e.at) - origin;
    verbose(
      `  +${((at - previous) / 1000).toFixed(2)} s  ${e.stage} ${e.phase ?? ""} ${e.status} ${e.message.slice(0, 60)}`,
    );
    previous = at;
  }
  verbose(roundTripLog.join("\n"));
  verbose(`panel: ${status} in ${ms.toFixed(0)} ms`);
  return { ms, status, roundTrips };
}

// Floor and panel alternate, so a slow spell of the (emulated) machine hits both alike.
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const floorRuns: number[] = [];
const panelRuns: { ms: number; status: string; roundTrips: number }[] = [];
for (let i = 0; i < RUNS; i++) {
  // Which goes first alternates too, so neither always follows the other.
  if (i % 2 === 0) floorRuns.push(await floorOnce());
  panelRuns.push(await panelOnce());
  if (i % 2 === 1) floorRuns.push(await floorOnce());
}
const table = await labRun("ipvsadm-save -n | wc -l");
// A small change to the big table the last run left: one realserver's weight.
const someRealserver = await app.db.realServer.findFirstOrThrow({ orderBy: { id: "asc" } });
await app.db.realServer.update({
  where: { id: someRealserver.id },
  data: { weight: someRealserver.weight + 10 },
});
await new Promise((r) => setTimeout(r, 1000));
const oneWeight = await timedApply();
await bench.close();

// (a) one SSH exec per ipvsadm command, on one reused connection.
await reset();
const perCommandPool = new SshPool();
await perCommandPool.run(target, { argv: ["true"] }); // connected beforehand: (a) is not charged handshakes
// BENCH_PER_COMMAND_SAMPLE=N times N commands and scales up (the full run takes minutes on TCG).
const sample = Number(process.env.BENCH_PER_COMMAND_SAMPLE ?? ipvsadmCommands.length);
const t2 = performance.now();
for (const step of ipvsadmCommands.slice(0, sample))
  await perCommandPool.run(target, { argv: step.argv ?? [] });
const perCommandMs =
  ((performance.now() - t2) * ipvsadmCommands.length) / Math.min(sample, ipvsadmCommands.length);
await perCommandPool.closeAll();
await reset();
await disconnectLab();

const fmt = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const floorMs = median(floorRuns);
const panelMs = median(panelRuns.map((r) => r.ms));
const ratios = panelRuns.map((r, i) => r.ms / (floorRuns[i] ?? NaN));
const status = panelRuns.map((r) => r.status).join(", ");
const panelRoundTrips = panelRuns[0]?.roundTrips ?? 0;
console.log(
  `\nApply ${SERVICES} services × ${REALSERVERS} realservers (${ipvsadmCommands.length} ipvsadm commands) to the lab director, ${ENGINE} engine${ENGINE === "keepalived" ? ` (checks: ${CHECK})` : ""}:`,
);
console.log(
  `  panel apply (median of ${RUNS}): ${status}; ${panelRoundTrips} SSH round trips; ${fmt(panelMs)} (runs: ${panelRuns.map((r) => fmt(r.ms)).join(", ")}); table now ${table.trim()} lines`,
);
console.log(
  `  one weight changed on that table afterwards: ${oneWeight.status}; ${oneWeight.roundTrips} SSH round trips; ${fmt(oneWeight.ms)} (fresh connection)`,
);
console.log(
  `  (a) one exec per ipvsadm command: ${ipvsadmCommands.length} round trips, ${fmt(perCommandMs)} → panel is ${(perCommandMs / panelMs).toFixed(1)}× faster (target ≥ 20×)`,
);
console.log(
  `  (b) floor, ssh true + ipvsadm-restore: 2 round trips, ${fmt(floorMs)} (runs: ${floorRuns.map(fmt).join(", ")}) → panel is ${(panelMs / floorMs).toFixed(2)}× the floor (run by run: ${ratios.map((r) => r.toFixed(2)).join(", ")}; target ≤ 1.5×)`,
);
