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
// One weight or drain changed on the applied table, previewed first and over a warm connection,
// as an operator does it during an incident: small-change.ts.

import { disconnectLab, ensureLab, labRun } from "@lvs-panel/lab";
import { planCluster, renderIpvsadmRestore } from "@lvs-panel/lvs";
import { SshPool } from "@lvs-panel/remote";
import { startBenchApp } from "./bench-app.ts";
import {
  benchSpec,
  countRoundTrips,
  createBenchCluster,
  directorTarget,
  eventTimeline,
  median,
  resetDirector,
  timedApply as timedApplyOf,
} from "./lab-cluster.ts";

const SERVICES = Number(process.env.BENCH_SERVICES ?? 100);
const REALSERVERS = Number(process.env.BENCH_REALSERVERS ?? 20);
const ENGINE = process.env.BENCH_ENGINE === "keepalived" ? "keepalived" : "ipvsadm";
const CHECK = process.env.BENCH_CHECK === "tcp" ? "tcp" : "none";
const verbose = (line: string) => {
  if (process.env.BENCH_VERBOSE) console.log(line);
};
const lab = await ensureLab((l) => console.log(`[lab] ${l}`));
const reset = resetDirector;
const target = directorTarget(lab);
const spec = benchSpec(lab, SERVICES, REALSERVERS);
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
const trips = countRoundTrips(app);
const cookie = await bench.signIn();
const { clusterId } = await createBenchCluster(bench, cookie, lab, spec, {
  engine: ENGINE,
  check: CHECK,
});
// Each run starts from a reset director and no open connection, like the floor.
async function panelOnce(): Promise<{ ms: number; status: string; roundTrips: number }> {
  await reset();
  return timedApply();
}

/** One apply through the API, timed from the POST to the end of its event stream. */
async function timedApply(): Promise<{ ms: number; status: string; roundTrips: number }> {
  await app.ssh.closeAll();
  trips.reset();
  const t1 = performance.now();
  const { ms, status, events } = await timedApplyOf(bench, cookie, clusterId);
  for (const line of eventTimeline(events, t1)) verbose(line);
  verbose(trips.log.join("\n"));
  verbose(`panel: ${status} in ${ms.toFixed(0)} ms`);
  return { ms, status: String(status), roundTrips: trips.count };
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
  `  one weight changed on that table afterwards: ${oneWeight.status}; ${oneWeight.roundTrips} SSH round trips; ${fmt(oneWeight.ms)} (fresh connection, no preview: every host read first)`,
);
console.log(
  `  (a) one exec per ipvsadm command: ${ipvsadmCommands.length} round trips, ${fmt(perCommandMs)} → panel is ${(perCommandMs / panelMs).toFixed(1)}× faster (target ≥ 20×)`,
);
console.log(
  `  (b) floor, ssh true + ipvsadm-restore: 2 round trips, ${fmt(floorMs)} (runs: ${floorRuns.map(fmt).join(", ")}) → panel is ${(panelMs / floorMs).toFixed(2)}× the floor (run by run: ${ratios.map((r) => r.toFixed(2)).join(", ")}; target ≤ 1.5×)`,
);
